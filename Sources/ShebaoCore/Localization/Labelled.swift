/// A closed list whose every value has a label in the string tables under `prefix.rawValue`
/// (`sex.male`, `hukou.agricultural`). Code asks for `value.labelKey` instead of building the
/// key by interpolation, and a test walks ``LabelledLists/all`` so that a missing translation
/// fails a test, not a page.
public protocol Labelled: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// The string-table prefix, e.g. `sex` for `sex.male`.
    static var labelPrefix: String { get }
}

extension Labelled {
    /// The string-table key of this value's label.
    public var labelKey: String { Self.labelPrefix + "." + rawValue }

    /// Every key of the list, for the test that checks the three tables.
    public static var labelKeys: [String] { allCases.map { $0.labelKey } }
}

extension StringTables {
    /// The label of `value` in `language`.
    public func label(_ value: some Labelled, _ language: Language) -> String {
        text(value.labelKey, language)
    }

    /// The text for an error code (`error.<code>`), the one form every refusal is written in.
    public func error(_ code: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        text("error." + code, language, arguments)
    }
}

extension Sex: Labelled { public static let labelPrefix = "sex" }
extension HukouType: Labelled { public static let labelPrefix = "hukou" }
extension PersonStatus: Labelled { public static let labelPrefix = "person_status" }
extension DisabilityCategory: Labelled { public static let labelPrefix = "disability" }
extension HouseholdRelation: Labelled { public static let labelPrefix = "relation" }
extension Scheme: Labelled {
    public static let labelPrefix = "scheme"
    /// The short label for lists (`养老`), beside the full one (`养老保险`).
    public var shortLabelKey: String { "scheme_short." + rawValue }
}
extension OwnershipType: Labelled { public static let labelPrefix = "ownership" }
extension EmployerStatus: Labelled { public static let labelPrefix = "employer_status" }
extension Industry: Labelled { public static let labelPrefix = "industry" }
extension AreaType: Labelled { public static let labelPrefix = "area_type" }
extension Role: Labelled { public static let labelPrefix = "role" }
extension VerificationLabel: Labelled { public static let labelPrefix = "verification" }
extension ProposalStatus: Labelled { public static let labelPrefix = "proposal_status" }
extension BatchState: Labelled { public static let labelPrefix = "batch_state" }
extension ObjectionOutcome: Labelled { public static let labelPrefix = "objection_outcome" }

/// Every labelled list of the core, for the test that checks each label exists in the three
/// tables. A module that adds a list (the store's audit actions, a program's states) lists it
/// the same way in its own tests.
public enum LabelledLists {
    public static let all: [any Labelled.Type] = [
        Sex.self, HukouType.self, PersonStatus.self, DisabilityCategory.self, HouseholdRelation.self, Scheme.self,
        OwnershipType.self, EmployerStatus.self, Industry.self, AreaType.self, Role.self, VerificationLabel.self,
        ProposalStatus.self, BatchState.self, ObjectionOutcome.self, InstitutionLevel.self, MedicalInstitution.Kind.self,
        MedicalInstitution.Status.self, MedicalInspection.Kind.self, MedicalInspection.Measure.self, MedicalInspection.State.self,
    ]

    /// Keys beyond `prefix.value`: the short scheme labels.
    public static let extraKeys: [String] = Scheme.allCases.map(\.shortLabelKey)
}
