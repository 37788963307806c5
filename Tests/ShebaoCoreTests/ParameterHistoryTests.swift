import Foundation
import Testing

@testable import ShebaoCore

/// Every rule, month by month from the start of its scheme to December 2026, in the district
/// (331004): each month gives an amount, not a missing parameter. A 1995 contribution, a 1997
/// award, a 2015 death or a 2017 adjustment must be computable from the shipped book.
@Suite("Rules: parameter history from each scheme's start")
struct ParameterHistoryTests {
    static let region = RegionCode(trusted: "331004000000")
    static let end = Period(year: 2026, month: 12)!

    /// A rule's walk: where it starts and how its example is moved to a month.
    struct Walk: Sendable, CustomStringConvertible {
        var rule: String
        var start: Period
        var overrides: @Sendable (Period) -> [String: Any]
        var description: String { "\(rule) from \(start)" }
    }

    static func day(_ period: Period, _ day: Int = 1) -> String { String(format: "%04d-%02d-%02d", period.year, period.month, day) }
    static func month(_ period: Period) -> String { period.description }
    static func p(_ year: Int, _ month: Int) -> Period { Period(year: year, month: month)! }

    static let walks: [Walk] = [
        Walk(rule: "contribution", start: p(1995, 1)) { ["scheme": "pension", "period": month($0)] },
        Walk(rule: "contribution", start: p(1996, 10)) { ["scheme": "work_injury", "riskClass": 1, "period": month($0)] },
        Walk(rule: "contribution", start: p(1998, 1)) { ["scheme": "maternity", "period": month($0)] },
        Walk(rule: "contribution", start: p(1999, 1)) { ["scheme": "medical", "period": month($0)] },
        Walk(rule: "contribution", start: p(1999, 2)) { ["scheme": "unemployment", "period": month($0)] },
        Walk(rule: "contribution", start: p(1995, 1)) { ["scheme": "pension", "payer": "self_employed", "period": month($0)] },
        Walk(rule: "account-interest", start: p(1995, 1)) { ["year": $0.year] },
        Walk(rule: "late-surcharge", start: p(1999, 2)) { ["from": day($0), "paidOn": day($0.next)] },
        Walk(rule: "retirement-age", start: p(1995, 1)) { ["birth": month($0.advanced(by: -60 * 12)), "category": "male"] },
        Walk(rule: "retirement-age", start: p(1995, 1)) { ["birth": month($0.advanced(by: -50 * 12)), "category": "female_worker", "startedWorkBefore1998": true, "disabled": true] },
        Walk(rule: "pension-award", start: p(1995, 1)) { ["retirementDate": day($0)] },
        Walk(rule: "pension-award", start: p(1995, 1)) { ["retirementDate": day($0), "contributionMonths": 60, "monthsBefore1998": 0] },
        Walk(rule: "pension-adjustment", start: p(1995, 1)) { ["year": $0.year] },
        Walk(rule: "survival-certification", start: p(1999, 1)) { ["lastCertified": day($0.advanced(by: -12)), "asOf": day($0)] },
        Walk(rule: "unemployment-benefit", start: p(1999, 2)) { ["registeredOn": day($0)] },
        Walk(rule: "pension-death", start: p(1995, 1)) {
            ["deathDate": day($0), "accountOwn": 6_000_000, "accountTransfer": 2_000_000, "accountPensionDrawn": 4_000_000]
        },
        Walk(rule: "employment-subsidy", start: p(1999, 2)) { ["date": day($0), "kind": "training", "cost": 100_000] },
        Walk(rule: "employment-subsidy", start: p(1999, 2)) { ["date": day($0), "kind": "placement", "cost": 100_000] },
        Walk(rule: "work-injury-disability", start: p(1996, 10)) { ["injuryDate": day($0)] },
        Walk(rule: "work-injury-death", start: p(1996, 10)) { ["deathDate": day($0)] },
        Walk(rule: "maternity-allowance", start: p(1998, 1)) { ["eventDate": day($0)] },
        Walk(rule: "medical-reimbursement", start: p(1999, 1)) { ["date": day($0)] },
        Walk(rule: "medical-reimbursement", start: p(1999, 1)) { ["date": day($0), "hospitalLevel": "community", "retired": true] },
        Walk(rule: "medical-reimbursement", start: p(1999, 1)) { ["date": day($0), "hospitalLevel": "district"] },
        Walk(rule: "dibao-benefit", start: p(1997, 7)) { ["period": month($0)] },
        Walk(rule: "dibao-benefit", start: p(1997, 7)) { ["period": month($0), "monthlyIncome": 1_000_000] },
        Walk(rule: "support-standard", start: p(1995, 1)) { ["year": $0.year, "kind": "five_guarantees"] },
        Walk(rule: "support-standard", start: p(1998, 1)) { ["year": $0.year, "kind": "three_withouts"] },
        Walk(rule: "ncms-financing", start: p(2004, 1)) { ["year": $0.year] },
        Walk(rule: "ncms-reimbursement", start: p(2004, 1)) { ["date": day($0)] },
        Walk(rule: "ncms-reimbursement", start: p(2004, 1)) { ["date": day($0), "scheme": "medical_assistance"] },
        Walk(rule: "education-aid", start: p(2004, 1)) { ["year": $0.year] },
        Walk(rule: "disabled-levy", start: p(1995, 1)) { ["year": $0.year] },
        Walk(rule: "land-requisition", start: p(2003, 1)) { ["requisitionDate": day($0)] },
        Walk(rule: "welfare-home-subsidy", start: p(2004, 1)) { ["date": day($0)] },
        Walk(rule: "temporary-relief", start: p(2004, 1)) { ["date": day($0)] },
    ]

    @Test(arguments: walks)
    func everyMonthGivesAnAmount(walk: Walk) throws {
        let entry = try #require(RuleCatalog.entry(walk.rule))
        let example = try #require(try JSONSerialization.jsonObject(with: entry.exampleJSON) as? [String: Any])
        let book = PolicyDefaults.book
        var failures: [String] = []
        for period in walk.start...Self.end {
            let input = example.merging(walk.overrides(period)) { $1 }
            let data = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
            do {
                _ = try entry.evaluate(data, book, Self.region)
            } catch {
                failures.append("\(period): \(error)")
            }
        }
        #expect(failures.count == 0, "\(walk): \(failures.count) months fail, first \(failures.prefix(3))")
    }

    /// Every rule has a walk, so a new rule cannot escape this test.
    @Test func everyRuleIsWalked() {
        let walked = Set(Self.walks.map(\.rule))
        #expect(Set(RuleCatalog.entries.map(\.id)).subtracting(walked).isEmpty)
    }
}

/// Every shipped value lies inside the plausible range its unit declares, and every unit of a
/// money, rate or integer parameter declares one.
@Test func everyShippedValueIsPlausible() throws {
    for parameter in PolicyDefaults.parameters where ["money", "rate", "integer"].contains(parameter.value.kind) {
        let range = try #require(PlausibleRange.of(unit: parameter.unit, kind: parameter.value.kind), "\(parameter.key): \(parameter.unit)")
        #expect(range.contains(parameter.value), "\(parameter.key) \(parameter.validFrom): \(parameter.value.text)")
    }
    let standard = try #require(PlausibleRange.of(unit: "yuan/person/month", kind: "money"))
    #expect(!standard.contains(.money(Money(fen: 99_999_900))))
    #expect(standard.contains(.money(Money(fen: 120_000))))
}
