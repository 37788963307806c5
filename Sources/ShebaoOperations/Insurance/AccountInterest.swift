public import ShebaoCore
import ShebaoStore
import SQLKit

/// The year-end interest of pension individual accounts (RULES.md §1.2) as a batch run for
/// period `YYYY-12`: every account's closing balance by the 13/24 rule at the year's announced
/// rate, set-based per 100,000 person ids. Started once the year is over (credits of the year are
/// all in), after the year before was closed; a reviewer approves it.
public enum AccountInterest {
    public static let kind = BatchKind(
        id: "insurance.interest",
        totalUnit: .money,
        computeRoles: [.districtClerk],
        decideRoles: [.reviewer],
        postRoles: [.districtClerk, .fundAccountant],
        chunks: { key, db in
            guard key.period.month == 12 else { throw InterestRefusal.notDecember(key.period.description) }
            return try await IndividualAccountStore().interestChunks(on: db).map(\.key)
        },
        compute: { run, chunk, db in
            let year = run.key.period.year
            guard let asOf = run.inputs["asOf"], asOf >= "\(year + 1)-01-01" else { throw InterestRefusal.yearNotOver(year) }
            if let missing = try await IndividualAccountStore().missingEarlierYear(before: year, on: db) { throw InterestRefusal.earlierYearOpen(missing) }
            guard try await ParameterStore().fingerprint(on: db) == run.inputs["parameters"] else { throw AssessmentRefusal.parametersChanged }
            guard let persons = AssessmentChunk(key: chunk) else { throw AssessmentRefusal.badChunk(chunk) }
            let rate = try rate(for: year, book: ParameterBook(try await ParameterStore().records(status: .approved, on: db).map(\.parameter)),
                                region: run.key.scope)
            let result = try await IndividualAccountStore().closeYear(year, rate: rate, runID: run.id, chunk: persons, on: db)
            return (result.rows, result.interest)
        },
        output: { run, db, _ in
            let totals = try await IndividualAccountStore().yearTotals(run: run.id, on: db)
            let interest = Money(fen: totals.closing.fen - totals.opening.fen - totals.credited.fen)
            return OutputTable(
                columns: ["interest.accounts", "interest.opening", "interest.credited", "interest.interest", "interest.closing"],
                rows: [[String(totals.accounts), totals.opening.formatted, totals.credited.formatted, interest.formatted, totals.closing.formatted]])
        })

    /// The announced rate for `year`, between 0 and 100% (Social Insurance Law Art. 14: never negative).
    static func rate(for year: Int, book: ParameterBook, region: RegionCode) throws -> Rate {
        var calculation = Calculation(rule: AccountInterestRule.id, book: book, region: region, date: LocalDate(year: year, month: 12, day: 31)!)
        let rate = try calculation.rate("pension.account_interest_rate")
        guard (0...1_000_000_000).contains(rate.nanos) else { throw InterestRefusal.rateOutOfRange(rate.description) }
        return rate
    }
}

/// Why an interest run did not go on.
public enum InterestRefusal: Error, Sendable, CodedError {
    case notDecember(String)
    case yearNotOver(Int)
    case earlierYearOpen(Int)
    case rateOutOfRange(String)

    public var code: String {
        switch self {
        case .notDecember: "interest.not_december"
        case .yearNotOver: "interest.year_not_over"
        case .earlierYearOpen: "interest.earlier_year_open"
        case .rateOutOfRange: "interest.rate_out_of_range"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .notDecember(let period): ["period": period]
        case .yearNotOver(let year), .earlierYearOpen(let year): ["year": String(year)]
        case .rateOutOfRange(let rate): ["rate": rate]
        }
    }
}
