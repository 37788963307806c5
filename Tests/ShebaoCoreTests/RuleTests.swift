import Foundation
import PropertyBased
import Testing
@testable import ShebaoCore

/// Parameters for RULES.md's worked examples: the shipped defaults, with the example's own
/// (often hypothetical) figures set for one village, which outranks every wider region.
enum Examples {
    static let village = RegionCode(trusted: "331004103201")

    static func book(_ overrides: [String: ParameterValue] = [:]) -> ParameterBook {
        ParameterBook(PolicyDefaults.parameters + overrides.map { key, value in
            Parameter(key: key, region: village, validFrom: LocalDate(year: 1900, month: 1, day: 1)!, value: value, unit: "example",
                      legalBasis: "RULES.md example", label: .assumption)
        })
    }

    static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }
    static func yuan(_ text: String) -> Money { try! Money.parse(text) }
    static func rate(_ text: String) -> ParameterValue { .rate(Rate(decimal: text)!) }
}

@Suite("Rules: insurance (RULES.md §1.1, §1.2, §2, §6)")
struct InsuranceRuleTests {
    func contribution(_ input: ContributionRule.Input, _ book: ParameterBook) throws -> ContributionRule.Output {
        try ContributionRule.evaluate(input, book: book, region: Examples.village).output
    }

    /// RULES.md §1.7: certified once a year; the grace period over, suspended from the next month.
    @Test func survivalCertificationSuspendsAfterTheGracePeriod() throws {
        let book = Examples.book()
        let last = Examples.date("2025-03-10")
        let late = try SurvivalCertificationRule.evaluate(.init(lastCertified: last, asOf: Examples.date("2026-07-01")), book: book, region: Examples.village)
        #expect(late.output.due == Examples.date("2026-03-10") && late.output.graceEnds == Examples.date("2026-06-10"))
        #expect(late.output.suspendFrom == Period(year: 2026, month: 7)! && late.output.suspend)
        #expect(!(try SurvivalCertificationRule.evaluate(.init(lastCertified: last, asOf: Examples.date("2026-06-10")), book: book,
                                                          region: Examples.village).output.suspend))
        // The 31st plus a month is the month's last day.
        let end = try SurvivalCertificationRule.evaluate(.init(lastCertified: Examples.date("2024-01-31"), asOf: Examples.date("2024-02-01")), book: book,
                                                         region: Examples.village)
        #expect(end.output.due == Examples.date("2025-01-31") && end.output.graceEnds == Examples.date("2025-04-30"))
    }

    @Test func pensionContributionBaseClampAndRates() throws {
        let period = Period(year: 2004, month: 3)!
        // §1.1 example 1: reference 1,500.00, wage 1,200.00, 7% → 84.00.
        let one = try contribution(.init(scheme: .pension, payer: .employee, wage: Examples.yuan("1200"), period: period),
                                   Examples.book(["wage.reference.monthly": .money(.yuan(1500)), "pension.rate.individual": Examples.rate("0.07")]))
        #expect(one.base == Examples.yuan("1200"))
        #expect(one.individual == Examples.yuan("84.00"))
        // Example 2: wage 800.00 → floor 900.00 → 8% = 72.00.
        let eight = Examples.book(["wage.reference.monthly": .money(.yuan(1500)), "pension.rate.individual": Examples.rate("0.08"), "pension.rate.employer": Examples.rate("0.14")])
        let two = try contribution(.init(scheme: .pension, payer: .employee, wage: Examples.yuan("800"), period: period), eight)
        #expect(two.base == Examples.yuan("900"))
        #expect(two.individual == Examples.yuan("72.00"))
        // Example 3: wage 6,000.00 → ceiling 4,500.00 → 360.00, employer 14% → 630.00.
        let three = try contribution(.init(scheme: .pension, payer: .employee, wage: Examples.yuan("6000"), period: period), eight)
        #expect(three.base == Examples.yuan("4500"))
        #expect(three.individual == Examples.yuan("360.00"))
        #expect(three.employer == Examples.yuan("630.00"))
        // Before 2006 the account was credited 11%, the rest from the employer's part.
        #expect(three.accountCredit == Examples.yuan("495.00"))
        #expect(three.employerTransferToAccount == Examples.yuan("135.00"))
    }

    @Test func medicalContributionAndAccount() throws {
        // §2 example 1: base 3,000.00 → employer 180.00, individual 60.00, account 60.00 + 30% × 180.00 = 114.00.
        let out = try contribution(.init(scheme: .medical, payer: .employee, wage: Examples.yuan("3000"), period: Period(year: 2010, month: 1)!),
                                   Examples.book(["wage.reference.monthly": .money(.yuan(3000))]))
        #expect(out.employer == Examples.yuan("180.00"))
        #expect(out.individual == Examples.yuan("60.00"))
        #expect(out.accountCredit == Examples.yuan("114.00"))
    }

    @Test func workInjuryPremiumByRiskClassAndDate() throws {
        let book = Examples.book(["wage.reference.monthly": .money(.yuan(5000))])
        let old = try contribution(.init(scheme: .workInjury, payer: .employee, wage: Examples.yuan("5000"), period: Period(year: 2010, month: 1)!, riskClass: 3), book)
        #expect(old.employer == Examples.yuan("100.00"))  // 2.0% (劳社部发〔2003〕29号)
        let new = try contribution(.init(scheme: .workInjury, payer: .employee, wage: Examples.yuan("5000"), period: Period(year: 2016, month: 1)!, riskClass: 8), book)
        #expect(new.employer == Examples.yuan("95.00"))  // 1.9% (人社部发〔2015〕71号)
        #expect(throws: RuleError.invalidInput(field: "riskClass", code: "rule.out_of_range")) {
            try contribution(.init(scheme: .workInjury, payer: .employee, wage: Examples.yuan("5000"), period: Period(year: 2010, month: 1)!, riskClass: 8), book)
        }
    }

    @Test("account interest, the 13/24 rule (§1.2)", arguments: [
        ("10000", "1200", "0.025", "11466.25"), ("50000", "9600", "0.0262", "61046.24"), ("0", "0", "0.0262", "0.00"),
    ])
    func accountInterest(opening: String, credited: String, rate: String, closing: String) throws {
        let result = try AccountInterestRule.evaluate(
            .init(year: 2024, openingBalance: Examples.yuan(opening), credited: Examples.yuan(credited), rate: Rate(decimal: rate)),
            book: Examples.book(), region: Examples.village)
        #expect(result.output.closingBalance == Examples.yuan(closing))
    }

    @Test func accountInterestUsesTheYearsRate() throws {
        let result = try AccountInterestRule.evaluate(.init(year: 2024, openingBalance: .yuan(50_000), credited: .yuan(9_600)), book: Examples.book(), region: Examples.village)
        #expect(result.output.closingBalance == Examples.yuan("61046.24"))
        #expect(result.explanation.parameters.first?.value == "2.62%")
    }

    @Test("late surcharge across the 2011-07-01 change (§6)", arguments: [
        ("10000", "2004-03-01", "2004-03-31", "600.00"), ("10000", "2012-03-01", "2012-03-31", "150.00"), ("12345.67", "2020-01-01", "2020-01-18", "104.94"),
        // 10 days at 0.2% and 10 at 0.05%: 200.00 + 50.00.
        ("10000", "2011-06-21", "2011-07-11", "250.00"),
    ])
    func lateSurcharge(amount: String, from: String, paid: String, expected: String) throws {
        let result = try LateSurchargeRule.evaluate(.init(amount: Examples.yuan(amount), from: Examples.date(from), paidOn: Examples.date(paid)),
                                                    book: Examples.book(), region: Examples.village)
        #expect(result.output.surcharge == Examples.yuan(expected))
    }
}

