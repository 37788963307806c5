public import ShebaoCore
import ShebaoStore
import Foundation
import SQLKit

/// Several years of the demo district's social insurance, lived through the same services a
/// district uses (PROGRAMS.md §6): each month assessed by the district clerk, approved by the
/// reviewer and posted; the tax bureau's receipts of the month imported as a file; the month's
/// income swept to the special account; each year's interest run once the year is over. Units
/// pay in the ways units do — most within the month, some a few months late (and owe a
/// surcharge), some in part, and a few stop paying, so their staff drop out; the persons on
/// their own account pay the same ways.
public struct DemoInsuranceHistory: Sendable {
    /// The first month simulated (the demo's bases start in 2024).
    public static let firstPeriod = Period(year: 2024, month: 1)!

    let operations: Operations

    public init(operations: Operations) {
        self.operations = operations
    }

    /// A unit's habit, from its id: fixed, so the demo is the same on every run.
    enum Habit {
        case onTime, late(months: Int), partly, stopsFrom(Period)

        init(employer: Int64) {
            switch employer % 20 {
            case 0: self = .stopsFrom(Period(year: 2026, month: 5)!)
            case 1: self = .late(months: 2)
            case 2: self = .partly
            case 3: self = .late(months: 1)
            default: self = .onTime
            }
        }
    }

    /// A payment the tax bureau will report.
    struct Receipt {
        var line: CollectionLine
    }

