public import Foundation

/// Every rule by its id, so the API, the command line and the try-it page can evaluate any of them
/// from JSON without knowing its types.
public enum RuleCatalog {
    /// A rule with its JSON in and out.
    public struct Entry: Sendable {
        public let id: String
        public let fields: [RuleField]
        /// ``PolicyRule/refusals``.
        public let refusals: [String]
        /// The worked example as JSON.
        public let exampleJSON: Data
        /// Decodes the input from JSON, evaluates it and encodes the output.
        public let evaluate: @Sendable (Data, ParameterBook, RegionCode) throws -> Evaluation

        init<Rule: PolicyRule>(_ rule: Rule.Type) {
            self.id = Rule.id
            self.fields = Rule.fields
            self.refusals = Rule.refusals
            self.exampleJSON = (try? RuleCatalog.encoder.encode(Rule.example)) ?? Data("{}".utf8)
            self.evaluate = { data, book, region in
                try RuleInputs.checkForm(data, against: Rule.fields)
                let input: Rule.Input
                do {
                    input = try JSONDecoder().decode(Rule.Input.self, from: data)
                } catch let error as DecodingError {
                    if case .keyNotFound = error { throw RuleError.invalidInput(field: RuleCatalog.field(of: error), code: "rule.required") }
                    throw RuleError.invalidInput(field: RuleCatalog.field(of: error), code: "rule.bad_input")
                }
                let result = try Rule.run(input, book: book, region: region)
                return Evaluation(output: try RuleCatalog.encoder.encode(result.output), explanation: result.explanation,
                                  lines: OutputLines.lines(of: result.output))
            }
        }
    }

    /// One evaluation: the output as JSON, its explanation, and the output as readable lines.
    public struct Evaluation: Sendable {
        public var output: Data
        public var explanation: Explanation
        public var lines: [Explanation.Item]
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static let entries: [Entry] = [
        Entry(ContributionRule.self), Entry(AccountInterestRule.self), Entry(LateSurchargeRule.self),
        Entry(RetirementAgeRule.self), Entry(PensionAwardRule.self), Entry(PensionAdjustmentRule.self), Entry(SurvivalCertificationRule.self), Entry(PensionDeathRule.self),
        Entry(UnemploymentBenefitRule.self), Entry(EmploymentSubsidyRule.self), Entry(WorkInjuryDisabilityRule.self), Entry(WorkInjuryDeathRule.self),
        Entry(MaternityAllowanceRule.self), Entry(MedicalReimbursementRule.self),
        Entry(DibaoBenefitRule.self), Entry(SupportStandardRule.self), Entry(RuralMedicalFinancingRule.self),
        Entry(RuralMedicalReimbursementRule.self), Entry(EducationAidRule.self), Entry(DisabledEmploymentLevyRule.self),
        Entry(LandRequisitionRule.self), Entry(WelfareHomeSubsidyRule.self), Entry(TemporaryReliefRule.self),
    ]

    public static func entry(_ id: String) -> Entry? { entries.first { $0.id == id } }

    /// The rules that read `key` around `date`, found by running each rule's example moved to
    /// that date (its dates one month apart, its year that year) and reading its explanation: what
    /// a value changed from that date would change. A rule that reads the key only on some
    /// branches of its input may be missed; the list says at least these.
    public static func rules(reading key: String, on date: LocalDate, book: ParameterBook, region: RegionCode, among entries: [Entry]) -> [String] {
        entries.filter { entry in
            guard var input = (try? JSONSerialization.jsonObject(with: entry.exampleJSON)) as? [String: Any] else { return false }
            var shift = 0
            for field in entry.fields {
                switch field.kind {
                case .date:
                    input[field.name] = (date.period.advanced(by: shift).firstDay).description
                    shift += 1
                case .period: input[field.name] = date.period.description
                case .integer where field.name == "year": input[field.name] = date.year
                default: break
                }
            }
            for data in [entry.exampleJSON, try? JSONSerialization.data(withJSONObject: input)].compactMap({ $0 }) {
                if let evaluation = try? entry.evaluate(data, book, region), evaluation.explanation.parameters.contains(where: { $0.key == key }) {
                    return true
                }
            }
            return false
        }.map(\.id)
    }

    /// The input field a decoding error is about (`householdSize`, `items.0.amount`); `JSON` when
    /// the body is not JSON at all.
    static func field(of error: DecodingError) -> String {
        let path: String = switch error {
        case .keyNotFound(let key, let context): (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".")
        @unknown default: ""
        }
        return path.isEmpty ? "JSON" : path
    }
}