@Suite("Rules: benefits (RULES.md §1.3–1.6, §2–§5)")
struct BenefitRuleTests {
    @Test("retirement under the 2025 reform (§1.3)", arguments: [
        ("1965-01", RetirementCategory.male, "2025-02", 1), ("1971-04", .femaleCadre, "2026-08", 4), ("1984-11", .femaleWorker, "2039-11", 60),
        ("1964-06", .femaleWorker, "2014-06", 0), ("1980-12", .male, "2043-12", 36),
    ])
    func retirement(birth: String, category: RetirementCategory, retires: String, delay: Int) throws {
        let out = try RetirementAgeRule.evaluate(.init(birth: Period(birth)!, category: category), book: Examples.book(), region: Examples.village).output
        #expect(out.retirement == Period(retires))
        #expect(out.delayMonths == delay)
    }

    @Test func retirementAgeAndMinimumPeriod() throws {
        let out = try RetirementAgeRule.evaluate(.init(birth: Period("1965-01")!, category: .male), book: Examples.book(), region: Examples.village).output
        #expect((out.ageYears, out.ageMonths) == (60, 1))
        #expect(out.minimumContributionMonths == 180)
        let later = try RetirementAgeRule.evaluate(.init(birth: Period("1975-06")!, category: .male), book: Examples.book(), region: Examples.village).output
        #expect(later.retirement.year == 2038)
        #expect(later.minimumContributionMonths == 180 + 6 * 9)
    }

    static let award = Examples.book(["pension.transition_coefficient": Examples.rate("0.012")])

