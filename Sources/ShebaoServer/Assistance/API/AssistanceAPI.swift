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
        /// deferral or reduction of fees, with its cause (disaster or illness).
        var feeRelief: String?
        var feeReliefCause: String?
    }

    @Sendable func applyForEducationAid(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: EducationAidBody.self, context: context)
        let id = try await services.assistance.openEducationAid(student: try context.id(), level: body.level, status: body.status,
                                                                paymentPoint: String(body.paymentPointId), account: body.account,
                                                                feeRelief: body.feeRelief ?? "", cause: body.feeReliefCause ?? "",
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
        ListDTO(all: try await services.assistance.dibaoGrants(current: try request.apiFlag("current"), by: try context.requirePrincipal())
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

/// Five-guarantees and three-withouts support over the API: an application (the case then moves
/// on `/cases`), the homes and the supported with the centralised rate, adding a home, ending support.
extension AssistanceAPI {
    struct SupportBody: Decodable, Sendable {
        var kind: String
        var ground: String
        var arrangement: String
        var institutionId: Int64?
        var paymentPointId: Int64?
        var account: String?
    }

    @Sendable func applyForSupport(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: SupportBody.self, context: context)
        let id = try await services.assistance.openSupport(
            person: try context.id(), kind: body.kind, ground: body.ground, arrangement: body.arrangement,
            institution: body.institutionId.map { String($0) } ?? "", paymentPoint: body.paymentPointId.map { String($0) } ?? "", account: body.account ?? "",
            by: try context.requirePrincipal())
        return try BenefitsAPI.opened(id, request, context)
    }

    struct HomeDTO: ResponseEncodable, Sendable {
        var id: Int64
        var name: String
        var kind: String
        var regionCode: String
        var beds: Int
        var residents: Int
        var floorArea: Int
    }

    struct SupportGrantDTO: ResponseEncodable, Sendable {
        var caseId: Int64
        var personId: Int64
        var regionCode: String
        var kind: String
        var form: String
        var arrangement: String
        var institutionId: Int64?
        var certificate: String
        var monthlyFen: Int64
        var districtYearlyFen: Int64
        var monthlyFrom: String
        var paidThrough: String?
        var endsFrom: String?
        var endReason: String?

        init(_ grant: SupportGrant) {
            caseId = grant.caseID
            personId = grant.personID
            regionCode = grant.region.value
            kind = grant.kind.rawValue
            form = grant.form.rawValue
            arrangement = grant.arrangement.rawValue
            institutionId = grant.institutionID
            certificate = grant.certificate
            monthlyFen = grant.monthly.fen
            districtYearlyFen = grant.districtYearly.fen
            monthlyFrom = grant.monthlyFrom.description
            paidThrough = grant.paidThrough?.description
            endsFrom = grant.endsFrom?.description
            endReason = grant.endReason
        }
    }

    struct SupportDTO: ResponseEncodable, Sendable {
        var homes: [HomeDTO]
        var grants: [SupportGrantDTO]
        var centralised: Int
        var dispersed: Int
        /// The centralised rate as a decimal (nil when no one is supported), and its target.
        var rate: String?
        var target: String
        var meetsTarget: Bool?
    }

    @Sendable func support(_ request: Request, context: ShebaoRequestContext) async throws -> SupportDTO {
        let principal = try context.require(.assistanceManage)
        let overview = try await services.assistance.supportOverview(by: principal)
        return SupportDTO(
            homes: overview.institutions.map {
                HomeDTO(id: $0.id, name: $0.name, kind: $0.kind.rawValue, regionCode: $0.region.value, beds: $0.beds, residents: $0.residents, floorArea: $0.floorArea)
            },
            grants: overview.grants.map(SupportGrantDTO.init), centralised: overview.rate.centralised, dispersed: overview.rate.dispersed,
            rate: overview.rate.rate?.decimal(places: 4), target: overview.rate.target.decimal(places: 4),
            meetsTarget: overview.rate.rate == nil ? nil : overview.rate.met)
    }

    struct HomeBody: Decodable, Sendable {
        var name: String
        var kind: String
        var regionCode: String
        var beds: Int
        var floorArea: Int
        var paymentPointId: Int64
        var account: String
    }

    @Sendable func addHome(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: HomeBody.self, context: context)
        let principal = try context.requirePrincipal()
        let id = try await services.assistance.addInstitution(name: body.name, kind: body.kind, region: body.regionCode, beds: String(body.beds),
                                                              floorArea: String(body.floorArea), paymentPoint: String(body.paymentPointId),
                                                              account: body.account, by: principal)
        guard let home = try await services.assistance.institutions(by: principal).first(where: { $0.id == id }) else { throw ServiceError.notFound }
        var response = try HomeDTO(id: home.id, name: home.name, kind: home.kind.rawValue, regionCode: home.region.value, beds: home.beds,
                                   residents: home.residents, floorArea: home.floorArea).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func endSupport(_ request: Request, context: ShebaoRequestContext) async throws -> SupportGrantDTO {
        let body = try await request.decode(as: EndBody.self, context: context)
        return SupportGrantDTO(try await services.assistance.endSupport(try context.id(), from: body.from, reason: body.reason,
                                                                        by: try context.requirePrincipal()))
    }
}

/// A catastrophic-illness claim on the rural scheme over the API (the case then moves on `/cases`).
extension AssistanceAPI {
    struct NcmsClaimBody: Decodable, Sendable {
        var institutionId: Int64
        var admittedOn: String
        var dischargedOn: String
        var totalCost: String
        var eligibleCost: String
        var handler: String
        var paymentPointId: Int64
        var account: String
    }

    @Sendable func claimNcms(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: NcmsClaimBody.self, context: context)
        let id = try await services.assistance.openNcmsClaim(
            person: try context.id(), institution: String(body.institutionId), admittedOn: body.admittedOn, dischargedOn: body.dischargedOn,
            totalCost: body.totalCost, eligibleCost: body.eligibleCost, handler: body.handler, paymentPoint: String(body.paymentPointId),
            account: body.account, by: try context.requirePrincipal())
        return try BenefitsAPI.opened(id, request, context)
    }
}

