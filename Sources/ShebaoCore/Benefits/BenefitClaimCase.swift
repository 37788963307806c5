extension CaseType {
    /// The shape every benefit application takes (an award or a claim): a clerk opens it and,
    /// with `documents` on file, checks it within `checkDeadline` working days of opening; a
    /// reviewer who neither opened nor checked it approves or rejects (maker–checker); a clerk may
    /// withdraw it before then. Approving is what the program's handler acts on.
    public static func benefitClaim(_ id: String, documents: [String], checkDeadline: Int = 10) -> CaseType {
        CaseType(
            id: id,
            states: [
                CaseState("applied", deadline: checkDeadline),
                CaseState("checked", deadline: 5),
                CaseState("approved", isFinal: true),
                CaseState("rejected", isFinal: true),
                CaseState("withdrawn", isFinal: true),
            ],
            initial: "applied",
            openRoles: [.districtClerk, .townClerk],
            transitions: [
                CaseTransition("check", from: ["applied"], to: "checked", roles: [.districtClerk, .townClerk], requires: documents),
                CaseTransition("approve", from: ["checked"], to: "approved", roles: [.reviewer], separateFrom: [CaseType.openTransition, "check"]),
                CaseTransition("reject", from: ["applied", "checked"], to: "rejected", roles: [.reviewer],
                               separateFrom: [CaseType.openTransition, "check"], needsNote: true),
                CaseTransition("withdraw", from: ["applied", "checked"], to: "withdrawn", roles: [.districtClerk, .townClerk], needsNote: true),
            ],
            attachmentKinds: documents)
    }
}
