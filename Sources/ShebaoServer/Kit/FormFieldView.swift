import Foundation
import Hummingbird
import ShebaoCore

/// One field of a form as templates render it (`Resources/templates/fields.mustache`): label,
/// value, choices, and the error message tied to it for screen readers.
struct FormFieldView: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    var name: String
    /// The element's id: `f-<name>`, or a page's own prefix where its tests and links name fields so (`claim-wage`).
    var id: String = ""
    var label: String
    var value: String
    var inputType: String
    var isInput: Bool
    var isSelect: Bool
    var isTextarea: Bool
    var isCheckboxes: Bool = false
    var options: [Option]
    var required: Bool
    var fieldError: String?
    var hint: String?
    /// The browser's autofill hint (`current-password`, `new-password`, `off` for account numbers).
    var autocomplete: String? = nil
    /// A textarea's height in lines.
    var rows = 3

    static func input(_ name: String, label: String, value: String?, type: String = "text", required: Bool = false, hint: String? = nil) -> FormFieldView {
        FormFieldView(name: name, id: "f-" + name, label: label, value: value ?? "", inputType: type, isInput: true, isSelect: false, isTextarea: false,
                      options: [], required: required, fieldError: nil, hint: hint)
    }

    static func select(_ name: String, label: String, value: String?, options: [(String, String)], required: Bool = false, blank: String? = "") -> FormFieldView {
        var choices: [Option] = blank.map { [Option(value: "", label: $0, selected: (value ?? "").isEmpty)] } ?? []
        choices += options.map { Option(value: $0.0, label: $0.1, selected: $0.0 == value) }
        return FormFieldView(name: name, id: "f-" + name, label: label, value: value ?? "", inputType: "", isInput: false, isSelect: true, isTextarea: false,
                             options: choices, required: required, fieldError: nil, hint: nil)
    }

    /// One checkbox per option, named `name_value` (a form posts each ticked one).
    static func checkboxes(_ name: String, label: String, options: [(String, String)], checked: Set<String>) -> FormFieldView {
        FormFieldView(name: name, id: "f-" + name, label: label, value: "", inputType: "", isInput: false, isSelect: false, isTextarea: false, isCheckboxes: true,
                      options: options.map { Option(value: $0.0, label: $0.1, selected: checked.contains($0.0)) }, required: false, fieldError: nil, hint: nil)
    }

    static func textarea(_ name: String, label: String, value: String?, required: Bool = false, rows: Int = 3) -> FormFieldView {
        var field = FormFieldView(name: name, id: "f-" + name, label: label, value: value ?? "", inputType: "", isInput: false, isSelect: false,
                                  isTextarea: true, options: [], required: required, fieldError: nil, hint: nil)
        field.rows = rows
        return field
    }
}

extension FormFieldView {
    /// The field under another element id (its error stays `e-<name>`).
    func identified(as id: String) -> FormFieldView {
        var field = self
        field.id = id
        return field
    }

    /// The field with the browser's autofill hint.
    func autocompleted(_ hint: String) -> FormFieldView {
        var field = self
        field.autocomplete = hint
        return field
    }
}

extension Array where Element == FormFieldView {
    /// Attaches each issue's message to its field (several to one field in turn); issues for
    /// fields not on the form are returned.
    mutating func attach(_ issues: [FieldIssue], text: (FieldIssue) -> String) -> [String] {
        var unplaced: [String] = []
        for issue in issues {
            if let index = firstIndex(where: { $0.name == issue.field }) {
                // Every problem of the field, not only the last (a list of IDs has one a line).
                self[index].fieldError = [self[index].fieldError, text(issue)].compactMap { $0 }.joined(separator: " ")
            } else {
                unplaced.append(text(issue))
            }
        }
        return unplaced
    }
}

extension PageRenderer {
    /// The message of a field issue (`error.<code>` in the tables).
    func text(_ issue: FieldIssue, _ context: ShebaoRequestContext) -> String {
        text("error.\(issue.code)", context, issue.arguments)
    }

    /// Every value of a closed list with its label, for choice lists.
    func options<T: Labelled>(_ type: T.Type, _ context: ShebaoRequestContext) -> [(String, String)] {
        T.allCases.map { ($0.rawValue, label($0, context)) }
    }
}