    @Test func pensionAwardExamples() throws {
        // §1.4 example 1: 2,640.00 + 1,000.00 = 3,640.00.
        let one = try PensionAwardRule.evaluate(.init(retirementDate: Examples.date("2020-07-01"), ageAtRetirement: 60, averageIndex: DecimalText("1.2"),
                                                      contributionMonths: 360, accountBalance: .yuan(139_000), referenceWage: .yuan(8_000)),
                                                book: Self.award, region: Examples.village).output
        #expect(one.basic == Examples.yuan("2640.00"))
        #expect(one.account == Examples.yuan("1000.00"))
        #expect(one.total == Examples.yuan("3640.00"))
        // Example 2: 100,000.00 at 55 → 588.24; at 50 → 512.82.
        for (age, expected) in [(55, "588.24"), (50, "512.82")] {
            let out = try PensionAwardRule.evaluate(.init(retirementDate: Examples.date("2020-07-01"), ageAtRetirement: age, averageIndex: DecimalText("1"),
                                                          contributionMonths: 180, accountBalance: .yuan(100_000), referenceWage: .yuan(8_000)),
                                                    book: Self.award, region: Examples.village).output
            #expect(out.account == Examples.yuan(expected))
        }
        // Example 3: 1,902.03 + 622.61 + 956.25 = 3,480.89.
        let three = try PensionAwardRule.evaluate(PensionAwardRule.example, book: Examples.book(), region: Examples.village)
        #expect(three.output.basic == Examples.yuan("1902.03"))
        #expect(three.output.account == Examples.yuan("622.61"))
        #expect(three.output.transitional == Examples.yuan("956.25"))
        #expect(three.output.total == Money(fen: 348_089))
        // Example 4, the old formula (retired 2004): 300.00 + 250.00 = 550.00.
        let four = try PensionAwardRule.evaluate(.init(retirementDate: Examples.date("2004-05-01"), ageAtRetirement: 60, averageIndex: DecimalText("1"),
                                                       contributionMonths: 300, accountBalance: .yuan(30_000), referenceWage: .yuan(1_500)),
                                                 book: Examples.book(), region: Examples.village).output
        #expect(four.formula == "1997")
        #expect(four.total == Examples.yuan("550.00"))
    }

    @Test func theZhejiangFloorTopsUp() throws {
        let out = try PensionAwardRule.evaluate(.init(retirementDate: Examples.date("2020-07-01"), ageAtRetirement: 60, averageIndex: DecimalText("0.6"),
                                                      contributionMonths: 180, accountBalance: .yuan(10_000), referenceWage: .yuan(3_000),
                                                      fullAndOnTime: true, localAveragePension: .yuan(3_000)),
                                                book: Examples.book(), region: Examples.village).output
        #expect(out.total == Examples.yuan("1800.00"))
        #expect(out.floorTopUp == Examples.yuan("1800.00") - (out.basic + out.account))
    }

    @Test func pensionAdjustmentTermsAddUp() throws {
        let out = try PensionAdjustmentRule.evaluate(PensionAdjustmentRule.example, book: Examples.book(), region: Examples.village).output
        #expect(out.flat == .yuan(25))
        #expect(out.byYears == .yuan(30))
        #expect(out.byPension == Examples.yuan("39.00"))
        #expect(out.ageSupplement == .yuan(20))
        #expect(out.newPension == Examples.yuan("3114.00"))
    }

    @Test("unemployment duration (§3 example 1)", arguments: [(10, false, 0), (59, true, 12), (84, true, 18), (120, true, 24)])
    func unemploymentDuration(months: Int, eligible: Bool, duration: Int) throws {
        let out = try UnemploymentBenefitRule.evaluate(.init(registeredOn: Examples.date("2024-03-01"), contributionMonths: months),
                                                       book: Examples.book(), region: Examples.village).output
        #expect(out.eligible == eligible)
        #expect(out.months == duration)
    }

    @Test func unemploymentCarryOverAndAmount() throws {
        // Example 2: 6 years (18 months) plus 14 carried over → capped at 24. Example 3: 2,490.00 × 90% = 2,241.00.
        let book = Examples.book(["wage.minimum.monthly": .money(.yuan(2490))])
        let out = try UnemploymentBenefitRule.evaluate(.init(registeredOn: Examples.date("2024-03-01"), contributionMonths: 72, carriedOverMonths: 14),
                                                       book: book, region: Examples.village).output
        #expect(out.months == 24)
        #expect(out.monthlyAmount == Examples.yuan("2241.00"))
        #expect(out.withinStatutoryBounds == true)
        let voluntary = try UnemploymentBenefitRule.evaluate(.init(registeredOn: Examples.date("2024-03-01"), contributionMonths: 72, involuntary: false),
                                                             book: book, region: Examples.village).output
        #expect(!voluntary.eligible)
    }