/// The disabled-employment levy over the API: a year's bills, issuing them, recording a payment.
extension AssistanceAPI {
    struct LevyBillDTO: ResponseEncodable, Sendable {
        var id: Int64
        var employerId: Int64
        var regionCode: String
        var year: Int
        var staff: Int
        var disabled: Int
        var severelyDisabled: Int
        var employerWageFen: Int64?
        var mode: String
        var required: String
        var shortfall: String
        var levyFen: Int64
        var dueOn: String
        var state: String
        var paidOn: String?
        var surchargeFen: Int64

        init(_ bill: LevyBill) {
            id = bill.id
            employerId = bill.employerID
            regionCode = bill.region.value
            year = bill.year
            staff = bill.staff
            disabled = bill.disabled
            severelyDisabled = bill.severelyDisabled
            employerWageFen = bill.employerWage?.fen
            mode = bill.mode
            required = bill.required
            shortfall = bill.shortfall
            levyFen = bill.levy.fen
            dueOn = bill.dueOn.description
            state = bill.state.rawValue
            paidOn = bill.paidOn?.description
            surchargeFen = bill.surcharge.fen
        }
    }

    @Sendable func levyBills(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<LevyBillDTO> {
        ListDTO(all: try await services.assistance.levyBills(year: try LevyPages.year(request, services), by: try context.requirePrincipal())
            .map(LevyBillDTO.init))
    }

    struct IssueBody: Decodable, Sendable {
        var year: Int
    }

    struct IssueDTO: ResponseEncodable, Sendable {
        var year: Int
        var units: Int
        var issued: Int
        var billedBefore: Int
        var nothingDue: Int
        var totalFen: Int64
    }

    @Sendable func issueLevy(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: IssueBody.self, context: context)
        let done = try await services.assistance.issueLevyBills(year: String(body.year), by: try context.requirePrincipal())
        var response = try IssueDTO(year: done.year, units: done.units, issued: done.issued, billedBefore: done.billedBefore, nothingDue: done.nothingDue,
                                totalFen: done.total.fen)
            .response(from: request, context: context)
        response.status = .created
        return response
    }

    struct PaymentBody: Decodable, Sendable {
        var amount: String
        var paidOn: String
    }

    @Sendable func payLevy(_ request: Request, context: ShebaoRequestContext) async throws -> LevyBillDTO {
        let body = try await request.decode(as: PaymentBody.self, context: context)
        return LevyBillDTO(try await services.assistance.payLevy(try context.id(), amount: body.amount, paidOn: body.paidOn, by: try context.requirePrincipal()))
    }
}
