/// School level of a student.
public enum SchoolLevel: String, Sendable, Codable, CaseIterable {
    case primary
    case juniorSecondary = "junior_secondary"
    case seniorSecondary = "senior_secondary"
    case university

    var index: Int64 {
        switch self {
        case .primary: 1
        case .juniorSecondary: 2
        case .seniorSecondary: 3
        case .university: 4
        }
    }
}

/// Why a student gets aid (PROGRAMS.md §4.4).
public enum StudentStatus: String, Sendable, Codable, CaseIterable {
    /// "Three disabilities" students (三残): compulsory education free.
    case threeDisabilities = "three_disabilities"
    /// From a household below the dibao line.
    case dibao
    /// Poor students.
    case poor
}

/// Education aid by level and status (PROGRAMS.md §4.4): free compulsory schooling for "three
/// disabilities" students; 250 / 300 a year below the dibao line; 500 / 700 / 900 / 1,000 for poor
/// students; nothing where the table is empty.
public enum EducationAidRule: PolicyRule {
    public static let id = "education-aid"

    public struct Input: Codable, Sendable, Hashable {
        public var year: Int
        public var level: SchoolLevel
        public var status: StudentStatus

        public init(year: Int, level: SchoolLevel, status: StudentStatus) {
            self.year = year
            self.level = level
            self.status = status
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var covered: Bool
        public var feesWaived: Bool
        public var yearlyAmount: Money
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: max(1, min(9999, input.year)), month: 9, day: 1)! }
    public static let example = Input(year: 2004, level: .juniorSecondary, status: .poor)
    public static let fields: [RuleField] = [
        RuleField("year", integer: RuleField.years), RuleField("level", .choice(SchoolLevel.allCases.map(\.rawValue))), RuleField("status", .choice(StudentStatus.allCases.map(\.rawValue))),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.level", input.level.rawValue)
        c.input("input.status", input.status.rawValue)
        if input.status == .threeDisabilities {
            let levels = try c.table("education_aid.three_disabilities_free_levels")
            let free = levels[input.level.index] == 1
            c.step("explain.education.fees_waived", input.level.rawValue, free ? "✓" : "✗")
            return c.result(Output(covered: free, feesWaived: free, yearlyAmount: .zero))
        }
        let table = try c.table("education_aid.\(input.status.rawValue)")
        guard let amount = table[input.level.index] else {
            c.step("explain.education.not_covered", input.level.rawValue, "0.00")
            return c.result(Output(covered: false, feesWaived: false, yearlyAmount: .zero))
        }
        c.step("explain.education.amount", "\(input.status.rawValue) / \(input.level.rawValue)", Money(fen: amount).x)
        return c.result(Output(covered: true, feesWaived: false, yearlyAmount: Money(fen: amount)))
    }
}
