import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Benefits over the API: the pensions being paid, and opening a pension award case.
struct BenefitsAPI {
    let services: ShebaoServices

    struct PensionDTO: Encodable, Sendable {
        var personId: Int64
        var caseId: Int64
        var retirementDate: String
        var start: String
        var monthlyFen: Int64
        var basicFen: Int64
        var accountFen: Int64
        var transitionalFen: Int64
        var topUpFen: Int64
        var state: String

        init(_ pension: Pension) {
            personId = pension.personID
            caseId = pension.caseID
            retirementDate = pension.retirementDate.description
            start = pension.start.description
            monthlyFen = pension.monthly.fen
            basicFen = pension.basic.fen
            accountFen = pension.account.fen
            transitionalFen = pension.transitional.fen
            topUpFen = pension.topUp.fen
            state = pension.state.rawValue
        }
    }

    struct AwardBody: Decodable, Sendable {
        var retirementDate: String
        /// A woman's retirement category: `female_worker` or `female_cadre`.
        var category: String?
        var averageIndex: String
        var deemedMonths: Int?
        var monthsBefore1998: Int?
    }

    struct OpenedDTO: ResponseEncodable, Sendable {
        var caseId: Int64
    }

    /// 201 with the case a claim opened, which shows its figures and their explanation.
    static func opened(_ id: Int64, _ request: Request, _ context: ShebaoRequestContext) throws -> Response {
        var response = try OpenedDTO(caseId: id).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func pensions(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PensionDTO> {
        ListDTO(try await services.benefits.pensions(paging: try request.apiPaging(), by: try context.requirePrincipal()), PensionDTO.init)
    }

    @Sendable func openAward(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: AwardBody.self, context: context)
        let id = try await services.benefits.openPensionAward(personID: try context.id(), retirementDate: body.retirementDate, category: body.category ?? "",
                                                              averageIndex: body.averageIndex,
                                                              deemedMonths: body.deemedMonths.map(String.init) ?? "",
                                                              monthsBefore1998: body.monthsBefore1998.map(String.init) ?? "", by: try context.requirePrincipal())
        return try Self.opened(id, request, context)
    }

    struct WorkInjuryBody: Decodable, Sendable {
        var injuryDate: String
        var reportedOn: String
        var grade: Int
        /// Yuan, e.g. "5000.00".
        var ownWage: String
        var dependency: String?
        var paymentPointId: Int64
        var account: String
    }

    /// Opens a work-injury benefits case; 201 with the case, which shows the benefits and their explanation.
    @Sendable func openWorkInjury(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: WorkInjuryBody.self, context: context)
        let id = try await services.benefits.openWorkInjuryAward(personID: try context.id(), injuryDate: body.injuryDate, reportedOn: body.reportedOn,
                                                                 grade: String(body.grade), ownWage: body.ownWage, dependency: body.dependency ?? "",
                                                                 paymentPoint: String(body.paymentPointId), account: body.account,
                                                                 by: try context.requirePrincipal())
        return try Self.opened(id, request, context)
    }

    struct MaternityBody: Decodable, Sendable {
        var event: String
        var eventDate: String
        /// Yuan, e.g. "6000.00": the unit's previous-year average monthly wage.
        var employerAverageWage: String
        var difficultBirth: Bool?
        var babies: Int?
        var childOrder: Int?
        var paymentPointId: Int64
        var account: String
    }

