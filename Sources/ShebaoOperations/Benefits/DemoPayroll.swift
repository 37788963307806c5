import Foundation
public import ShebaoCore
import ShebaoStore
import SQLKit

/// The demo district's retirees and the last months of their payroll, lived through the same
/// services a district uses: a third of those past retirement age (retired at 60, or at 55 for
/// women, from 2006 on, when the 2005 formula applies) draw a pension awarded by the rule on
/// archive figures drawn from their id, paid through the payment point of their township, last
/// certified alive up to 19 months ago. This year's adjustment is run, approved and posted (the
/// months already paid owed as arrears), those past their certification's grace period are
/// suspended, and one of them is certified after the first payroll (the second pays both
/// months). The last two months that are over are each computed, approved, posted, written to bank files and
/// answered by the banks — pain.002 from most, the text return from the rural commercial bank
/// — with the fourth payment of each file and every 150th after it refused for a closed account. Those accounts are corrected by a
/// clerk and a reviewer, so the next payroll reissues them. Then the death register reports a
/// retiree who died two months before the last payroll: the pension stops and the two months
/// paid after the death become an overpayment, and a member of the household asks for the payout
/// on the death (funeral grant, survivors' lump sum, inheritable balance).
public struct DemoPayroll: Sendable {
    let operations: Operations

    public init(operations: Operations) {
        self.operations = operations
    }

    /// The months paid (the current one is left for the clerk to run).
    static func months(today: LocalDate) -> [Period] {
        let last = today.period.previous
        return [last.previous, last]
    }