    /// Runs every month from ``firstPeriod`` through the last month that is over; returns the
    /// months simulated. `progress` hears (month, of months).
    @discardableResult
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws(ServiceError) -> Int {
        let clerk = try await operations.access.principal(named: "district")
        let reviewer = try await operations.access.principal(named: "reviewer")
        let accountant = try await operations.access.principal(named: "accountant")
        let today = operations.clock.now().dateInChina
        let last = Period(year: today.year, month: today.month)!.previous
        guard last >= Self.firstPeriod else { return 0 }
        let months = Self.firstPeriod.distance(to: last) + 1
        var pending: [Receipt] = []
        var done = 0
        for period in Self.firstPeriod...last {
            let run = try await operations.batches.start(kind: InsuranceAssessment.kind.id, period: period.description, by: clerk)
            if run.state == .computed { _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer) }
            if try await operations.batches.run(run.id, by: clerk).state == .approved { _ = try await operations.batches.post(run.id, by: accountant) }
            pending += try await receipts(for: period, today: today)
            // The tax bureau's file of the month: everything paid in it.
            let (now, later) = (pending.filter { Period(year: $0.line.paidOn.year, month: $0.line.paidOn.month)! <= period }, pending.filter {
                Period(year: $0.line.paidOn.year, month: $0.line.paidOn.month)! > period
            })
            pending = later
            var lines = now.map(\.line)
            if period == last { lines += Self.strangerLines(period: period, today: today) }
            if !lines.isEmpty {
                let outcome = try await operations.insurance.importCollections(Self.file(lines), fileName: "税务征收明细-\(period).csv", by: accountant)
                guard outcome.accepted else { throw .conflict("demo.collection_rejected", ["count": String(outcome.issues.count)]) }
            }
            if period.lastDay < today { _ = try await operations.ledger.sweep(period: period, by: accountant) }
            if period.month == 12 && period.lastDay < today {
                let interest = try await operations.batches.start(kind: AccountInterest.kind.id, period: period.description, by: clerk)
                if interest.state == .computed { _ = try await operations.batches.decide(interest.id, approve: true, note: nil, by: reviewer) }
                if try await operations.batches.run(interest.id, by: clerk).state == .approved { _ = try await operations.batches.post(interest.id, by: accountant) }
            }
            done += 1
            progress?(done, months)
        }
        // What was paid this month so far comes in today's file.
        if !pending.isEmpty {
            let outcome = try await operations.insurance.importCollections(Self.file(pending.map(\.line)), fileName: "税务征收明细-\(last.next).csv",
                                                                           by: accountant)
            guard outcome.accepted else { throw .conflict("demo.collection_rejected", ["count": String(outcome.issues.count)]) }
        }
        return months
    }

    /// What each unit, and each person on their own account, pays for `period`'s bills, and
    /// when, by their habit.
    private func receipts(for period: Period, today: LocalDate) async throws(ServiceError) -> [Receipt] {
        let (bills, own) = try await operations.database.readBills(period: period)
        // One payer per bill: its key for the habit, the payer, what it asks and the headcount.
        let dues = bills.map { (key: $0.employerID, payer: CollectionPayer.unit(creditCode: $0.creditCode), voucher: "\($0.employerID)", scheme: $0.scheme,
                                amount: $0.assessed, headcount: Optional($0.headcount)) }
            + own.map { (key: $0.personID, payer: CollectionPayer.person($0.residentID), voucher: "P\($0.personID)", scheme: $0.scheme,
                         amount: $0.assessed, headcount: nil) }
        var receipts: [Receipt] = []
        for due in dues {
            let mix = Self.mix(due.key, Int64(period.yyyymm))
            var amount = due.amount
            var paidOn = LocalDate(year: period.year, month: period.month, day: 8 + Int(mix % 20))!
            switch Habit(employer: due.key) {
            case .onTime:
                // One month in 25 slips into the next.
                if mix % 25 == 0 { paidOn = period.next.firstDay.adding(days: Int(mix % 27)) }
            case .late(let months):
                paidOn = period.advanced(by: months).firstDay.adding(days: Int(mix % 27))
            case .partly:
                if period.month % 6 == 0 { amount = Money(fen: amount.fen / 2) }
            case .stopsFrom(let month):
                if period >= month { continue }
            }
            guard amount.fen > 0, paidOn < today else { continue }
            // One unit in ten reports a headcount that differs from its enrolments.
            let headcount = due.headcount.map { $0 + (mix % 10 == 0 ? 1 : 0) }
            receipts.append(Receipt(line: CollectionLine(
                row: 0, payer: due.payer, period: period, scheme: due.scheme, amount: amount, paidOn: paidOn,
                voucher: "DEMO\(period.yyyymm)\(due.voucher)\(due.scheme.voucherLetter)", headcount: headcount)))
        }
        return receipts
    }

    /// Payments from a unit and a person the district does not know: they wait in the queue.
    static func strangerLines(period: Period, today: LocalDate) -> [CollectionLine] {
        let body = "91331004MA2DEMKQ9"
        let code = body + String(CreditCode.checkCharacter(for: Array(body)))
        let day = min(today.adding(days: -1), period.lastDay)
        // Registered in Beijing: no demo person is.
        let person = ResidentID(areaCode: "110101", birthDate: LocalDate(year: 1980, month: 1, day: 1)!, sequence: 1)
        return [
            CollectionLine(row: 0, payer: .unit(creditCode: code), period: period, scheme: .pension, amount: Money(fen: 123_456), paidOn: day,
                           voucher: "DEMO\(period.yyyymm)UNKNOWN"),
            CollectionLine(row: 0, payer: .person(person), period: period, scheme: .medical, amount: Money(fen: 45_600), paidOn: day,
                           voucher: "DEMO\(period.yyyymm)NOBODY"),
        ]
    }

    /// The lines as the tax bureau's CSV.
    static func file(_ lines: [CollectionLine]) -> Data {
        let header = ["creditCode", "residentID", "period", "scheme", "amount", "paidOn", "voucher", "headcount"]
        return CSV.write(header: header, rows: lines.map {
            [$0.payer.creditCode ?? "", $0.payer.residentID?.value ?? "", $0.period.description, $0.scheme.rawValue, $0.amount.decimalString, $0.paidOn.description, $0.voucher,
             $0.headcount.map(String.init) ?? ""]
        })
    }

    /// A well-spread number from two (splitmix64's finaliser).
    static func mix(_ a: Int64, _ b: Int64) -> UInt64 {
        var z = UInt64(bitPattern: a) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: b)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Scheme {
    /// One letter per scheme for the demo's voucher numbers.
    var voucherLetter: String {
        switch self {
        case .pension: "P"
        case .medical: "M"
        case .unemployment: "U"
        case .workInjury: "W"
        case .maternity: "B"
        }
    }
}

extension ShebaoDatabase {
    /// Every bill of a month, the units' and the persons' on their own account, for the demo's tax bureau.
    func readBills(period: Period) async throws(ServiceError) -> ([Bill], [OwnBill]) {
        try await ShebaoOperations.perform {
            try await self.read { db in
                (try await CollectionStore().bills(CollectionStore.BillFilter(period: period, in: .nation), limit: 10_000_000, on: db),
                 try await CollectionStore().ownBills(period: period, in: .nation, on: db))
            }
        }
    }
}
