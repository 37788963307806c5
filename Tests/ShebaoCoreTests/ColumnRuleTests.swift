import PropertyBased
import ShebaoCore
import Testing

/// The columnar forms of the rules give, row by row, exactly what the scalar rules give.
@Suite("Rules over columns")
struct ColumnRuleTests {
    static let book = PolicyDefaults.book
    static let district = RegionCode(trusted: "331004000000")

    @Test func contributionsOverColumnsEqualTheRuleForEverySchemeAndPayer() async throws {
        let cases: [(Scheme, PayerType, Int?, Bool)] = [
            (.pension, .employee, nil, false), (.pension, .selfEmployed, nil, false), (.medical, .employee, nil, false), (.medical, .selfEmployed, nil, false),
            (.unemployment, .employee, nil, false), (.unemployment, .employee, nil, true), (.workInjury, .employee, 1, false), (.workInjury, .employee, 3, false),
            (.maternity, .employee, nil, false),
        ]
        await propertyCheck(input: Gen.int64(in: 0...5_000_000).array(of: 1...40), Gen.int(in: 1998...2026), Gen.int(in: 1...12)) { wages, year, month in
            let period = Period(year: year, month: month)!
            for (scheme, payer, riskClass, rural) in cases {
                guard let columns = try? ContributionColumns(scheme: scheme, payer: payer, period: period, book: Self.book, region: Self.district,
                                                             riskClass: riskClass, ruralContractWorker: rural)
                else {
                    // No parameters for this scheme and month: the scalar rule must refuse too.
                    for wage in wages {
                        #expect(throws: RuleError.self, "\(scheme) \(payer) \(period) wage \(wage)") {
                            _ = try ContributionRule.evaluate(
                                .init(scheme: scheme, payer: payer, wage: Money(fen: wage), period: period, riskClass: riskClass, ruralContractWorker: rural),
                                book: Self.book, region: Self.district)
                        }
                    }
                    continue
                }
                var output = ContributionColumns.Output()
                do {
                    try columns.evaluate(wages: wages, into: &output)
                } catch {
                    Issue.record("\(scheme) \(payer) \(period): \(error)")
                    continue
                }
                for (row, wage) in wages.enumerated() {
                    do {
                        let scalar = try ContributionRule.evaluate(
                            .init(scheme: scheme, payer: payer, wage: Money(fen: wage), period: period, riskClass: riskClass, ruralContractWorker: rural),
                            book: Self.book, region: Self.district)
                        #expect(scalar.output == output[row], "\(scheme) \(payer) \(period) wage \(wage)")
                    } catch {
                        Issue.record("the columns computed \(scheme) \(payer) \(period) wage \(wage) but the rule refused: \(error)")
                    }
                }
            }
        }
    }

    /// A struggling enterprise's staff (PROGRAMS.md §2.8): the unit's inpatient-pooling rate alone,
    /// nothing of the person's and nothing to an account — over columns as by the rule.
    @Test func inpatientPoolingOverColumnsEqualsTheRule() async throws {
        await propertyCheck(input: Gen.int64(in: 0...5_000_000).array(of: 1...40), Gen.int(in: 1999...2026), Gen.int(in: 1...12)) { wages, year, month in
            let period = Period(year: year, month: month)!
            guard let columns = try? ContributionColumns(scheme: .medical, payer: .employee, period: period, book: Self.book, region: Self.district,
                                                         inpatientOnly: true) else {
                Issue.record("no inpatient-pooling rate in \(period)")
                return
            }
            var output = ContributionColumns.Output()
            try? columns.evaluate(wages: wages, into: &output)
            for (row, wage) in wages.enumerated() {
                let scalar = try? ContributionRule.evaluate(.init(scheme: .medical, payer: .employee, wage: Money(fen: wage), period: period, inpatientOnly: true),
                                                            book: Self.book, region: Self.district)
                #expect(scalar?.output == output[row], "\(period) wage \(wage)")
                #expect(output.individual[row] == 0 && output.accountCredit[row] == 0 && output.employerTransferToAccount[row] == 0)
            }
        }
    }

    @Test func inpatientPoolingIsTheUnitsPooledPartAloneAndOnlyForEmployeesMedical() throws {
        // Base 3,000.00 in 2003 (inside the bounds): the unit pays 4.2% = 126.00; the person nothing.
        let period = Period(year: 2003, month: 7)!
        let result = try ContributionRule.evaluate(.init(scheme: .medical, payer: .employee, wage: .yuan(3_000), period: period, inpatientOnly: true),
                                                   book: Self.book, region: Self.district)
        #expect(result.output.employer == .yuan(126) && result.output.individual == .zero && result.output.accountCredit == .zero)
        #expect(result.explanation.parameters.contains { $0.key == "medical.inpatient_only.rate.employer" })
        for (scheme, payer) in [(Scheme.pension, PayerType.employee), (.medical, .selfEmployed)] {
            #expect(throws: RuleError.invalidInput(field: "inpatientOnly", code: "rule.inpatient_only_employees")) {
                _ = try ContributionRule.evaluate(.init(scheme: scheme, payer: payer, wage: .yuan(3_000), period: period, inpatientOnly: true),
                                                  book: Self.book, region: Self.district)
            }
            #expect(throws: RuleError.invalidInput(field: "inpatientOnly", code: "rule.inpatient_only_employees")) {
                _ = try ContributionColumns(scheme: scheme, payer: payer, period: period, book: Self.book, region: Self.district, inpatientOnly: true)
            }
        }
    }

    @Test func whereTheColumnsHaveNoParametersNeitherHasTheRule() {
        for year in 1990...2026 {
            let period = Period(year: year, month: 1)!
            let columns = try? ContributionColumns(scheme: .pension, payer: .employee, period: period, book: Self.book, region: Self.district)
            let scalar = try? ContributionRule.evaluate(.init(scheme: .pension, payer: .employee, wage: .yuan(3000), period: period), book: Self.book, region: Self.district)
            #expect((columns == nil) == (scalar == nil), "\(period)")
        }
    }

    @Test func dibaoOverColumnsEqualsTheRule() async throws {
        // Area, size, income, and one number for the three-withouts flag and the add-on counts.
        let households = zip(Gen.int(in: 0...2), Gen.int(in: 1...8), Gen.int64(in: 0...600_000), Gen.int(in: 0...99)).array(of: 1...40)
        await propertyCheck(input: households, Gen.int(in: 1998...2026), Gen.int(in: 1...12)) { rows, year, month in
            let period = Period(year: year, month: month)!
            guard let columns = try? DibaoColumns(period: period, book: Self.book, region: Self.district) else {
                Issue.record("no dibao standards for \(period): \(String(describing: try? DibaoColumns(period: period, book: Self.book, region: Self.district)))")
                return
            }
            var input = DibaoColumns.Input()
            var scalarInputs: [DibaoBenefitRule.Input] = []
            for (area, size, income, flags) in rows {
                let one = DibaoBenefitRule.Input(period: period, areaType: AreaType.allCases[area], householdSize: size, monthlyIncome: Money(fen: income),
                                                 threeWithouts: flags % 10 == 0, elderly: min(flags / 10 % 3, size), minors: min(flags % 3, size))
                input.append(one)
                scalarInputs.append(one)
            }
            var output = DibaoColumns.Output()
            do throws(RuleError) {
                try columns.evaluate(input, into: &output)
            } catch {
                // Refused as a whole only where the rule refuses some row for the same reason
                // (e.g. no minimum wage in force before 2003 for the marginal band).
                let refusals = scalarInputs.compactMap { one -> RuleError? in
                    do throws(RuleError) { _ = try DibaoBenefitRule.evaluate(one, book: Self.book, region: Self.district); return nil } catch { return error }
                }
                #expect(refusals.contains(error), "\(period): \(error)")
                return
            }
            for (row, one) in scalarInputs.enumerated() {
                do {
                    #expect(try DibaoBenefitRule.evaluate(one, book: Self.book, region: Self.district).output == output[row], "\(one)")
                } catch {
                    Issue.record("the columns computed \(one) but the rule refused: \(error)")
                }
            }
        }
    }

    @Test func badRowsAreNamedAndNothingIsWritten() throws {
        let columns = try ContributionColumns(scheme: .pension, payer: .employee, period: Period(year: 2024, month: 1)!, book: Self.book, region: Self.district)
        var output = ContributionColumns.Output()
        #expect(throws: RuleError.invalidInput(field: "wage[2]", code: "rule.negative")) {
            try columns.evaluate(wages: [100_000, 200_000, -1], into: &output)
        }
        #expect(output.base.isEmpty)

        let dibao = try DibaoColumns(period: Period(year: 2024, month: 1)!, book: Self.book, region: Self.district)
        var input = DibaoColumns.Input()
        input.append(.init(period: Period(year: 2024, month: 1)!, areaType: .street, householdSize: 2, monthlyIncome: .yuan(100)))
        input.append(.init(period: Period(year: 2024, month: 1)!, areaType: .street, householdSize: 2, monthlyIncome: .yuan(100)))
        input.size[1] = 0
        var out = DibaoColumns.Output()
        #expect(throws: RuleError.invalidInput(field: "householdSize[1]", code: "rule.out_of_range")) { try dibao.evaluate(input, into: &out) }
        #expect(out.total.isEmpty)
    }

    /// The columns keep the parameters they used, with their dates and legal basis, for the run.
    @Test func columnsKeepTheirParameters() throws {
        let dibao = try DibaoColumns(period: Period(year: 2004, month: 1)!, book: Self.book, region: Self.district)
        let street = try #require(dibao.explanation.parameters.first { $0.key == "dibao.standard.street" })
        #expect(street.validFrom == "2004-01-01")
        #expect(street.value == "210.00")
        let pension = try ContributionColumns(scheme: .pension, payer: .employee, period: Period(year: 2024, month: 7)!, book: Self.book, region: Self.district)
        #expect(pension.explanation.parameters.contains { $0.key == "pension.rate.individual" && !$0.legalBasis.isEmpty })
    }
}
