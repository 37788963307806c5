/// Correcting a registered resident ID (公民身份号码更正): the public security bureau certifies
/// that a person's number was wrong or has changed (GB 11643; 《居民身份证法》第八条), the clerk
/// checks the certificate and the household register, and a reviewer who neither opened nor
/// checked the case approves it. Only then does the record take the new number, as a new
/// version; the old number stays in its history. A number that is already registered to someone
/// else is not a correction but a duplicate: that is a merge.
public enum IDCorrection {
    /// The documents a clerk checks (originals seen at the counter, recorded by number).
    public enum Document: String, Sendable, CaseIterable {
        /// 公安机关出具的公民身份号码变更（更正）证明.
        case policeCertificate = "police_certificate"
        /// 居民户口簿.
        case householdRegister = "household_register"
        /// The new resident identity card.
        case identityCard = "identity_card"
    }

    public static let caseType = CaseType(
        id: "registry.id_correction",
        states: [
            CaseState("applied", deadline: 5),
            CaseState("verified", deadline: 5),
            CaseState("approved", isFinal: true),
            CaseState("rejected", isFinal: true),
            CaseState("withdrawn", isFinal: true),
        ],
        initial: "applied",
        openRoles: [.districtClerk, .townClerk],
        transitions: [
            CaseTransition("verify", from: ["applied"], to: "verified", roles: [.districtClerk, .townClerk, .reviewer],
                           requires: [Document.policeCertificate.rawValue, Document.householdRegister.rawValue]),
            CaseTransition("approve", from: ["verified"], to: "approved", roles: [.reviewer],
                           separateFrom: [CaseType.openTransition, "verify"]),
            CaseTransition("reject", from: ["applied", "verified"], to: "rejected", roles: [.reviewer],
                           separateFrom: [CaseType.openTransition, "verify"], needsNote: true),
            CaseTransition("withdraw", from: ["applied", "verified"], to: "withdrawn", roles: [.districtClerk, .townClerk], needsNote: true),
        ],
        attachmentKinds: Document.allCases.map(\.rawValue))

    /// What the case asks: the person and the number they should have.
    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var currentID: String
        public var correctedID: String

        public init(personID: Int64, currentID: String, correctedID: String) {
            self.personID = personID
            self.currentID = currentID
            self.correctedID = correctedID
        }
    }
}