    /// Awards the retirees, then pays the last two months; returns the retirees awarded.
    @discardableResult
    public func run() async throws(ServiceError) -> Int {
        let today = operations.clock.now().dateInChina
        let months = Self.months(today: today)
        let retirees = try await award(paidThrough: months[0].previous, today: today)
        let clerk = try await operations.access.principal(named: "district")
        let reviewer = try await operations.access.principal(named: "reviewer")
        let accountant = try await operations.access.principal(named: "accountant")
        // This year's adjustment: raised from January, the months already paid owed as arrears.
        let adjustment = try await operations.batches.start(kind: PensionAdjustment.kind.id, period: "\(today.year)-01", by: clerk)
        if adjustment.state == .computed { _ = try await operations.batches.decide(adjustment.id, approve: true, note: nil, by: reviewer) }
        if try await operations.batches.run(adjustment.id, by: clerk).state == .approved { _ = try await operations.batches.post(adjustment.id, by: accountant) }
        // Those whose certification and grace period are over are suspended before the payroll.
        _ = try await operations.benefits.suspendUncertified(by: accountant)
        try await injury(today: today, clerk: clerk, reviewer: reviewer)
        for (index, period) in months.enumerated() {
            let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: period.description, by: clerk)
            if run.state == .computed { _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer) }
            if try await operations.batches.run(run.id, by: clerk).state == .approved { _ = try await operations.batches.post(run.id, by: accountant) }
            let failed = try await answer(run: run.id, by: accountant)
            // The first month's refused payments: the retirees bring new accounts, a clerk enters
            // them and a reviewer approves, so the next payroll reissues them.
            if index == 0 {
                for person in failed {
                    guard let pension = try await operations.benefits.pension(of: person, by: clerk), let point = pension.paymentPointID else { continue }
                    let change = try await operations.benefits.proposeAccount(personID: person, paymentPoint: String(point),
                                                                              account: Self.account(person: person, version: 2),
                                                                              reason: "原账户已销户，本人持新卡办理", by: clerk)
                    try await operations.benefits.decideAccount(change, approve: true, by: reviewer)
                }
                // One suspended retiree comes to be certified: the next payroll pays both months.
                if let suspended = try await operations.benefits.survivalChecks(by: clerk).first(where: { $0.standing.suspendedFrom != nil }) {
                    try await operations.benefits.certify(personID: suspended.standing.personID, on: today.description, method: "in_person", by: clerk)
                }
            }
        }
        try await reportDeath(lastPaid: months[1], by: accountant)
        return retirees
    }

    /// The retirees alone, paid through last month: what a test of this month's payroll starts from.
    @discardableResult
    public func awardOnly() async throws(ServiceError) -> Int {
        let today = operations.clock.now().dateInChina
        return try await award(paidThrough: today.period.previous, today: today)
    }

    /// Two workers injured in the spring, recognised and graded: one at grade 7, whose one-time
    /// subsidy the first payroll pays; one at grade 3 needing partial care, whose allowance and
    /// nursing allowance the fund pays each month besides.
    private func injury(today: LocalDate, clerk: Principal, reviewer: Principal) async throws(ServiceError) {
        let workers = try await perform { try await operations.database.read { db in
            try await db.raw(
                """
                SELECT e.person_id, p.region_code FROM employments e JOIN persons p ON p.id = e.person_id
                WHERE e.end_date IS NULL AND p.birth_date > '1975-01-01' ORDER BY e.person_id LIMIT 2
                """
            ).all().map { (try $0.decode(column: "person_id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
        } }
        let points = try await operations.benefits.paymentPoints(by: clerk)
        for (worker, grade) in zip(workers, [("7", ""), ("3", "partial")]) {
            guard let point = points.first(where: { worker.1.hasPrefix($0.region.scopePrefix) }) else { continue }
            let injured = LocalDate(year: today.year, month: grade.0 == "7" ? 3 : 4, day: 12)!
            let id = try await operations.benefits.openWorkInjuryAward(
                personID: worker.0, injuryDate: injured.description, reportedOn: injured.adding(days: 9).description, grade: grade.0, ownWage: "5200.00",
                dependency: grade.1, paymentPoint: String(point.id), account: Self.account(person: worker.0, version: 1), by: clerk)
            try await operations.cases.checkAndApprove(id, documents: WorkInjuryAward.caseType.attachmentKinds, reference: "路人社工认〔\(today.year)〕\(id)号", note: "认定书、鉴定结论与工资核实无误",
                                                        clerk: clerk, reviewer: reviewer)
        }
    }

    /// A bank card number from the person's id (19 digits, as Chinese debit cards are).
    static func account(person: Int64, version: Int) -> String {
        let digits = String(person * 7_919 + Int64(version) * 1_000_003)
        return "62" + String(repeating: "0", count: max(0, 17 - digits.count)) + digits
    }

    private func award(paidThrough: Period, today: LocalDate) async throws(ServiceError) -> Int {
        let book = try await operations.policy.book()
        let region = DemoDistrict.district
        let type = PensionAward.caseType.id
        let now = operations.clock.now()
        let actor = AuditActor.system("demo")
        return try await perform { try await operations.database.write { db in
            var points: [String: [Int64]] = [:]
            for row in try await db.raw("SELECT id, region_code FROM payment_points ORDER BY id").all() {
                points[String(try row.decode(column: "region_code", as: String.self).prefix(9)), default: []].append(try row.decode(column: "id", as: Int64.self))
            }
            let candidates = try await db.raw(
                """
                SELECT id, birth_date, sex, region_code FROM persons
                WHERE merged_into IS NULL AND id % 3 = 0 AND birth_date <= \(bind: LocalDate(year: today.year - 55, month: today.month, day: 1)!.description)
                    -- Not those the assistance caseload found with no income: supported, or of a dibao household.
                    AND NOT EXISTS (SELECT 1 FROM support_grants s WHERE s.person_id = persons.id)
                    AND NOT EXISTS (SELECT 1 FROM dibao_grants d JOIN household_members m ON m.household_id = d.household_id WHERE m.person_id = persons.id)
                ORDER BY id
                """
            ).all()
            var awarded = 0
            for row in candidates {
                let person = try row.decode(column: "id", as: Int64.self)
                guard let birth = LocalDate(iso: try row.decode(column: "birth_date", as: String.self)) else { continue }
                let male = try row.decode(column: "sex", as: String.self) == "male"
                let age = male ? 60 : 55
                guard let retirement = LocalDate(year: birth.year + age, month: birth.month, day: min(birth.day, 28)),
                      retirement.year >= 2006, retirement < today.period.previous.previous.firstDay,
                      let pointList = points[String(try row.decode(column: "region_code", as: String.self).prefix(9))], !pointList.isEmpty else { continue }
                let paid = 180 + Int(person % 200)
                let input = PensionAwardRule.Input(
                    retirementDate: retirement, ageAtRetirement: age, averageIndex: DecimalText("0.\(6 + person % 4)\(person % 10)"),
                    contributionMonths: paid, deemedMonths: 60 + Int(person % 180), monthsBefore1998: 60 + Int(person % 120),
                    accountBalance: Money(fen: Int64(paid) * 28_000))
                guard let result = try? PensionAwardRule.evaluate(input, book: book, region: region), result.output.eligible else { continue }
                let request = PensionAward.Request(personID: person, input: input, award: result.output, start: retirement.period.next,
                                                   statutoryRetirement: retirement.period, earliestRetirement: retirement.period)
                let home = try RegionCode(try row.decode(column: "region_code", as: String.self))
                let caseID = try await CaseStore().open(type: type, region: home, personID: person, payload: try StoreJSON.text(request), state: "approved",
                                                        dueOn: nil, by: actor, at: now, on: db)
                try await PensionStore().start(request, case: caseID, region: home, by: actor, at: now, on: db)
                // Paid by the district's earlier system through the month before the first payroll here.
                try await db.raw(
                    """
                    UPDATE pensions SET payment_point_id = \(bind: pointList[Int(person) % pointList.count]),
                        bank_account = \(bind: Self.account(person: person, version: 1)), account_version = 1,
                        certified_on = \(bind: max(retirement, today.addingMonths(-Int(person % 20)) ?? today).description)
                    WHERE person_id = \(bind: person)
                    """
                ).run()
                try await db.raw(
                    "UPDATE pension_progress SET paid_through = \(bind: Int64(max(paidThrough, retirement.period).yyyymm)) WHERE person_id = \(bind: person)"
                ).run()
                awarded += 1
            }
            return awarded
        } }
    }

    /// The banks' answers to a posted run's files: every payment settled but the fourth of each file and every 150th after it, refused
    /// for a closed account. Returns the persons whose payment was refused.
    private func answer(run: Int64, by accountant: Principal) async throws(ServiceError) -> [Int64] {
        let banks = try await operations.benefits.banks(by: accountant)
        var refused: [Int64] = []
        for bank in banks {
            let files = try await operations.benefits.payrollFiles(run: run, perFile: 5_000, format: .pain001, by: accountant)
            for file in files where file.bank.code == bank.code {
                let (_, data) = try await operations.benefits.payrollFile(run: run, bank: bank.code, part: file.part, perFile: 5_000, format: .pain001,
                                                                         by: accountant)
                let payments = Self.endToEndIDs(in: data)
                let failing = Set(payments.enumerated().filter { $0.offset % 150 == 3 }.map(\.element.number))
                let persons = try await perform { try await operations.database.read { db in
                    try await PayrollStore().persons(ofPayments: Array(failing), on: db)
                } }
                refused += persons
                let body: Data
                let name: String
                if bank.textEncoding == .gbk {
                    name = "\(file.name(run: run).dropLast(4))-return.txt"
                    body = Self.textReturn(messageID: PayrollFile.messageID(run: run, bank: bank.code, part: file.part), payments: payments, failing: failing)
                } else {
                    name = "\(file.name(run: run).dropLast(4))-pain002.xml"
                    body = Self.pain002(messageID: PayrollFile.messageID(run: run, bank: bank.code, part: file.part), payments: payments, failing: failing)
                }
                _ = try await operations.benefits.importReturn(body, fileName: name, by: accountant)
            }
        }
        return refused
    }

    /// The payments of a pain.001 file: end-to-end ids and amounts, read back as a bank would.
    static func endToEndIDs(in data: Data) -> [(number: Int64, amount: String)] {
        let text = String(decoding: data, as: UTF8.self)
        var found: [(Int64, String)] = []
        for piece in text.components(separatedBy: "<EndToEndId>").dropFirst() {
            guard let end = piece.range(of: "</EndToEndId>"), let number = BankTransfer.number(inEndToEndID: String(piece[..<end.lowerBound])),
                  let amountStart = piece.range(of: "Ccy=\"CNY\">"), let amountEnd = piece.range(of: "</InstdAmt>") else { continue }
            found.append((number, String(piece[amountStart.upperBound..<amountEnd.lowerBound])))
        }
        return found
    }

    static func pain002(messageID: String, payments: [(number: Int64, amount: String)], failing: Set<Int64>) -> Data {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.11"><CstmrPmtStsRpt>
            <GrpHdr><MsgId>R\(messageID)</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>
            <OrgnlGrpInfAndSts><OrgnlMsgId>\(messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
            <OrgnlPmtInfAndSts><OrgnlPmtInfId>\(messageID)</OrgnlPmtInfId>

            """
        for payment in payments {
            let failed = failing.contains(payment.number)
            xml += "<TxInfAndSts><OrgnlEndToEndId>\(BankTransfer.endToEndID(payment.number))</OrgnlEndToEndId><TxSts>\(failed ? "RJCT" : "ACSC")</TxSts>"
            if failed { xml += "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>账户已销户</AddtlInf></StsRsnInf>" }
            xml += "</TxInfAndSts>\n"
        }
        xml += "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n"
        return Data(xml.utf8)
    }

    static func textReturn(messageID: String, payments: [(number: Int64, amount: String)], failing: Set<Int64>) -> Data {
        var text = "H|\(messageID)|\(payments.count)|\r\n"
        for payment in payments {
            let failed = failing.contains(payment.number)
            text += "\(payment.number)|||\(payment.amount)||\(failed ? "失败|账户已销户" : "成功|")|\r\n"
        }
        text += "T|\(payments.count)|\r\n"
        return text.data(using: String.Encoding(rawValue: 0x8000_0632)) ?? Data(text.utf8)
    }

    /// The civil register reports a retiree who died in the month before last: the pension stops,
    /// and the two months paid since become an overpayment.
    private func reportDeath(lastPaid: Period, by accountant: Principal) async throws(ServiceError) {
        let died = lastPaid.advanced(by: -2).firstDay.adding(days: 14)
        guard let row = try await perform({ try await operations.database.read { db in
            try await db.raw(
                """
                SELECT p.id, p.resident_id, p.name, x.payment_point_id,
                    (SELECT k.resident_id FROM household_members m JOIN household_members o ON o.household_id = m.household_id AND o.person_id <> m.person_id
                        JOIN persons k ON k.id = o.person_id WHERE m.person_id = p.id ORDER BY o.person_id LIMIT 1) AS kin
                FROM pensions x JOIN pension_progress g ON g.person_id = x.person_id JOIN persons p ON p.id = x.person_id
                WHERE x.state = 'paying' AND g.paid_through = \(bind: Int64(lastPaid.yyyymm)) ORDER BY x.person_id DESC LIMIT 1
                """
            ).first().map { (try $0.decode(column: "resident_id", as: String.self), try $0.decode(column: "name", as: String.self),
                             try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "kin", as: String?.self),
                             try $0.decode(column: "payment_point_id", as: Int64?.self)) }
        } }) else { return }
        let csv = "公民身份号码,姓名,死亡日期\n\(row.0),\(row.1),\(died)\n"
        _ = try await operations.benefits.importDeaths(Data(csv.utf8), fileName: "死亡登记-\(lastPaid).csv", by: accountant)
        // A member of the household comes for the funeral grant and the rest: the case waits for its papers.
        if let kin = row.3, let point = row.4 {
            let clerk = try await operations.access.principal(named: "district")
            _ = try await operations.benefits.openSurvivorPayout(personID: row.2, nextOfKin: kin, paymentPoint: String(point),
                                                                 account: Self.account(person: row.2, version: 9), by: clerk)
        }
    }
}
