public import ShebaoCore
import ShebaoStore
import SQLKit

/// The monthly assessment (核定) as a batch run (DESIGN.md §5): one chunk per 100,000 person ids,
/// each an `INSERT … SELECT` per scheme, payer type and risk class in its own transaction. A clerk computes it, a
/// reviewer approves it before the bills go out. Reruns double nothing (one live run per period
/// and scope, one line per run and enrolment); the parameters are those approved when the run
/// was created — a run whose book changed meanwhile refuses to go on and must be started again.
public enum InsuranceAssessment {
    public static let kind = BatchKind(
        id: "insurance.assessment",
        totalUnit: .money,
        computeRoles: [.districtClerk, .townClerk],
        decideRoles: [.reviewer],
        postRoles: [.districtClerk, .townClerk, .fundAccountant],
        chunks: { key, db in try await InsuranceStore().chunks(in: key.scope, on: db).map(\.key) },
        compute: { run, chunk, db in
            guard try await ParameterStore().fingerprint(on: db) == run.inputs["parameters"] else { throw AssessmentRefusal.parametersChanged }
            guard let persons = AssessmentChunk(key: chunk) else { throw AssessmentRefusal.badChunk(chunk) }
            let book = ParameterBook(try await ParameterStore().records(status: .approved, on: db).map(\.parameter))
            // The district's parameters: every township of one installation shares them.
            let rates = try groups(period: run.key.period, book: book, region: run.key.scope)
            // Approved coverage changes never start in a month a live run holds, so this list is the one the run began with.
            let inpatientOnly = try await MedicalCoverageStore().inpatientOnlyUnits(in: run.key.period, scope: run.key.scope, on: db)
            let result = try await InsuranceStore().assess(runID: run.id, chunk: persons, scope: run.key.scope, period: run.key.period, rates: rates,
                                                           inpatientOnlyUnits: inpatientOnly, on: db)
            return (result.lines, result.total)
        },
        post: { run, actor, now, db in
            // The bills go out — the units' and those of the persons on their own account — and
            // what they ask for becomes receivable in each fund.
            try await CollectionStore().writeBills(run: run.id, on: db)
            try await CollectionStore().writeOwnBills(run: run.id, chunks: run.chunkKeys.compactMap(AssessmentChunk.init(key:)), on: db)
            guard let region = try await InstallationStore().current(on: db)?.region else { return }
            let billed = try await CollectionStore().billedByFund(run: run.id, on: db)
            let memo = StringTables.bundled.text("ledger.memo.assessment", .zhHans, ["period": run.key.period.description, "run": String(run.id)])
            for fund in Fund.allCases {
                guard let amount = billed[fund], amount.fen > 0 else { continue }
                let draft = LedgerEntryDraft(fund: fund, occurredOn: run.key.period.lastDay, memo: memo, source: "batch:\(run.id)",
                                             lines: [LedgerLine(.receivable, debit: amount), LedgerLine(.contributionIncome, credit: amount)])
                _ = try await LedgerStore().post(draft, region: region, key: "assessment:\(run.id):\(fund.rawValue)", by: actor, at: now, on: db)
            }
        },
        output: { run, db, _ in
            let totals = try await InsuranceStore().totals(of: run.id, on: db)
            func figures(_ t: AssessmentTotal) -> [String] {
                [String(t.lines), t.base.formatted, t.individual.formatted, t.employer.formatted, t.accountCredit.formatted]
            }
            let sum = totals.reduce(AssessmentTotal(scheme: .pension, lines: 0, base: .zero, individual: .zero, employer: .zero, accountCredit: .zero)) {
                AssessmentTotal(scheme: .pension, lines: $0.lines + $1.lines, base: Money(fen: $0.base.fen + $1.base.fen),
                                individual: Money(fen: $0.individual.fen + $1.individual.fen), employer: Money(fen: $0.employer.fen + $1.employer.fen),
                                accountCredit: Money(fen: $0.accountCredit.fen + $1.accountCredit.fen))
            }
            return OutputTable(
                columns: ["assessment.scheme", "assessment.lines", "assessment.base", "assessment.individual", "assessment.employer", "assessment.account_credit"],
                rows: totals.map { [$0.scheme.labelKey] + figures($0) }, total: figures(sum), labelColumns: [0])
        })

    /// Every group a month is assessed in: each scheme for employees (work injury once per risk
    /// class, medical again for struggling enterprises' staff), and pension and medical for the
    /// self-employed.
    static func groups(period: Period, book: ParameterBook, region: RegionCode) throws -> [(ContributionRates, riskClass: Int?)] {
        var groups: [(ContributionRates, riskClass: Int?)] = []
        for scheme in Scheme.allCases {
            if scheme == .workInjury {
                // The risk classes of the table in force: three until 2015-09, eight after (人社部发〔2015〕71号).
                guard case .table(let table) = try book.resolve("work_injury.base_rate_bp", region: region, on: period.firstDay).value else { continue }
                for riskClass in table.keys.sorted().map(Int.init) {
                    groups.append((try ContributionColumns(scheme: scheme, payer: .employee, period: period, book: book, region: region, riskClass: riskClass).rates,
                                   riskClass))
                }
            } else {
                groups.append((try ContributionColumns(scheme: scheme, payer: .employee, period: period, book: book, region: region).rates, nil))
            }
            if scheme == .medical {
                // Struggling enterprises' staff (PROGRAMS.md §2.8), where the month has a rate for them.
                if let rates = try? ContributionColumns(scheme: scheme, payer: .employee, period: period, book: book, region: region, inpatientOnly: true).rates {
                    groups.append((rates, nil))
                }
            }
        }
        for scheme in [Scheme.pension, .medical] {
            groups.append((try ContributionColumns(scheme: scheme, payer: .selfEmployed, period: period, book: book, region: region).rates, nil))
        }
        return groups
    }
}

/// Why an assessment chunk was not computed.
public enum AssessmentRefusal: Error, Sendable, CodedError {
    case parametersChanged
    /// A chunk key this kind did not write (a run's chunks are fixed when it is created).
    case badChunk(String)

    public var code: String {
        switch self {
        case .parametersChanged: "assessment.parameters_changed"
        case .badChunk: "assessment.bad_chunk"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .parametersChanged: [:]
        case .badChunk(let chunk): ["chunk": chunk]
        }
    }
}