    @Test func workInjuryDisabilityExamples() throws {
        let book = Examples.book(["wage.minimum.monthly": .money(.yuan(3000))])
        // §4 example 1: 2012, grade 7, own 5,000.00 → 13 × 5,000.00 = 65,000.00.
        let one = try WorkInjuryDisabilityRule.evaluate(.init(injuryDate: Examples.date("2012-05-10"), grade: 7, ownWage: .yuan(5000), localAverageWage: .yuan(6000)),
                                                        book: book, region: Examples.village).output
        #expect(one.lumpSum == Examples.yuan("65000.00"))
        #expect(one.monthlyAllowance == .zero)
        // Example 2: grade 3, own 2,000.00 → 3,600.00 → 82,800.00; allowance 2,880.00; top-up to 3,000.00 = 120.00.
        let two = try WorkInjuryDisabilityRule.evaluate(WorkInjuryDisabilityRule.example, book: book, region: Examples.village).output
        #expect(two.ownWage == Examples.yuan("3600.00"))
        #expect(two.lumpSum == Examples.yuan("82800.00"))
        #expect(two.monthlyAllowance == Examples.yuan("2880.00"))
        #expect(two.minimumWageTopUp == Examples.yuan("120.00"))
        #expect(two.allowancePayer == "fund")
        // Example 3: 2004, grade 1, own 1,000.00 (floor 720.00) → 24,000.00; allowance 900.00 — the 2003 table by injury date.
        let three = try WorkInjuryDisabilityRule.evaluate(.init(injuryDate: Examples.date("2004-06-01"), grade: 1, ownWage: .yuan(1000), localAverageWage: .yuan(1200)),
                                                          book: Examples.book(["wage.minimum.monthly": .money(.yuan(600))]), region: Examples.village).output
        #expect(three.lumpSum == Examples.yuan("24000.00"))
        #expect(three.monthlyAllowance == Examples.yuan("900.00"))
    }

    @Test func workInjuryDeathExample() throws {
        // §4 example 4: 20 × 51,821.00 = 1,036,420.00; funeral 36,000.00; survivors capped to the wage, to the fen.
        let out = try WorkInjuryDeathRule.evaluate(WorkInjuryDeathRule.example, book: Examples.book(), region: Examples.village).output
        #expect(out.deathSubsidy == Examples.yuan("1036420.00"))
        #expect(out.funeralGrant == Examples.yuan("36000.00"))
        #expect(out.cappedAtWage)
        #expect(out.survivorTotal == Examples.yuan("5000.00"))
        #expect(out.survivorPensions.sorted() == [Examples.yuan("1666.66"), Examples.yuan("1666.67"), Examples.yuan("1666.67")])
    }

    @Test("maternity allowance (§5)", arguments: [
        ("2024-04-01", "6000", false, 1 as Int?, 158, "31600.00"), ("2013-03-01", "5123.45", true, nil, 113, "19298.33"),
        ("2013-03-01", "5123.45", false, nil, 98, "16736.60"), ("2003-06-01", "1200", false, nil, 90, "3600.00"),
    ])
    func maternity(date: String, wage: String, difficult: Bool, order: Int?, days: Int, expected: String) throws {
        let out = try MaternityAllowanceRule.evaluate(.init(eventDate: Examples.date(date), employerAverageWage: Examples.yuan(wage), difficultBirth: difficult, childOrder: order),
                                                      book: Examples.book(), region: Examples.village).output
        #expect(out.leaveDays == days)
        #expect(out.allowance == Examples.yuan(expected))
        #expect(out.total == out.allowance + (out.medicalCosts ?? .zero) && out.medicalCosts != nil)
    }

    /// The medical costs' lump sum follows the event's kind and the date ([A] placeholders).
    @Test("maternity medical costs by kind of event (§5, [A])", arguments: [
        ("2024-04-01", MaternityEvent.birth, false, "3000.00"), ("2024-04-01", .birth, true, "4500.00"), ("2024-04-01", .miscarriageFrom4Months, false, "800.00"),
        ("2003-06-01", .birth, false, "1200.00"),
    ])
    func maternityMedical(date: String, event: MaternityEvent, difficult: Bool, expected: String) throws {
        let out = try MaternityAllowanceRule.evaluate(.init(eventDate: Examples.date(date), employerAverageWage: .yuan(3_000), event: event, difficultBirth: difficult),
                                                      book: PolicyDefaults.book, region: DemoRegion.district).output
        #expect(out.medicalCosts == Examples.yuan(expected))
    }

    @Test("employee medical reimbursement (§2 examples 2–3)", arguments: [("20000", "14800.00"), ("80000", "60000.00")])
    func medical(cost: String, expected: String) throws {
        let book = Examples.book(["wage.local_average.annual": .money(.yuan(15_000)), "medical.cap_multiple": Examples.rate("4")])
        let out = try MedicalReimbursementRule.evaluate(.init(date: Examples.date("2005-01-01"), eligibleCost: Examples.yuan(cost)), book: book, region: Examples.village).output
        #expect(out.fundPays == Examples.yuan(expected))
        #expect(out.fundPays + out.patientPays == Examples.yuan(cost))
    }