    /// Opens a maternity allowance claim; 201 with the case, which shows the allowance and its explanation.
    @Sendable func openMaternity(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: MaternityBody.self, context: context)
        let id = try await services.benefits.openMaternityClaim(
            personID: try context.id(), eventDate: body.eventDate, employerAverageWage: body.employerAverageWage, event: body.event,
            difficultBirth: body.difficultBirth ?? false, babies: body.babies.map(String.init) ?? "", childOrder: body.childOrder.map(String.init) ?? "",
            paymentPoint: String(body.paymentPointId), account: body.account, by: try context.requirePrincipal())
        return try Self.opened(id, request, context)
    }

    struct UnemploymentBody: Decodable, Sendable {
        var registeredOn: String
        var involuntary: Bool
        var carriedOverMonths: Int?
        var paymentPointId: Int64
        var account: String
    }

    /// Opens an unemployment benefit claim; 201 with the case (eligible only).
    @Sendable func openUnemployment(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: UnemploymentBody.self, context: context)
        let id = try await services.benefits.openUnemploymentClaim(
            personID: try context.id(), registeredOn: body.registeredOn, involuntary: body.involuntary,
            carriedOverMonths: body.carriedOverMonths.map(String.init) ?? "", paymentPoint: String(body.paymentPointId), account: body.account,
            by: try context.requirePrincipal())
        return try Self.opened(id, request, context)
    }

    struct ReemploymentBody: Decodable, Sendable {
        var reemployedOn: String
    }

    struct CancelledDTO: ResponseEncodable, Sendable {
        var monthsCancelled: Int
    }

    /// Records re-employment: the months of unemployment benefit not yet paid are cancelled.
    @Sendable func reemployment(_ request: Request, context: ShebaoRequestContext) async throws -> CancelledDTO {
        let body = try await request.decode(as: ReemploymentBody.self, context: context)
        return CancelledDTO(monthsCancelled: try await services.benefits.recordReemployment(personID: try context.id(), on: body.reemployedOn,
                                                                                             by: try context.requirePrincipal()))
    }

    struct SubsidyBody: Decodable, Sendable {
        var kind: String
        var provider: String
        /// Yuan: what the course or placement cost, as invoiced.
        var cost: String
        var paymentPointId: Int64
        var account: String
    }

    /// Opens a training or placement subsidy case for a person registered unemployed; 201 with the case.
    @Sendable func openSubsidy(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: SubsidyBody.self, context: context)
        let id = try await services.benefits.openEmploymentSubsidy(personID: try context.id(), kind: body.kind, provider: body.provider, cost: body.cost,
                                                                   paymentPoint: String(body.paymentPointId), account: body.account,
                                                                   by: try context.requirePrincipal())
        return try Self.opened(id, request, context)
    }

    struct SpellDTO: Encodable, Sendable {
        var caseId: Int64
        var personId: Int64
        var registeredOn: String
        var months: Int
        var monthlyFen: Int64
        var issued: Int
        var owed: Int
        var priorityGroups: [String]
        var status: String
        var reemployedOn: String?
        var referredOn: String?
    }

    /// The unemployment spells in the reader's scope with where each stands.
    @Sendable func spells(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<SpellDTO> {
        ListDTO(all: try await services.benefits.unemploymentSpells(by: try context.requirePrincipal()).map {
            SpellDTO(caseId: $0.caseID, personId: $0.personID, registeredOn: $0.registeredOn.description, months: $0.months, monthlyFen: $0.monthly.fen,
                     issued: $0.issued, owed: $0.owed, priorityGroups: $0.priority, status: $0.status.rawValue, reemployedOn: $0.reemployedOn?.description,
                     referredOn: $0.referredOn?.description)
        })
    }

    /// Refers an ended spell to the minimum-living-guarantee office.
    @Sendable func refer(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await services.benefits.referToDibao(try context.id(), by: try context.requirePrincipal())
        return Response(status: .noContent)
    }

    struct SurvivorBody: Decodable, Sendable {
        /// The next of kin's resident ID: a registered person.
        var nextOfKinResidentId: String
        var paymentPointId: Int64
        var account: String
    }

    /// Opens the payout on a retiree's death (funeral grant, survivors' lump sum, inheritable balance) to the next of kin; 201 with the case.
    @Sendable func openSurvivor(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: SurvivorBody.self, context: context)
        let id = try await services.benefits.openSurvivorPayout(personID: try context.id(), nextOfKin: body.nextOfKinResidentId,
                                                                paymentPoint: String(body.paymentPointId), account: body.account,
                                                                by: try context.requirePrincipal())
        return try Self.opened(id, request, context)
    }

    struct WorkInjuryDeathBody: Decodable, Sendable {
        var deathDate: String
        /// Yuan: the worker's wage.
        var deceasedWage: String
        var spouse: Bool
        var otherDependants: Int?
        /// Of the other dependants, lone elderly persons or orphans.
        var loneElderlyOrOrphans: Int?
        var nextOfKinResidentId: String
        var paymentPointId: Int64
        var account: String
    }

    /// Opens the case of a death from a work injury; 201 with the case.
    @Sendable func openWorkInjuryDeath(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: WorkInjuryDeathBody.self, context: context)
        let id = try await services.benefits.openWorkInjuryDeath(
            personID: try context.id(), deathDate: body.deathDate, deceasedWage: body.deceasedWage, spouse: body.spouse,
            others: body.otherDependants.map(String.init) ?? "", lone: body.loneElderlyOrOrphans.map(String.init) ?? "", nextOfKin: body.nextOfKinResidentId,
            paymentPoint: String(body.paymentPointId), account: body.account, by: try context.requirePrincipal())
        return try Self.opened(id, request, context)
    }

    struct EndBody: Decodable, Sendable {
        /// YYYY-MM: the first month no longer paid.
        var from: String
    }

    /// Ends the survivor pensions after a death from a work injury from a month on.
    @Sendable func endSurvivorPensions(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: EndBody.self, context: context)
        try await services.benefits.endSurvivorPensions(personID: try context.id(), from: body.from, by: try context.requirePrincipal())
        return Response(status: .noContent)
    }
}
