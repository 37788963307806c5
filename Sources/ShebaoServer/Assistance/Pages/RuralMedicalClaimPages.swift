import Foundation
import ShebaoCore
import ShebaoOperations

extension ClaimForms {
    /// A catastrophic-illness claim on the rural scheme: the hospital, the stay, the bill and its
    /// covered part, who handled it; medical assistance is computed after it for the assisted.
    static func ncmsClaim(_ services: ShebaoServices) -> ClaimForm {
        let assistance = services.assistance
        @Sendable func values(_ v: [String: String]) -> (String, String, String, String, String, String, String, String) {
            (v["institution"] ?? "", v["admittedOn"] ?? "", v["dischargedOn"] ?? "", v["totalCost"] ?? "", v["eligibleCost"] ?? "", v["handler"] ?? "",
             v["paymentPoint"] ?? "", v["account"] ?? "")
        }
        return ClaimForm(
            route: .ncmsClaim, titleKey: "ncms_claim.title", explainKey: "ncms_claim.explain", submitKey: "ncms_claim.submit",
            fields: [
                .init(name: "institution", label: "medical.institution", records: .hospitals),
                .init(name: "admittedOn", label: "medical.admitted_on"), .init(name: "dischargedOn", label: "medical.discharged_on"),
                .init(name: "totalCost", label: "medical.total_cost"), .init(name: "eligibleCost", label: "input.eligibleCost"),
                .init(name: "handler", label: "ncms_claim.handler",
                      choices: RuralMedicalClaim.Handler.allCases.map { ($0.rawValue, "ncms_handler." + $0.rawValue) }),
            ] + account(),
            compute: { v, person, principal in
                let f = values(v)
                let draft = try await assistance.ncmsClaim(person: person.id, institution: f.0, admittedOn: f.1, dischargedOn: f.2, totalCost: f.3,
                                                           eligibleCost: f.4, handler: f.5, paymentPoint: f.6, account: f.7, by: principal)
                return .init(explanation: draft.result.explanation, warning: nil, then: draft.assistance?.explanation)
            },
            open: { v, person, principal in
                let f = values(v)
                return try await assistance.openNcmsClaim(person: person.id, institution: f.0, admittedOn: f.1, dischargedOn: f.2, totalCost: f.3,
                                                          eligibleCost: f.4, handler: f.5, paymentPoint: f.6, account: f.7, by: principal)
            })
    }
}
