import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Land-requisitioned farmers over the API: recording a requisition, the requisitions, one with
/// its farmers, the training list.
extension AssistanceAPI {
    struct LandRequisitionBody: Decodable, Sendable {
        var townCode: String
        var village: String
        /// Mu, up to two decimals.
        var area: String
        var compensation: String
        var landSaleIncome: String
        var requisitionedOn: String
        var tier: String
        var contribution: String
        var paymentPointId: Int64
        var residentIds: [String]
    }

    struct LandRequisitionDTO: ResponseEncodable, Sendable {
        var id: Int64
        var townCode: String
        var village: String
        var area: String
        var compensationFen: Int64
        var landSaleIncomeFen: Int64
        var requisitionedOn: String
        var tierFen: Int64
        var contributionFen: Int64
        var governmentFen: Int64
        var collectiveFen: Int64
        var individualFen: Int64
        var children: Int
        var workingAge: Int
        var elderly: Int
        var members: [LandMemberDTO]?

        init(_ r: LandRequisition, members: [LandMember]? = nil) {
            id = r.id
            townCode = r.region.value
            village = r.village
            area = r.area
            compensationFen = r.compensation.fen
            landSaleIncomeFen = r.landSaleIncome.fen
            requisitionedOn = r.requisitionedOn.description
            tierFen = r.tier.fen
            contributionFen = r.contribution.fen
            governmentFen = r.government.fen
            collectiveFen = r.collective.fen
            individualFen = r.individual.fen
            children = r.members[.child] ?? 0
            workingAge = r.members[.workingAge] ?? 0
            elderly = r.members[.elderly] ?? 0
            self.members = members?.map(LandMemberDTO.init)
        }
    }

    struct LandMemberDTO: ResponseEncodable, Sendable {
        var personId: Int64
        var name: String
        var birthDate: String
        var requisitionId: Int64
        var village: String
        var group: String
        var tierFen: Int64
        var monthlyFrom: String?
        var paidThrough: String?

        init(_ m: LandMember) {
            personId = m.personID
            name = m.personName
            birthDate = m.birthDate.description
            requisitionId = m.requisitionID
            village = m.village
            group = m.group.rawValue
            tierFen = m.tier.fen
            monthlyFrom = m.monthlyFrom?.description
            paidThrough = m.paidThrough?.description
        }
    }

