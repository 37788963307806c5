import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The minimum living guarantee over the API: an application for a member's household (the
/// case then moves on `/cases`), the grants in scope, ending one; the notices on the boards.
struct AssistanceAPI {
    let services: ShebaoServices

    struct ApplicationBody: Decodable, Sendable {
        var monthlyIncome: String
        var threeWithouts: Bool?
        var elderly: Int?
        var severelyDisabled: Int?
        var seriouslyIll: Int?
        var minors: Int?
        var paymentPointId: Int64
        var account: String
    }

    @Sendable func apply(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: ApplicationBody.self, context: context)
        func text(_ count: Int?) -> String { count.map { String($0) } ?? "" }
        let person = try context.id()
        let principal = try context.requirePrincipal()
        let id = try await services.assistance.openDibao(
            person: person, monthlyIncome: body.monthlyIncome, threeWithouts: body.threeWithouts == true, elderly: text(body.elderly),
            severelyDisabled: text(body.severelyDisabled), seriouslyIll: text(body.seriouslyIll), minors: text(body.minors),
            paymentPoint: String(body.paymentPointId), account: body.account, by: principal)
        return try BenefitsAPI.opened(id, request, context)
    }

    struct EducationAidBody: Decodable, Sendable {
        var level: String
        var status: String
        var paymentPointId: Int64
        var account: String
    }

    @Sendable func applyForEducationAid(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: EducationAidBody.self, context: context)
        let id = try await services.assistance.openEducationAid(student: try context.id(), level: body.level, status: body.status,
                                                                paymentPoint: String(body.paymentPointId), account: body.account,
                                                                by: try context.requirePrincipal())
        return try BenefitsAPI.opened(id, request, context)
    }

    struct NcmsBody: Decodable, Sendable {
        var year: Int
    }

    struct NcmsDTO: ResponseEncodable, Sendable {
        var householdId: Int64
        var year: Int
        var participants: Int
        var assisted: Int
        var perPersonFen: Int64
        var participantsFen: Int64
        var townFen: Int64
        var districtFen: Int64
        var cityFen: Int64
        var totalFen: Int64

        init(_ e: NcmsEnrolment) {
            householdId = e.householdID
            year = e.year
            participants = e.participants
            assisted = e.assisted
            perPersonFen = e.financing.perPerson.fen
            participantsFen = e.financing.participantsPay.fen
            townFen = e.financing.town.fen
            districtFen = e.financing.district.fen
            cityFen = e.financing.city.fen
            totalFen = e.financing.total.fen
        }
    }

    @Sendable func enrolNcms(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: NcmsBody.self, context: context)
        let enrolment = try await services.assistance.enrolNcms(person: try context.id(), year: String(body.year), by: try context.requirePrincipal())
        var response = try NcmsDTO(enrolment).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct ParticipationDTO: ResponseEncodable, Sendable {
        var township: String
        var households: Int
        var enrolled: Int
        var eligible: Int
        var rateBasisPoints: Int
        var target: String?
        var meetsTarget: Bool?
    }

    @Sendable func ncmsParticipation(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<ParticipationDTO> {
        guard let year = Int(request.query("year") ?? String(services.today.year)), (2003...2100).contains(year) else {
            throw Problem.badRequest("field.out_of_range", ["min": "2003", "max": "2100"])
        }
        return ListDTO(all: try await services.assistance.ncmsParticipation(year: year, by: try context.requirePrincipal()).map {
            ParticipationDTO(township: $0.participation.township.value, households: $0.participation.households, enrolled: $0.participation.enrolled,
                             eligible: $0.participation.eligible, rateBasisPoints: $0.rateBasisPoints, target: $0.target?.description, meetsTarget: $0.meetsTarget)
        })
    }

    struct GrantDTO: ResponseEncodable, Sendable {
        var caseId: Int64
        var householdId: Int64
        var personId: Int64
        var regionCode: String
        var householdSize: Int
        var monthlyFen: Int64
        var monthlyFrom: String
        var paidThrough: String?
        var endsFrom: String?
        var endReason: String?
        var category: String
        var nextReview: String

        init(_ grant: DibaoGrant) {
            caseId = grant.caseID
            householdId = grant.householdID
            personId = grant.personID
            regionCode = grant.region.value
            householdSize = grant.householdSize
            monthlyFen = grant.monthly.fen
            monthlyFrom = grant.monthlyFrom.description
            paidThrough = grant.paidThrough?.description
            endsFrom = grant.endsFrom?.description
            endReason = grant.endReason
            category = grant.category.rawValue
            nextReview = grant.nextReview.description
        }
    }

    @Sendable func grants(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<GrantDTO> {
        ListDTO(all: try await services.assistance.dibaoGrants(current: request.query("current") == "true", by: try context.requirePrincipal())
            .map(GrantDTO.init))
    }

    struct EndBody: Decodable, Sendable {
        var from: String
        var reason: String
    }

    @Sendable func end(_ request: Request, context: ShebaoRequestContext) async throws -> GrantDTO {
        let body = try await request.decode(as: EndBody.self, context: context)
        return GrantDTO(try await services.assistance.endDibao(try context.id(), from: body.from, reason: body.reason, by: try context.requirePrincipal()))
    }

    struct ReviewBody: Decodable, Sendable {
        var outcome: String
        var from: String?
        var note: String
    }

    @Sendable func review(_ request: Request, context: ShebaoRequestContext) async throws -> GrantDTO {
        let body = try await request.decode(as: ReviewBody.self, context: context)
        return GrantDTO(try await services.assistance.reviewDibao(try context.id(), outcome: body.outcome, from: body.from ?? "", note: body.note,
                                                                  by: try context.requirePrincipal()))
    }

    struct NoticeDTO: ResponseEncodable, Sendable {
        var caseId: Int64
        var regionCode: String
        var name: String
        var householdSize: Int
        var monthlyFen: Int64
        var startsOn: String
        var endsOn: String
    }

    /// What the boards show, as the boards show it (masked names).
    @Sendable func notices(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<NoticeDTO> {
        let principal = try context.requirePrincipal()
        guard principal.role.isStaff else { throw ServiceError.notFound }
        return ListDTO(all: try await services.assistance.notices(in: principal.scope).map {
            NoticeDTO(caseId: $0.caseID, regionCode: $0.region.value, name: $0.maskedName, householdSize: $0.householdSize, monthlyFen: $0.monthly.fen,
                      startsOn: $0.startsOn.description, endsOn: $0.endsOn.description)
        })
    }
}
