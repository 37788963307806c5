import Foundation
public import ShebaoCore
public import ShebaoStore

/// One view of a household (PROGRAMS.md §4, issue 12 item 11): each member's insurance this month
/// beside the assistance they get — five-guarantees support, the land-requisition benefit, the
/// year's temporary relief — and the household's own: its dibao, its rural scheme enrolments with
/// who paid the assisted members' share, the paired help it receives.
public struct HouseholdOverview: Sendable {
    public struct Member: Sendable {
        public var personID: Int64
        public var name: String
        public var relation: HouseholdRelation
        /// The schemes insuring the member this month.
        public var schemes: [Scheme]
        public var support: SupportGrant?
        public var land: LandMember?
        /// Relief granted this year.
        public var relief: Money
    }

    public var members: [Member]
    public var dibao: [DibaoGrant]
    public var ncms: [NcmsEnrolment]
    public var help: [PairedHelp]
    /// On the register of special-hardship families.
    public var hardship: HardshipHousehold?
}

extension AssistanceService {
    /// The household's overview; outside the reader's scope it is not found.
    public func householdOverview(_ householdID: Int64, by principal: Principal) async throws(ServiceError) -> HouseholdOverview {
        try principal.require(.householdRead)
        let month = context.today.period
        let year = context.today.year
        return try await context.read { db in
            guard let household = try await HouseholdStore().find(id: householdID, on: db), principal.may(.householdRead, in: household.region) else {
                throw ServiceError.notFound
            }
            var members: [HouseholdOverview.Member] = []
            for member in household.members {
                let schemes = try await InsuranceStore().enrolments(of: member.personID, on: db)
                    .filter { $0.start <= month && ($0.end.map { month <= $0 } ?? true) }.map(\.scheme)
                let support = try await SupportStore().grants(of: member.personID, on: db).first { $0.endsFrom.map { month < $0 } ?? true }
                let relief = try await ReliefStore().grants(of: member.personID, on: db).filter { $0.year == year }.reduce(Money.zero) { $0 + $1.granted }
                members.append(.init(personID: member.personID, name: member.name, relation: member.relation, schemes: Array(Set(schemes)).sorted { $0.rawValue < $1.rawValue },
                                     support: support, land: try await LandStore().member(person: member.personID, on: db), relief: relief))
            }
            return HouseholdOverview(members: members, dibao: try await DibaoStore().grants(ofHousehold: household.id, on: db),
                                     ncms: try await RuralMedicalStore().enrolments(ofHousehold: household.id, on: db),
                                     help: try await ReliefStore().pairings(ofHousehold: household.id, on: db),
                                     hardship: try await ReliefStore().hardship(ofHousehold: household.id, year: year, on: db))
        }
    }
}
