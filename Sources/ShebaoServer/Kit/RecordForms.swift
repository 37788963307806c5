import Hummingbird
import ShebaoCore
import ShebaoOperations

/// A record registered once under a natural key and then changed as versions (a person, an
/// employer): what the shared register-and-change pages read of it.
protocol VersionedRecord: Sendable {
    var id: Int64 { get }
    var version: Int64 { get }
    /// The key entered at registration, shown fixed on the edit form (resident ID, credit code).
    var naturalKey: String { get }
}

extension Person: VersionedRecord {
    var naturalKey: String { residentID.value }
}

extension Employer: VersionedRecord {
    var naturalKey: String { creditCode.value }
}

/// The register-and-change pages of a versioned record: a blank form, a form filled from the
/// record, and their submissions. A refused submission comes back with what the user typed and
/// the service's reasons beside the fields; a stale version is refused by the service, never
/// merged. A program's pages supply the fields and the use cases; the four handlers are here once.
protocol RecordForms: Sendable {
    associatedtype Record: VersionedRecord
    associatedtype Input: Sendable

    var pages: PageRenderer { get }
    /// Where the new form posts (and its cancel leads); the record's page, where the edit form posts.
    var listRoute: Route { get }
    var recordRoute: Route { get }
    /// The natural key's form field and label (`residentID`, `person.resident_id`).
    var keyField: (name: String, labelKey: String) { get }
    var newTitleKey: String { get }
    /// The action that shows the new form.
    var registerAction: Action { get }

    /// What a blank new form starts with.
    var blankInput: Input { get }
    /// The record's fields of a submitted form (a blank field is given as blank).
    func input(_ form: FormData) -> Input
    func input(filledFrom record: Record) -> Input
    /// The form's fields, the key among them only when registering.
    func fields(_ input: Input, key: String?, reason: String?, principal: Principal, context: ShebaoRequestContext,
                editing: Bool) async throws -> [FormFieldView]
    func editTitle(_ record: Record, _ context: ShebaoRequestContext) -> String

    /// Reads the record (scope and role checked by the service).
    func record(_ id: Int64, by principal: Principal) async throws -> Record
    /// Whether the reader may change it; if not, its edit form is not found.
    func mayChange(_ record: Record, by principal: Principal) -> Bool
    func register(key: String?, _ input: Input, reason: String?, by principal: Principal) async throws -> Record
    func change(_ id: Int64, _ input: Input, expectedVersion: Int64?, reason: String?, by principal: Principal) async throws -> Record
}

extension RecordForms {
    @Sendable func new(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, registerAction) else { throw Problem.forbidden }
        return try await renderNew(blankInput, key: nil, reason: nil, error: nil, request, context)
    }

    @Sendable func create(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            let record = try await register(key: form[keyField.name], input(form), reason: form["reason"], by: principal)
            return .saved(recordRoute, record.id)
        } rerender: { error in
            try await renderNew(input(form), key: form[keyField.name], reason: form["reason"], error: error, request, context)
        }
    }

    @Sendable func edit(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let record = try await record(try context.id(), by: principal)
        guard mayChange(record, by: principal) else { throw Problem.notFound }
        return try await renderEdit(record, input: input(filledFrom: record), version: record.version, reason: nil, error: nil, request, context)
    }

    @Sendable func update(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        let version = form.int("version")
        return try await submitForm {
            let record = try await change(id, input(form), expectedVersion: version, reason: form["reason"], by: principal)
            return .saved(recordRoute, record.id)
        } rerender: { error in
            let record = try await record(id, by: principal)
            return try await renderEdit(record, input: input(form), version: version ?? record.version, reason: form["reason"], error: error, request, context)
        }
    }

    private func renderNew(_ input: Input, key: String?, reason: String?, error: ServiceError?, _ request: Request,
                           _ context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let content = RecordFormPage(
            action: listRoute.path(), cancel: listRoute.path(),
            fields: try await fields(input, key: key, reason: reason, principal: principal, context: context, editing: false),
            error: error, pages: pages, context: context)
        return pages.render("record-form", title: pages.text(newTitleKey, context), content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }

    private func renderEdit(_ record: Record, input: Input, version: Int64, reason: String?, error: ServiceError?, _ request: Request,
                            _ context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let content = RecordFormPage(
            action: recordRoute.path(record.id), cancel: recordRoute.path(record.id), version: String(version),
            fixed: [.init(label: pages.text(keyField.labelKey, context), value: record.naturalKey)],
            fields: try await fields(input, key: nil, reason: reason, principal: principal, context: context, editing: true),
            error: error, pages: pages, context: context)
        return pages.render("record-form", title: editTitle(record, context), content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }
}