    /// RULES.md §1.7 ([A] months): 3 and 6 months of the local average 6,000.00; the own part
    /// 60,000.00 of an 80,000.00 account bears 3/4 of the 40,000.00 account pension drawn.
    @Test("a retiree's death: funeral, survivors, inheritance (§1.7, [A])", arguments: [("40000", "30000.00", "84000.00"), ("120000", "0.00", "54000.00")])
    func pensionDeath(drawn: String, inheritable: String, total: String) throws {
        let book = Examples.book(["wage.local_average.monthly": .money(.yuan(6_000))])
        let out = try PensionDeathRule.evaluate(.init(deathDate: Examples.date("2024-03-01"), accountOwn: .yuan(60_000), accountTransfer: .yuan(20_000),
                                                      accountPensionDrawn: Examples.yuan(drawn)), book: book, region: Examples.village).output
        #expect(out.funeralGrant == .yuan(18_000) && out.survivorLumpSum == .yuan(36_000))
        #expect(out.inheritable == Examples.yuan(inheritable) && out.total == Examples.yuan(total))
    }

    /// The pay rate by hospital level (90/85/80%, [A] placeholders) and the retiree's extra 5 points,
    /// on example 2's stay: (20,000 − 1,500) × rate.
    @Test("employee medical reimbursement by hospital level and retirement (§2, [A])", arguments: [
        (InstitutionLevel.community, false, "16650.00"), (.district, false, "15725.00"), (.city, false, "14800.00"), (.city, true, "15725.00"),
        (.community, true, "17575.00"),
    ])
    func medicalByLevel(level: InstitutionLevel, retired: Bool, expected: String) throws {
        let book = Examples.book(["wage.local_average.annual": .money(.yuan(15_000)), "medical.cap_multiple": Examples.rate("4")])
        let out = try MedicalReimbursementRule.evaluate(.init(date: Examples.date("2005-01-01"), eligibleCost: .yuan(20_000), hospitalLevel: level,
                                                              retired: retired ? true : nil), book: book, region: Examples.village).output
        #expect(out.fundPays == Examples.yuan(expected))
        #expect(out.deductible == Examples.yuan("1500"))
    }
}

@Suite("Rules: assistance (RULES.md §7–§11; PROGRAMS.md §4)")
struct AssistanceRuleTests {
    static let fiveHundred = Examples.book(["dibao.standard.street": .money(.yuan(500)), "wage.minimum.monthly": .money(.yuan(2490))])

    func dibao(_ size: Int, _ income: String, threeWithouts: Bool = false) throws -> DibaoBenefitRule.Output {
        try DibaoBenefitRule.evaluate(.init(period: Period(year: 2024, month: 1)!, areaType: .street, householdSize: size, monthlyIncome: Examples.yuan(income), threeWithouts: threeWithouts),
                                      book: Self.fiveHundred, region: Examples.village).output
    }

    @Test func dibaoExamples() throws {
        #expect(try dibao(3, "900").benefit == Examples.yuan("600.00"))
        // Not (500 − 333.33) × 3 = 500.01: integer fen, no per-capita rounding.
        #expect(try dibao(3, "1000").benefit == Examples.yuan("500.00"))
        let equal = try dibao(2, "1000")
        #expect(!equal.eligible, "strictly below the standard")
        #expect(equal.marginal)
        #expect(try dibao(1, "0", threeWithouts: true).benefit == Examples.yuan("500.00"))
        #expect(!(try dibao(2, "1600")).marginal)
    }

    /// Acceptance: with 2,520 a year for streets and 2,160 for towns and villages from 2004-01-01,
    /// the same household gets different benefits in 2003-12 and 2004-01, and both explanations say why.
    @Test func theStandardInForceOnTheDateDecides() throws {
        let book = PolicyDefaults.book
        let district = RegionCode(trusted: "331004002201")
        func benefit(_ period: String, _ area: AreaType) throws -> RuleResult<DibaoBenefitRule.Output> {
            try DibaoBenefitRule.evaluate(.init(period: Period(period)!, areaType: area, householdSize: 3, monthlyIncome: .yuan(300)), book: book, region: district)
        }
        let december = try benefit("2003-12", .street)
        let january = try benefit("2004-01", .street)
        #expect(december.output.benefit == Examples.yuan("240.00"))  // 180 × 3 − 300
        #expect(january.output.benefit == Examples.yuan("330.00"))  // 210 × 3 − 300
        #expect(december.explanation.parameters.first { $0.key == "dibao.standard.street" }?.validFrom == "1997-07-01")
        let used = try #require(january.explanation.parameters.first { $0.key == "dibao.standard.street" })
        #expect(used.validFrom == "2004-01-01")
        #expect(used.value == "210.00")
        #expect(used.legalBasis.contains("2520"))
        #expect(try benefit("2003-12", .rural).output.benefit == Examples.yuan("30.00"))  // 110 × 3 − 300
        #expect(try benefit("2004-01", .rural).output.benefit == Examples.yuan("240.00"))  // 180 × 3 − 300
        #expect(try benefit("2004-01", .town).output.standard == Examples.yuan("180.00"))
    }

    @Test func classifiedAddOns() throws {
        let out = try DibaoBenefitRule.evaluate(.init(period: Period(year: 2024, month: 1)!, areaType: .street, householdSize: 3, monthlyIncome: .yuan(900), elderly: 1, minors: 1),
                                                book: Self.fiveHundred, region: Examples.village).output
        #expect(out.addOns == Examples.yuan("100.00"))
        #expect(out.total == Examples.yuan("700.00"))
    }

