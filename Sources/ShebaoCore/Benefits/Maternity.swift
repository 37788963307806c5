/// What the maternity leave is for.
public enum MaternityEvent: String, Sendable, Codable, CaseIterable {
    case birth
    case miscarriageBefore4Months = "miscarriage_before_4_months"
    case miscarriageFrom4Months = "miscarriage_from_4_months"
}

/// Maternity allowance (女职工劳动保护特别规定 2012 Art. 7–8; RULES.md §5): the employer's previous-year
/// average monthly wage ÷ 30 × leave days, computed exactly and rounded once — never the daily rate
/// first. Leave: 90 days before 2012-04-28, 98 after; +15 for a difficult birth and per extra baby;
/// 15 or 42 days for a miscarriage; Zhejiang adds 60 days for a first child and 90 for a second or
/// third (nothing for a fourth or later child). Beside the allowance the fund pays the birth's
/// medical costs as the local lump sum for its kind — a normal birth, a difficult one, a
/// miscarriage (生育医疗费定额, RULES.md §5 [A]).
public enum MaternityAllowanceRule: PolicyRule {
    public static let id = "maternity-allowance"

    public struct Input: Codable, Sendable, Hashable {
        public var eventDate: LocalDate
        public var employerAverageWage: Money
        public var event: MaternityEvent
        public var difficultBirth: Bool?
        public var babies: Int?
        /// 1 for a first child, 2 or 3 for a second or third (Zhejiang extra leave).
        public var childOrder: Int?

        public init(eventDate: LocalDate, employerAverageWage: Money, event: MaternityEvent = .birth, difficultBirth: Bool? = nil, babies: Int? = nil, childOrder: Int? = nil) {
            self.eventDate = eventDate
            self.employerAverageWage = employerAverageWage
            self.event = event
            self.difficultBirth = difficultBirth
            self.babies = babies
            self.childOrder = childOrder
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var leaveDays: Int
        public var allowance: Money
        /// The medical costs' lump sum (absent from claims decided before it was paid with them).
        public var medicalCosts: Money?

        /// What the fund pays for the event.
        public var total: Money { allowance + (medicalCosts ?? .zero) }
    }

    public static func date(of input: Input) -> LocalDate { input.eventDate }
    public static let example = Input(eventDate: LocalDate(year: 2024, month: 4, day: 1)!, employerAverageWage: .yuan(6_000), childOrder: 1)
    public static let fields: [RuleField] = [
        RuleField("eventDate", .date), RuleField("employerAverageWage", .money), RuleField("event", .choice(MaternityEvent.allCases.map(\.rawValue))),
        RuleField("difficultBirth", .bool, optional: true), RuleField("babies", integer: 1...10, optional: true), RuleField("childOrder", integer: 1...20, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.eventDate)
        c.input("input.employerAverageWage", input.employerAverageWage.x)
        c.input("input.event", input.event.rawValue)
        var days: Int
        switch input.event {
        case .miscarriageBefore4Months:
            days = Int(try c.integer("maternity.miscarriage_days.before_4_months"))
            c.step("explain.maternity.miscarriage", "", String(days))
        case .miscarriageFrom4Months:
            days = Int(try c.integer("maternity.miscarriage_days.from_4_months"))
            c.step("explain.maternity.miscarriage", "", String(days))
        case .birth:
            days = Int(try c.integer("maternity.leave_days"))
            var parts = [String(days)]
            if input.difficultBirth == true {
                let extra = Int(try c.integer("maternity.difficult_birth_extra_days"))
                days += extra
                parts.append(String(extra))
            }
            let babies = max(1, input.babies ?? 1)
            if babies > 1 {
                let extra = Int(try c.integer("maternity.extra_baby_days")) * (babies - 1)
                days += extra
                parts.append(String(extra))
            }
            if let order = input.childOrder, let extras = try c.tableInForce("maternity.local_extra_days") {
                // Zhejiang 2021: +60 days for a first child, +90 for a second or third; the ordinance
                // gives nothing for a fourth or later child, so no row means no extra days.
                if let extra = extras[Int64(order)] {
                    if try c.choice("maternity.local_extra_days_paid") == "yes" {
                        days += Int(extra)
                        parts.append(String(extra))
                    }
                } else {
                    c.step("explain.maternity.no_local_extra", String(order), "0")
                }
            }
            c.step("explain.maternity.days", parts.joined(separator: " + "), String(days))
        }
        let allowance = try (Ratio(fen: input.employerAverageWage) * Ratio(days) / Ratio(30)).fen
        c.step("explain.maternity.allowance", "\(input.employerAverageWage.x) × \(days) ÷ 30", allowance.x)
        let lumpSum: String = switch input.event {
        case .birth: input.difficultBirth == true ? "maternity.medical.difficult_birth" : "maternity.medical.birth"
        case .miscarriageBefore4Months, .miscarriageFrom4Months: "maternity.medical.miscarriage"
        }
        let medical = try c.money(lumpSum)
        c.step("explain.maternity.medical", "", medical.x)
        let total = allowance + medical
        c.step("explain.maternity.total", "\(allowance.x) + \(medical.x)", total.x)
        return c.result(Output(leaveDays: days, allowance: allowance, medicalCosts: medical))
    }
}
