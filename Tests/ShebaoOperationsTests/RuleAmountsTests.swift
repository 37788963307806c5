import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The amounts the rules got wrong, computed through the policy service from the book stored in
/// each database, with the explanation naming the clamp, the month and the split.
@Suite("Rules: amounts corrected, on both databases")
struct RuleAmountsTests {
    struct Answer {
        var output: [String: Any]
        var explanation: Explanation

        func money(_ key: String) -> Int64? { (output[key] as? NSNumber)?.int64Value }
        func steps(_ key: String) -> [Explanation.Step] { explanation.steps.filter { $0.key == key } }
    }

    static func calculate(_ operations: Operations, _ rule: String, _ json: String) async throws -> Answer {
        let principal = try await operations.access.principal(named: "district")
        let result = try await operations.policy.calculate(rule, input: Data(json.utf8), region: nil, by: principal)
        let output = try #require(try JSONSerialization.jsonObject(with: result.evaluation.output) as? [String: Any])
        return Answer(output: output, explanation: result.evaluation.explanation)
    }

    /// Survivor pensions are shares of the own wage clamped to 60–300% of the local average.
    @Test(arguments: TestDatabaseKind.available)
    func survivorPensionsUseTheClampedOwnWage(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let low = try await Self.calculate(operations, "work-injury-death",
                #"{"deathDate":"2024-03-01","deceasedWage":100000,"localAverageWage":600000,"dependants":[{"relation":"spouse"}]}"#)
            #expect(low.money("ownWage") == 360_000)
            #expect((low.output["survivorPensions"] as? [NSNumber])?.map(\.int64Value) == [144_000])
            #expect(low.steps("explain.injury.own_wage").first?.expression == "min(max(1,000.00, 6,000.00 × 60%), 6,000.00 × 300%)")
            let high = try await Self.calculate(operations, "work-injury-death",
                #"{"deathDate":"2024-03-01","deceasedWage":3000000,"localAverageWage":600000,"dependants":[{"relation":"spouse"}]}"#)
            #expect((high.output["survivorPensions"] as? [NSNumber])?.map(\.int64Value) == [720_000])
            #expect(high.money("ownWage") == 1_800_000)
        }
    }

    /// The district's 500 is a share of the five-guarantees standard, not an addition to it.
    @Test(arguments: TestDatabaseKind.available)
    func fiveGuaranteesStandardIsSplitNotRaised(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let answer = try await Self.calculate(operations, "support-standard", #"{"year":2004,"kind":"five_guarantees","form":"dispersed"}"#)
            #expect(answer.money("yearlyStandard") == 368_700)
            #expect(answer.money("districtShare") == 50_000)
            #expect(answer.money("villagesAndTownsShare") == 318_700)
            #expect(answer.steps("explain.support.split").first?.expression == "3,687.00 = 500.00 + 3,187.00")
            #expect(answer.output["yearlyTotal"] == nil)
            #expect(answer.steps("explain.support.monthly").first?.result == "307.25")
            // From 2016 the extremely-poor standard: at least 1.3 × the dibao standard, for three withouts too.
            let three = try await Self.calculate(operations, "support-standard", #"{"year":2020,"kind":"three_withouts"}"#)
            #expect(three.explanation.parameters.contains { $0.key == "three_withouts.dibao_multiple" && $0.validFrom == "2016-02-10" })
            #expect(three.money("districtShare") == three.money("yearlyStandard"))
        }
    }

    /// The floor of a land-requisitioned farmer's benefit is read at the month paid.
    @Test(arguments: TestDatabaseKind.available)
    func landRequisitionFloorIsTheMonthPaid(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let answer = try await Self.calculate(operations, "land-requisition",
                #"{"birthDate":"1944-01-01","sex":"male","requisitionDate":"2009-12-15","tierAmount":10000}"#)
            #expect(answer.output["benefitStart"] as? String == "2010-01")
            let book = try await operations.policy.book()
            let dibao = try book.resolve("dibao.standard.street", region: RegionCode(trusted: "331004000000"), on: LocalDate(year: 2010, month: 1, day: 1)!)
            guard case .money(let standard) = dibao.value else { Issue.record("no standard"); return }
            #expect(answer.money("monthlyBenefit") == standard.fen)
            #expect(answer.steps("explain.land.benefit").first?.expression.hasSuffix("(2010-01)") == true)
        }
    }

    /// Counts and orders that cannot be: more add-on members than the household; a fourth child.
    @Test(arguments: TestDatabaseKind.available)
    func impossibleCountsAndTheFourthChild(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            await #expect(throws: ServiceError(.invalid, "rule.more_than_household", ["field": "elderly"], labels: ["field": "input.elderly"],
                                               fieldIssues: [FieldIssue("elderly", "rule.more_than_household", ["field": "elderly"])])) {
                _ = try await Self.calculate(operations, "dibao-benefit", #"{"period":"2004-01","areaType":"street","householdSize":2,"monthlyIncome":0,"elderly":3}"#)
            }
            let third = try await Self.calculate(operations, "maternity-allowance", #"{"eventDate":"2024-04-01","employerAverageWage":600000,"event":"birth","childOrder":3}"#)
            #expect(third.output["leaveDays"] as? Int == 188)
            let fourth = try await Self.calculate(operations, "maternity-allowance", #"{"eventDate":"2024-04-01","employerAverageWage":600000,"event":"birth","childOrder":4}"#)
            #expect(fourth.output["leaveDays"] as? Int == 98)
            #expect(!fourth.steps("explain.maternity.no_local_extra").isEmpty)
        }
    }

    /// Too few months give no monthly pension, but the alternatives and the lump sum; the Zhejiang
    /// transition lets a 1998–2010 retiree who started before 1998 qualify with ten years.
    @Test(arguments: TestDatabaseKind.available)
    func shortServiceGetsAlternativesNotAPension(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let short = try await Self.calculate(operations, "pension-award",
                #"{"retirementDate":"2024-07-01","ageAtRetirement":60,"averageIndex":"1","contributionMonths":100,"accountBalance":5000000}"#)
            #expect(short.output["eligible"] as? Bool == false)
            #expect(short.money("total") == 0)
            #expect(short.output["minimumContributionMonths"] as? Int == 180)
            #expect(short.output["alternatives"] as? [String] == ["pension.alternative.continue", "pension.alternative.refund", "pension.alternative.residents_scheme"])
            #expect(short.money("lumpSumRefund") == 5_000_000)
            #expect(short.steps("explain.pension.not_eligible").first?.expression == "100 < 180")
            #expect(!short.steps("explain.pension.refund").isEmpty)
            // 2005: started before 1998, 130 months (> 10 years): a monthly pension.
            let transition = try await Self.calculate(operations, "pension-award",
                #"{"retirementDate":"2005-07-01","ageAtRetirement":60,"averageIndex":"1","contributionMonths":130,"monthsBefore1998":40,"accountBalance":3000000}"#)
            #expect(transition.output["eligible"] as? Bool == true)
            #expect(transition.output["minimumContributionMonths"] as? Int == 120)
            #expect(!transition.steps("explain.retirement.zhejiang_transition").isEmpty)
            // 2005 with 100 months: the account plus a month of the indexed wage per full year (Zhejiang Art. 34).
            let refund = try await Self.calculate(operations, "pension-award",
                #"{"retirementDate":"2005-07-01","ageAtRetirement":60,"averageIndex":"1","contributionMonths":100,"monthsBefore1998":40,"accountBalance":3000000,"referenceWage":175000}"#)
            #expect(refund.output["eligible"] as? Bool == false)
            #expect(refund.money("lumpSumRefund") == Int64(3_000_000 + 175_000 * 8))
        }
    }

    /// Flexible and disability retirement, and a rule that needs a dibao standard only to flag bounds.
    @Test(arguments: TestDatabaseKind.available)
    func retirementOptionsAndUncheckedBounds(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let man = try await Self.calculate(operations, "retirement-age", #"{"birth":"1965-01","category":"male","disabled":true}"#)
            #expect(man.output["retirement"] as? String == "2025-02")
            #expect(man.output["earliestFlexible"] as? String == "2025-01")
            #expect(man.output["latestDeferred"] as? String == "2028-02")
            #expect(man.output["disabilityRetirement"] as? String == "2015-01")
            let old = try await Self.calculate(operations, "retirement-age", #"{"birth":"1945-06","category":"male","startedWorkBefore1998":true}"#)
            #expect(old.output["minimumContributionMonths"] as? Int == 120)
            #expect(old.output["earliestFlexible"] == nil)

            // The province as a whole has no dibao standard (the district sets its own): the amount
            // still comes, and the explanation says the lower bound was not checked.
            let principal = try await operations.access.principal(named: "district")
            let result = try await operations.policy.calculate("unemployment-benefit", input: Data(#"{"registeredOn":"2024-03-01","contributionMonths":84,"involuntary":true,"registered":true}"#.utf8),
                                                               region: "330000000000", by: principal)
            let output = try #require(try JSONSerialization.jsonObject(with: result.evaluation.output) as? [String: Any])
            #expect((output["monthlyAmount"] as? NSNumber)?.int64Value == 205_200)  // 2,280.00 × 90%
            #expect(output["withinStatutoryBounds"] == nil)
            #expect(result.evaluation.explanation.steps.contains { $0.key == "explain.unemployment.bounds_unchecked" })
        }
    }

    /// Welfare homes: a third of the works, 7,000 a new bed at 25 m² a resident.
    @Test(arguments: TestDatabaseKind.available)
    func welfareHomeSubsidies(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let enough = try await Self.calculate(operations, "welfare-home-subsidy",
                #"{"date":"2004-10-01","renovationCost":45000000,"newBeds":40,"floorArea":2500,"residents":100}"#)
            #expect(enough.money("renovationSubsidy") == 15_000_000)
            #expect(enough.money("bedSubsidy") == 28_000_000)
            #expect(enough.money("total") == 43_000_000)
            let cramped = try await Self.calculate(operations, "welfare-home-subsidy",
                #"{"date":"2004-10-01","newBeds":40,"floorArea":2499,"residents":100}"#)
            #expect(cramped.output["spaceStandardMet"] as? Bool == false)
            #expect(cramped.money("total") == 0)
        }
    }
}