    @Test func supportStandards() throws {
        // 60% × 6,145 = 3,687.00 a year, of which the district pays 500 and villages and towns the rest.
        let five = try SupportStandardRule.evaluate(.init(year: 2004, kind: .fiveGuarantees), book: PolicyDefaults.book, region: DemoRegion.district).output
        #expect(five.yearlyStandard == Examples.yuan("3687.00"))
        #expect(five.districtShare == .yuan(500))
        #expect(five.villagesAndTownsShare == Examples.yuan("3187.00"))
        // RULES.md §8: rural dibao 400.00 × 1.3 = 520.00 a month.
        let book = Examples.book(["dibao.standard.rural": .money(.yuan(400))])
        let later = try SupportStandardRule.evaluate(.init(year: 2020, kind: .fiveGuarantees), book: book, region: Examples.village).output
        #expect(later.monthlyStandard == Examples.yuan("520.00"))
    }

    @Test func ruralMedicalFinancingAndReimbursement() throws {
        let financing = try RuralMedicalFinancingRule.evaluate(.init(year: 2004, participants: 1000, assisted: 50), book: PolicyDefaults.book, region: DemoRegion.district).output
        #expect(financing.perPerson == .yuan(80))
        #expect(financing.total == .yuan(80_000))
        #expect(financing.participantsPay == .yuan(38_000))
        #expect(financing.district == .yuan(21_000))  // 20 × 1000 + 50% of 40 × 50
        #expect(financing.town == .yuan(11_000))
        #expect(financing.participantsPay + financing.district + financing.town + financing.city == financing.total)
        for (cost, expected) in [("10000", "3800.00"), ("80000", "20000.00"), ("400", "0.00")] {
            let out = try RuralMedicalReimbursementRule.evaluate(.init(date: Examples.date("2004-06-01"), scheme: .ruralCooperative, cost: Examples.yuan(cost)),
                                                                 book: PolicyDefaults.book, region: DemoRegion.district).output
            #expect(out.reimbursement == Examples.yuan(expected), "cost \(cost)")
        }
    }

    @Test("education aid (PROGRAMS.md §4.4)", arguments: [
        (SchoolLevel.primary, StudentStatus.poor, "500.00", true), (.university, .poor, "1000.00", true), (.juniorSecondary, .dibao, "300.00", true),
        (.seniorSecondary, .dibao, "0.00", false), (.primary, .threeDisabilities, "0.00", true), (.seniorSecondary, .threeDisabilities, "0.00", false),
    ])
    func educationAid(level: SchoolLevel, status: StudentStatus, amount: String, covered: Bool) throws {
        let out = try EducationAidRule.evaluate(.init(year: 2004, level: level, status: status), book: PolicyDefaults.book, region: DemoRegion.district).output
        #expect(out.yearlyAmount == Examples.yuan(amount))
        #expect(out.covered == covered)
    }

    @Test func disabledLevyInItsThreeModes() throws {
        let book = PolicyDefaults.book
        // 2024 (2020 rules): 200 staff → 3.00 required, 1 employed (0.5%) → 2.00 × min(80,000, 2 × 70,000) × 90% = 144,000.00.
        let one = try DisabledEmploymentLevyRule.evaluate(DisabledEmploymentLevyRule.example, book: book, region: DemoRegion.district).output
        #expect(one.required == "3.00")
        #expect(one.levy == Examples.yuan("144000.00"))
        // 2010 (Zhejiang 2009): 150 staff → 2.25 × 45,000.00 = 101,250.00.
        let two = try DisabledEmploymentLevyRule.evaluate(.init(year: 2010, ownershipType: .privateEnterprise, staff: 150, disabledEmployees: 0, localAverageAnnualWage: .yuan(45_000)),
                                                          book: book, region: DemoRegion.district).output
        #expect(two.required == "2.25")
        #expect(two.levy == Examples.yuan("101250.00"))
        // 2024: 30 staff → exempt.
        let three = try DisabledEmploymentLevyRule.evaluate(.init(year: 2024, ownershipType: .privateEnterprise, staff: 30, disabledEmployees: 0, employerAverageAnnualWage: .yuan(80_000)),
                                                            book: book, region: DemoRegion.district).output
        #expect(three.exempt)
        #expect(three.levy == .zero)
        // 2004 (the district's flat rule): 150 per head for organs, 100 for enterprises, below the quota.
        let organ = try DisabledEmploymentLevyRule.evaluate(.init(year: 2004, ownershipType: .governmentOrgan, staff: 80, disabledEmployees: 0), book: book, region: DemoRegion.district).output
        #expect(organ.levy == .yuan(12_000))
        let enterprise = try DisabledEmploymentLevyRule.evaluate(.init(year: 2004, ownershipType: .privateEnterprise, staff: 80, disabledEmployees: 2), book: book, region: DemoRegion.district).output
        #expect(enterprise.levy == .zero, "80 × 1.5% = 1.20 ≤ 2 employed")
    }

