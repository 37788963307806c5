/// A household registered at the counter in one form (户口登记): its village, address and the
/// registration type of the people new to the registry, and its members as rows — the head
/// first — each typed once by resident ID. Sex and birth date come from the ID (GB 11643-1999).
public struct HouseholdRegistration: Sendable, Hashable, Codable {
    /// One row of the form as typed.
    public struct Row: Sendable, Hashable, Codable {
        public var residentID: String?
        public var name: String?
        public var relation: String?
        public var phone: String?

        public init(residentID: String? = nil, name: String? = nil, relation: String? = nil, phone: String? = nil) {
            self.residentID = residentID
            self.name = name
            self.relation = relation
            self.phone = phone
        }

        /// A row with nothing typed in it is no member: the form offers more rows than most households need.
        public var isBlank: Bool {
            [residentID, name, relation, phone].allSatisfy { ($0 ?? "").trimmingUnicodeWhitespace().isEmpty }
        }
    }

    public var region: String?
    public var address: String?
    public var hukouType: String?
    public var rows: [Row]
    public var reason: String?

    public init(region: String? = nil, address: String? = nil, hukouType: String? = nil, rows: [Row] = [], reason: String? = nil) {
        self.region = region
        self.address = address
        self.hukouType = hukouType
        self.rows = rows
        self.reason = reason
    }

    /// A member row once checked: who, their relation to the head and what the clerk typed for
    /// a person new to the registry (an already registered person keeps their record).
    public struct Member: Sendable, Hashable {
        /// The row's index in the form, for errors beside it.
        public var row: Int
        public var residentID: ResidentID
        public var name: String?
        public var relation: HouseholdRelation
        public var phone: String?
    }

    /// More members than any household register booklet has pages for is a mistake (a pasted list).
    public static let maxMembers = 30

    /// The field of a row's cell, as forms and problem documents name it: `members.0.residentID`.
    public static func field(_ row: Int, _ column: String) -> String { "members.\(row).\(column)" }

    /// The member rows, every problem at once: the first filled row is the head and no other
    /// row is; each ID valid and typed once; names and phones well formed. Whether a person is
    /// already registered is the service's question — a name is only checked where one was typed.
    public func members(today: LocalDate) -> Result<[Member], FieldIssues> {
        var issues: [FieldIssue] = []
        var members: [Member] = []
        var seen: [ResidentID: Int] = [:]
        let filled = rows.enumerated().filter { !$0.element.isBlank }
        if filled.isEmpty { return .failure(FieldIssues([FieldIssue(Self.field(0, "residentID"), "field.required")])) }
        if filled.count > Self.maxMembers { return .failure(FieldIssues([FieldIssue("members", "household.too_many", ["max": String(Self.maxMembers)])])) }
        for (position, (index, row)) in filled.enumerated() {
            var residentID: ResidentID?
            do throws(ResidentIDError) {
                residentID = try ResidentID(row.residentID ?? "", today: today)
            } catch {
                issues.append(FieldIssue(Self.field(index, "residentID"), error))
            }
            if let id = residentID {
                if let first = seen[id] {
                    issues.append(FieldIssue(Self.field(index, "residentID"), "household.member_twice", ["row": String(first + 1)]))
                } else {
                    seen[id] = index
                }
            }
            let relation = Self.relation(row.relation, head: position == 0, field: Self.field(index, "relation"), issues: &issues)
            var name: String?
            if !(row.name ?? "").trimmingUnicodeWhitespace().isEmpty {
                switch FieldRules.personName(row.name ?? "", field: Self.field(index, "name")) {
                case .success(let value): name = value
                case .failure(let issue): issues.append(issue)
                }
            }
            var phone: String?
            switch FieldRules.phone(row.phone, field: Self.field(index, "phone")) {
            case .success(let value): phone = value
            case .failure(let issue): issues.append(issue)
            }
            if let residentID, let relation {
                members.append(Member(row: index, residentID: residentID, name: name, relation: relation, phone: phone))
            }
        }
        return issues.isEmpty ? .success(members) : .failure(FieldIssues(issues))
    }

    /// The head's row must say head (or nothing, which means head); every other row a relation
    /// other than head.
    private static func relation(_ text: String?, head: Bool, field: String, issues: inout [FieldIssue]) -> HouseholdRelation? {
        let trimmed = (text ?? "").trimmingASCIIWhitespace()
        if trimmed.isEmpty {
            if head { return .head }
            issues.append(FieldIssue(field, "field.required"))
            return nil
        }
        guard let relation = HouseholdRelation(rawValue: trimmed) else {
            issues.append(FieldIssue(field, "field.not_in_list", ["value": trimmed]))
            return nil
        }
        if head && relation != .head { issues.append(FieldIssue(field, "household.first_row_head")); return nil }
        if !head && relation == .head { issues.append(FieldIssue(field, "household.one_head", ["count": "2"])); return nil }
        return relation
    }
}

extension Household {
    /// The next register number (户号) of a village: its 12-digit code, a dash and one more than
    /// the highest number it has given (331004003203-7 after 331004003203-6), so that the clerk
    /// never invents one and two villages never collide.
    public static func nextRegisterNumber(in village: RegionCode, taken: [String]) -> String {
        let prefix = village.value + "-"
        let highest = taken.compactMap { number -> Int? in
            guard number.hasPrefix(prefix) else { return nil }
            return Int(number.dropFirst(prefix.count))
        }.max() ?? 0
        return prefix + String(highest + 1)
    }
}