    @Sendable func recordLandRequisition(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: LandRequisitionBody.self, context: context)
        let principal = try context.requirePrincipal()
        let id = try await services.assistance.recordLandRequisition(
            LandRequisitionForm(town: body.townCode, village: body.village, area: body.area, compensation: body.compensation,
                                landSaleIncome: body.landSaleIncome, requisitionedOn: body.requisitionedOn, tier: body.tier, contribution: body.contribution,
                                paymentPoint: String(body.paymentPointId), members: body.residentIds.joined(separator: "\n")),
            by: principal)
        let (found, members) = try await services.assistance.landRequisition(id, by: principal)
        var response = try LandRequisitionDTO(found, members: members).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func landRequisitions(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<LandRequisitionDTO> {
        ListDTO(all: try await services.assistance.landRequisitions(by: try context.requirePrincipal()).map { LandRequisitionDTO($0) })
    }

    @Sendable func landRequisition(_ request: Request, context: ShebaoRequestContext) async throws -> LandRequisitionDTO {
        let (found, members) = try await services.assistance.landRequisition(try context.id(), by: try context.requirePrincipal())
        return LandRequisitionDTO(found, members: members)
    }

    @Sendable func landTraining(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<LandMemberDTO> {
        ListDTO(all: try await services.assistance.landTrainingList(by: try context.requirePrincipal()).map(LandMemberDTO.init))
    }
}

/// Relief and charity over the API: a temporary-relief application (the case then moves on
/// `/cases`), donations, paired help.
extension AssistanceAPI {
    struct ReliefBody: Decodable, Sendable {
        var reason: String
        var requested: String
        var note: String?
        var paymentPointId: Int64
        var account: String
    }

    @Sendable func applyForRelief(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: ReliefBody.self, context: context)
        let id = try await services.assistance.openRelief(person: try context.id(), reason: body.reason, requested: body.requested, note: body.note ?? "",
                                                          paymentPoint: String(body.paymentPointId), account: body.account, by: try context.requirePrincipal())
        return try BenefitsAPI.opened(id, request, context)
    }

    struct DonationBody: Decodable, Sendable {
        var fund: String
        var donor: String
        var amount: String
        var receivedOn: String
        var purpose: String?
    }

    struct DonationDTO: ResponseEncodable, Sendable {
        var id: Int64
        var fund: String
        var donor: String
        var amountFen: Int64
        var receivedOn: String
        var purpose: String

        init(_ d: Donation) {
            id = d.id
            fund = d.fund.rawValue
            donor = d.donor
            amountFen = d.amount.fen
            receivedOn = d.receivedOn.description
            purpose = d.purpose
        }
    }

    @Sendable func donate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: DonationBody.self, context: context)
        let principal = try context.requirePrincipal()
        let id = try await services.assistance.recordDonation(fund: body.fund, donor: body.donor, amount: body.amount, receivedOn: body.receivedOn,
                                                              purpose: body.purpose ?? "", by: principal)
        let year = LocalDate(iso: body.receivedOn)?.year ?? services.today.year
        guard let donation = try await services.assistance.charityYear(year, by: principal).donations.first(where: { $0.id == id }) else {
            throw ServiceError.notFound
        }
        var response = try DonationDTO(donation).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func donations(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<DonationDTO> {
        ListDTO(all: try await services.assistance.charityYear(try LevyPages.year(request, services), by: try context.requirePrincipal()).donations
            .map(DonationDTO.init))
    }

    struct PairBody: Decodable, Sendable {
        var helperKind: String
        var helper: String
        var householdNumber: String
        var year: Int
        var pledged: String
    }

    struct PairedHelpDTO: ResponseEncodable, Sendable {
        var id: Int64
        var helperKind: String
        var helper: String
        var householdId: Int64
        var householdNumber: String
        var regionCode: String
        var year: Int
        var pledgedFen: Int64
        var deliveredFen: Int64

        init(_ p: PairedHelp) {
            id = p.id
            helperKind = p.helperKind.rawValue
            helper = p.helperName
            householdId = p.householdID
            householdNumber = p.householdNumber
            regionCode = p.region.value
            year = p.year
            pledgedFen = p.pledged.fen
            deliveredFen = p.delivered.fen
        }
    }

    @Sendable func pair(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: PairBody.self, context: context)
        let principal = try context.requirePrincipal()
        let id = try await services.assistance.pair(helperKind: body.helperKind, helper: body.helper, household: body.householdNumber, year: String(body.year),
                                                    pledged: body.pledged, by: principal)
        guard let pairing = try await services.assistance.charityYear(body.year, by: principal).pairings.first(where: { $0.id == id }) else {
            throw ServiceError.notFound
        }
        var response = try PairedHelpDTO(pairing).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func pairedHelp(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PairedHelpDTO> {
        ListDTO(all: try await services.assistance.charityYear(try LevyPages.year(request, services), by: try context.requirePrincipal()).pairings
            .map(PairedHelpDTO.init))
    }

    struct DeliveryBody: Decodable, Sendable {
        var amount: String
    }

    @Sendable func deliver(_ request: Request, context: ShebaoRequestContext) async throws -> PairedHelpDTO {
        let body = try await request.decode(as: DeliveryBody.self, context: context)
        return PairedHelpDTO(try await services.assistance.deliver(try context.id(), amount: body.amount, by: try context.requirePrincipal()))
    }
}

/// Welfare homes' construction subsidies over the API: applying (the case then moves on
/// `/cases`), those approved, recording a transfer.
extension AssistanceAPI {
    struct HomeSubsidyBody: Decodable, Sendable {
        var date: String
        var renovationCost: String?
        var newBeds: Int?
        var floorArea: Int?
        var residents: Int?
    }

    struct HomeSubsidyDTO: ResponseEncodable, Sendable {
        var caseId: Int64
        var homeId: Int64
        var home: String
        var regionCode: String
        var approvedOn: String
        var renovationFen: Int64
        var newBeds: Int
        var bedFen: Int64
        var totalFen: Int64
        var paidOn: String?
        var reference: String?

        init(_ s: HomeSubsidyRecord) {
            caseId = s.caseID
            homeId = s.institutionID
            home = s.institutionName
            regionCode = s.region.value
            approvedOn = s.approvedOn
            renovationFen = s.renovation.fen
            newBeds = s.newBeds
            bedFen = s.beds.fen
            totalFen = s.total.fen
            paidOn = s.paidOn?.description
            reference = s.reference
        }
    }

    @Sendable func applyForHomeSubsidy(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: HomeSubsidyBody.self, context: context)
        let id = try await services.assistance.openHomeSubsidy(
            home: String(try context.id()), date: body.date, renovationCost: body.renovationCost ?? "", newBeds: body.newBeds.map(String.init) ?? "",
            floorArea: body.floorArea.map(String.init) ?? "", residents: body.residents.map(String.init) ?? "", by: try context.requirePrincipal())
        return try BenefitsAPI.opened(id, request, context)
    }

    @Sendable func homeSubsidies(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<HomeSubsidyDTO> {
        ListDTO(all: try await services.assistance.homeSubsidies(by: try context.requirePrincipal()).map(HomeSubsidyDTO.init))
    }

    struct TransferBody: Decodable, Sendable {
        var reference: String
        var paidOn: String
    }

    @Sendable func payHomeSubsidy(_ request: Request, context: ShebaoRequestContext) async throws -> HomeSubsidyDTO {
        let body = try await request.decode(as: TransferBody.self, context: context)
        return HomeSubsidyDTO(try await services.assistance.payHomeSubsidy(try context.id(), reference: body.reference, paidOn: body.paidOn,
                                                                           by: try context.requirePrincipal()))
    }
}

/// The register of special-hardship families over the API.
extension AssistanceAPI {
    struct HardshipBody: Decodable, Sendable {
        var householdNumber: String
        var needs: [String]
        var reason: String
    }

    struct HardshipDTO: ResponseEncodable, Sendable {
        var id: Int64
        var householdId: Int64
        var householdNumber: String
        var regionCode: String
        var needs: [String]
        var reason: String
        var designatedOn: String
        var reviewBy: String
        var endedOn: String?
        var reliefFen: Int64
        var pairedHelpFen: Int64
        var educationAidFen: Int64

        init(_ h: HardshipHousehold) {
            id = h.id
            householdId = h.householdID
            householdNumber = h.householdNumber
            regionCode = h.region.value
            needs = h.needs.map(\.rawValue)
            reason = h.reason
            designatedOn = h.designatedOn.description
            reviewBy = h.reviewBy.description
            endedOn = h.endedOn?.description
            reliefFen = h.relief.fen
            pairedHelpFen = h.pairedHelp.fen
            educationAidFen = h.educationAid.fen
        }
    }

    @Sendable func hardshipHouseholds(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<HardshipDTO> {
        ListDTO(all: try await services.assistance.hardshipHouseholds(current: !(try request.apiFlag("all")), by: try context.requirePrincipal())
            .map(HardshipDTO.init))
    }

    @Sendable func designateHardship(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: HardshipBody.self, context: context)
        var response = try HardshipDTO(try await services.assistance.designateHardship(household: body.householdNumber, needs: body.needs, reason: body.reason,
                                                                                       by: try context.requirePrincipal()))
            .response(from: request, context: context)
        response.status = .created
        return response
    }

    struct HardshipEndBody: Decodable, Sendable {
        var reason: String
    }

    @Sendable func endHardship(_ request: Request, context: ShebaoRequestContext) async throws -> HardshipDTO {
        let body = try await request.decode(as: HardshipEndBody.self, context: context)
        return HardshipDTO(try await services.assistance.endHardship(try context.id(), reason: body.reason, by: try context.requirePrincipal()))
    }
}