    @Test func landRequisitionExamples() throws {
        let book = Examples.book(["dibao.standard.street": .money(.yuan(500))])
        let man = try LandRequisitionRule.evaluate(.init(birthDate: Examples.date("1951-03-15"), sex: .male, requisitionDate: Examples.date("2010-06-01"), tierAmount: .yuan(450)),
                                                   book: book, region: Examples.village).output
        #expect(man.group == .workingAge)
        #expect(man.benefitStart == Period("2011-04"))
        #expect(man.monthlyBenefit == Examples.yuan("500.00"))
        let girl = try LandRequisitionRule.evaluate(.init(birthDate: Examples.date("1995-01-01"), sex: .female, requisitionDate: Examples.date("2010-06-01")), book: book, region: Examples.village).output
        #expect(girl.group == .child)
        #expect(girl.benefitStart == nil)
        let split = try LandRequisitionRule.evaluate(LandRequisitionRule.example, book: book, region: Examples.village).output
        #expect(split.government + split.collective + split.individual == .yuan(30_000))
        #expect(split.government == .yuan(9_000))
    }
}

enum DemoRegion {
    static let district = RegionCode(trusted: "331004000000")
}

@Suite("Rules: properties")
struct RulePropertyTests {
    @Test func aHigherIncomeNeverRaisesTheDibaoBenefit() async {
        let book = PolicyDefaults.book
        await propertyCheck(input: Gen.int(in: 1...8), Gen.int64(in: 0...500_000), Gen.int64(in: 0...50_000)) { size, income, more in
            func benefit(_ fen: Int64) throws -> Money {
                try DibaoBenefitRule.evaluate(.init(period: Period(year: 2024, month: 5)!, areaType: .rural, householdSize: size, monthlyIncome: Money(fen: fen)),
                                              book: book, region: DemoRegion.district).output.total
            }
            do {
                let lower = try benefit(income)
                #expect(try benefit(income + more) <= lower)
                #expect(lower >= .zero)
            } catch {
                Issue.record("size \(size), income \(income): \(error)")
            }
        }
    }

    @Test func contributionBasesStayWithinTheirClamp() async {
        let book = PolicyDefaults.book
        await propertyCheck(input: Gen.int64(in: 0...10_000_000), Gen.int(in: 2003...2026)) { wage, year in
            guard let out = try? ContributionRule.evaluate(.init(scheme: .pension, payer: .employee, wage: Money(fen: wage), period: Period(year: year, month: 6)!),
                                                           book: book, region: DemoRegion.district)
            else { Issue.record("evaluation failed"); return }
            let reference = try? book.resolve("wage.reference.monthly", region: DemoRegion.district, on: LocalDate(year: year, month: 6, day: 1)!)
            guard case .money(let ref)? = reference?.value else {
                Issue.record("no reference wage in force in \(year), yet the contribution was computed")
                return
            }
            #expect(out.output.base >= ref.multiplied(by: Rate(decimal: "0.6")!))
            #expect(out.output.base <= ref.multiplied(by: Rate(decimal: "3")!))
            #expect(out.output.individual <= out.output.base)
        }
    }

    @Test func unemploymentNeverExceedsTwentyFourMonths() async {
        await propertyCheck(input: Gen.int(in: 0...600), Gen.int(in: 0...48)) { months, carried in
            do {
                let out = try UnemploymentBenefitRule.evaluate(.init(registeredOn: LocalDate(year: 2024, month: 1, day: 1)!, contributionMonths: months,
                                                                     carriedOverMonths: carried),
                                                               book: PolicyDefaults.book, region: DemoRegion.district).output
                #expect(out.months <= 24)
                #expect(out.months >= 0)
            } catch {
                Issue.record("\(months) months, \(carried) carried: \(error)")
            }
        }
    }

    @Test func retirementDelaysStayWithinTheirCaps() async {
        await propertyCheck(input: Gen.int(in: 1950...2010), Gen.int(in: 1...12), Gen.int(in: 0...2)) { year, month, category in
            let kind = RetirementCategory.allCases[category]
            do {
                let out = try RetirementAgeRule.evaluate(.init(birth: Period(year: year, month: month)!, category: kind), book: PolicyDefaults.book,
                                                         region: DemoRegion.district).output
                #expect(out.delayMonths >= 0)
                #expect(out.delayMonths <= (kind == .femaleWorker ? 60 : 36))
            } catch {
                Issue.record("\(year)-\(month) \(kind): \(error)")
            }
        }
    }

