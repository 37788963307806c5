public import ShebaoCore
import ShebaoStore
import SQLKit

/// The yearly pension adjustment (基本养老金调整, RULES.md §1.6) as a batch run of period
/// `YYYY-01`: each pension being paid since before the year is raised by `PensionAdjustmentRule`
/// — flat, per contribution year, a share of the pension, and an old-age supplement, each part
/// kept — chunk by chunk; a reviewer approves; posting gives each pension its new amount from
/// January and, for the months of the year already paid at the old one, arrears the next
/// payroll pays. A pension is raised once a year (`adjusted_year`).
public enum PensionAdjustment {
    public static let kind = BatchKind(
        id: "benefits.adjustment",
        totalUnit: .money,
        computeRoles: [.districtClerk, .fundAccountant],
        decideRoles: [.reviewer],
        postRoles: [.fundAccountant, .districtClerk],
        chunks: { _, db in try await PayrollStore().chunks(on: db).map(\.key) },
        compute: { run, chunk, db in
            guard let persons = AssessmentChunk(key: chunk) else { throw AssessmentRefusal.badChunk(chunk) }
            guard try await ParameterStore().fingerprint(on: db) == run.inputs["parameters"] else { throw AssessmentRefusal.parametersChanged }
            let book = ParameterBook(try await ParameterStore().records(status: .approved, on: db).map(\.parameter))
            let year = run.key.period.year
            let region = try await InstallationStore().current(on: db)?.region ?? run.key.scope
            var lines: [PensionAdjustmentLine] = []
            for candidate in try await AdjustmentStore().candidates(chunk: persons, year: year, scope: run.key.scope, on: db) {
                let input = PensionAdjustmentRule.Input(year: year, currentPension: candidate.monthly, contributionYears: Int(candidate.contributionMonths / 12),
                                                        age: candidate.birthDate.age(on: LocalDate(year: year, month: 1, day: 1)!))
                let output = try PensionAdjustmentRule.evaluate(input, book: book, region: region).output
                lines.append(PensionAdjustmentLine(personID: candidate.personID, old: candidate.monthly, new: output.newPension, flat: output.flat,
                                                   byYears: output.byYears, byPension: output.byPension, age: output.ageSupplement,
                                                   contributionYears: Int64(input.contributionYears), ageYears: Int64(input.age)))
            }
            try await AdjustmentStore().insert(lines, run: run.id, chunk: chunk, on: db)
            return (Int64(lines.count), lines.reduce(Int64(0)) { $0 + ($1.new.fen - $1.old.fen) })
        },
        post: { run, _, _, db in
            try await AdjustmentStore().apply(run: run.id, year: run.key.period.year, on: db)
        },
        output: { run, db, _ in
            let totals = try await AdjustmentStore().totals(run: run.id, on: db)
            let average = totals.count > 0 ? Money(fen: (totals.new.fen - totals.old.fen) / totals.count) : .zero
            return OutputTable(columns: ["adjustment.pensions", "adjustment.old", "adjustment.new", "adjustment.average"],
                               rows: [[String(totals.count), totals.old.formatted, totals.new.formatted, average.formatted]])
        })
}
