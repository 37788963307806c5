import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The household page's section of social security at a glance: each member's insurance this
/// month beside their assistance, the household's dibao and rural scheme enrolments (with the
/// assisted members' own share paid by district and town), and the paired help it receives.
struct HouseholdAssistanceSection: Encodable, Sendable {
    struct Member: Encodable, Sendable {
        var name: String
        var href: String
        var relation: String
        var insurance: String
        var support: String
        var land: String
        var relief: String
    }
    struct Ncms: Encodable, Sendable {
        var year: Int
        var participants: Int
        var assisted: Int
        var participantsPay: String
        var town: String
        var district: String
        var total: String
    }
    var members: [Member]
    var dibao: String
    var ncms: [Ncms]
    var hasNcms: Bool
    var help: String
    var hardship: String

    static func build(_ household: Household, services: ShebaoServices, principal: Principal, context: ShebaoRequestContext) async throws -> Self {
        let pages = services.pages
        let overview = try await services.assistance.householdOverview(household.id, by: principal)
        let none = "—"
        let current = overview.dibao.first { $0.endsFrom == nil }
        return Self(
            members: overview.members.map { m in
                .init(name: m.name, href: Route.person.path(m.personID), relation: pages.label(m.relation, context),
                      insurance: m.schemes.isEmpty ? none : m.schemes.map { pages.label($0, context) }.joined(separator: "、"),
                      support: m.support.map { "\(pages.label($0.kind, context)) \($0.monthly.formatted)" } ?? none,
                      land: m.land.map { "\(pages.label($0.group, context))\($0.monthlyFrom.map { " · \($0)" } ?? "")" } ?? none,
                      relief: m.relief.fen > 0 ? m.relief.formatted : none)
            },
            dibao: current.map { "\($0.monthly.formatted) · \($0.householdSize) · \($0.monthlyFrom)" } ?? none,
            ncms: overview.ncms.map {
                .init(year: $0.year, participants: $0.participants, assisted: $0.assisted, participantsPay: $0.financing.participantsPay.formatted,
                      town: $0.financing.town.formatted, district: $0.financing.district.formatted, total: $0.financing.total.formatted)
            },
            hasNcms: !overview.ncms.isEmpty,
            help: overview.help.isEmpty ? none : overview.help.map { "\($0.year) \($0.helperName) \($0.pledged.formatted)" }.joined(separator: "；"),
            hardship: overview.hardship.map { h in "\(h.needs.map { pages.label($0, context) }.joined(separator: "、")) · \(h.designatedOn)" } ?? none)
    }
}
