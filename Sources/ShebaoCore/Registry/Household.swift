/// A member's relation to the head of household (与户主关系), as in the household register (户口簿).
public enum HouseholdRelation: String, Sendable, Codable, CaseIterable {
    case head
    case spouse
    case child
    case childInLaw = "child_in_law"
    case grandchild
    case parent
    case grandparent
    case sibling
    case other
}

/// A household (户): its members live in one community or village, one of them is the head.
public struct Household: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    /// The household register number (户号) from the household register booklet (户口簿).
    public var registerNumber: String
    /// The community or village the household belongs to.
    public var region: RegionCode
    public var address: String?
    public var members: [Member]
    public var version: Int64

    public struct Member: Sendable, Codable, Hashable {
        public var personID: Int64
        public var name: String
        public var residentID: ResidentID
        public var relation: HouseholdRelation

        public init(personID: Int64, name: String, residentID: ResidentID, relation: HouseholdRelation) {
            self.personID = personID
            self.name = name
            self.residentID = residentID
            self.relation = relation
        }
    }

    public init(id: Int64, registerNumber: String, region: RegionCode, address: String?, members: [Member], version: Int64) {
        self.id = id
        self.registerNumber = registerNumber
        self.region = region
        self.address = address
        self.members = members
        self.version = version
    }

    public var head: Member? { members.first { $0.relation == .head } }
}

/// Why a change to a household is refused.
public enum HouseholdError: Error, Equatable, Sendable {
    /// A household has exactly one head.
    case needsExactlyOneHead(count: Int)
    case notAMember(Int64)
    /// A person is a member of one household at a time; moving them is its own operation.
    case alreadyInAHousehold(personID: Int64, householdID: Int64)
    /// The head cannot leave: first make someone else the head.
    case headCannotLeave
    /// A household's place is a community or village.
    case regionNotAVillage(RegionCode)
    /// Another household already has this register number.
    case registerNumberTaken(String)

    public var code: String {
        switch self {
        case .needsExactlyOneHead: "household.one_head"
        case .notAMember: "household.not_a_member"
        case .alreadyInAHousehold: "household.already_member"
        case .headCannotLeave: "household.head_cannot_leave"
        case .regionNotAVillage: "household.region_not_village"
        case .registerNumberTaken: "household.register_number_taken"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .needsExactlyOneHead(let count): ["count": String(count)]
        case .notAMember(let id): ["person": String(id)]
        case .alreadyInAHousehold(let person, let household): ["person": String(person), "household": String(household)]
        case .regionNotAVillage(let code): ["code": code.value]
        case .registerNumberTaken(let number): ["number": number]
        case .headCannotLeave: [:]
        }
    }
}

extension Household {
    /// The relations after `newHead` becomes head: the old head takes `formerHeadRelation`
    /// (by default `other`: the clerk states it, since it depends on the family).
    public func changingHead(to newHead: Int64, formerHeadRelation: HouseholdRelation) throws(HouseholdError) -> [Int64: HouseholdRelation] {
        guard members.contains(where: { $0.personID == newHead }) else { throw .notAMember(newHead) }
        var relations: [Int64: HouseholdRelation] = [:]
        for member in members {
            if member.personID == newHead {
                relations[member.personID] = .head
            } else if member.relation == .head {
                relations[member.personID] = formerHeadRelation == .head ? .other : formerHeadRelation
            } else {
                relations[member.personID] = member.relation
            }
        }
        return relations
    }
}