    @Test func partsSumToTotals() async {
        await propertyCheck(input: Gen.int64(in: 0...1_000_000_000), Gen.int(in: 1...1000).array(of: 1...8)) { total, weights in
            let shares = Allocation.split(Money(fen: total), weights: weights.map { Ratio($0) })
            #expect(shares.reduce(Money.zero, +) == Money(fen: total))
            #expect(shares.allSatisfy { $0 >= .zero })
        }
        await propertyCheck(input: Gen.int(in: 0...100_000), Gen.int(in: 0...100)) { participants, percent in
            let assisted = participants * percent / 100
            guard let out = try? RuralMedicalFinancingRule.evaluate(.init(year: 2004, participants: participants, assisted: assisted), book: PolicyDefaults.book, region: DemoRegion.district).output
            else { Issue.record("evaluation failed"); return }
            #expect(out.participantsPay + out.town + out.district + out.city == out.total)
            #expect(out.total == out.perPerson * Int64(participants))
        }
    }

    @Test func survivorPensionsNeverExceedTheWage() async {
        await propertyCheck(input: Gen.int64(in: 0...5_000_000), Gen.int(in: 0...6), Gen.bool) { wage, others, lone in
            let dependants = [SurvivorDependant(relation: .spouse)] + Array(repeating: SurvivorDependant(relation: .other, loneElderlyOrOrphan: lone), count: others)
            guard let out = try? WorkInjuryDeathRule.evaluate(.init(deathDate: LocalDate(year: 2024, month: 1, day: 1)!, deceasedWage: Money(fen: wage), localAverageWage: .yuan(6000), dependants: dependants),
                                                              book: PolicyDefaults.book, region: DemoRegion.district).output
            else { Issue.record("evaluation failed"); return }
            // Shares of the own wage (clamped to 60–300% of the local average), never more than it.
            #expect(out.survivorTotal <= out.ownWage)
            #expect(out.survivorPensions.reduce(Money.zero, +) == out.survivorTotal)
        }
    }
}

@Suite("Parameters and explanations")
struct ParameterTests {
    @Test func resolutionPrefersTheMostSpecificRegionThenTheLatestDate() throws {
        let village = RegionCode(trusted: "331004103201")
        let make = { (region: String, from: String, yuan: Int64) in
            Parameter(key: "k", region: RegionCode(trusted: region), validFrom: LocalDate(iso: from)!, value: .money(.yuan(yuan)), unit: "", legalBasis: "", label: .assumption)
        }
        let book = ParameterBook([make("330000000000", "2000-01-01", 1), make("330000000000", "2010-01-01", 2), make("331004000000", "2005-01-01", 3),
                                  make("331004103000", "2020-01-01", 4)])
        func value(_ date: String, _ region: RegionCode = village) throws -> ParameterValue { try book.resolve("k", region: region, on: LocalDate(iso: date)!).value }
        #expect(try value("2001-01-01") == .money(.yuan(1)))
        #expect(try value("2006-01-01") == .money(.yuan(3)))
        #expect(try value("2012-01-01") == .money(.yuan(3)), "the district's own value outranks a later provincial one")
        #expect(try value("2021-01-01") == .money(.yuan(4)))
        #expect(try value("2021-01-01", RegionCode(trusted: "331004104201")) == .money(.yuan(3)))
        #expect(throws: RuleError.missingParameter(key: "k", date: LocalDate(iso: "1999-01-01")!)) { try value("1999-01-01") }
        #expect(throws: RuleError.missingParameter(key: "x", date: LocalDate(iso: "2020-01-01")!)) {
            try book.resolve("x", region: village, on: LocalDate(iso: "2020-01-01")!)
        }
    }

    @Test func everyRuleRunsItsExampleOnTheDefaults() throws {
        for entry in RuleCatalog.entries {
            let result = try entry.evaluate(entry.exampleJSON, PolicyDefaults.book, DemoRegion.district)
            #expect(!result.explanation.steps.isEmpty, "\(entry.id) explains nothing")
            #expect(result.explanation.parameters.allSatisfy { !$0.legalBasis.isEmpty }, "\(entry.id) uses a parameter without a legal basis")
        }
    }

    @Test func theDefaultsAreWellFormed() {
        let parameters = PolicyDefaults.parameters
        #expect(parameters.count > 150)
        #expect(Set(parameters.map { "\($0.key)|\($0.region)|\($0.validFrom)" }).count == parameters.count)
        #expect(parameters.allSatisfy { !$0.legalBasis.isEmpty && !$0.unit.isEmpty })
    }

    @Test func pensionAwardExampleThreeExplainsEachStep() throws {
        let result = try PensionAwardRule.evaluate(PensionAwardRule.example, book: PolicyDefaults.book, region: DemoRegion.district)
        let steps = result.explanation.steps.map(\.key)
        #expect(steps.contains("explain.pension.basic"))
        #expect(result.explanation.steps.first { $0.key == "explain.pension.basic" }?.result == "1,902.03")
        #expect(result.explanation.parameters.contains { $0.key == "pension.payout_months" && $0.legalBasis.contains("国发〔2005〕38号") })
        #expect(result.explanation.inputs.contains { $0.key == "input.referenceWage" && $0.value == "7,500.00" })
    }
}
