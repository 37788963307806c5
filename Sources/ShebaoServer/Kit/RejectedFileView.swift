import ShebaoStore

/// A file refused whole, as the `rejected-file` partial shows it: a heading with the count and
/// one line per problem with its row, column (letter and header) and reason in the reader's language.
struct RejectedFileView: Sendable {
    struct Issue: Sendable {
        var row: String
        var column: String
        var reason: String
    }
    var title: String
    var issues: [Issue]

    /// Nil when there is nothing to show; at most 500 lines.
    init?(_ issues: [ImportIssue], pages: PageRenderer, context: ShebaoRequestContext) {
        guard !issues.isEmpty else { return nil }
        title = pages.text("error.import.rejected", context, ["count": String(issues.count)])
        self.issues = issues.prefix(500).map {
            Issue(row: $0.row > 0 ? String($0.row) : "", column: $0.column.isEmpty ? "" : "\($0.column)（\($0.header)）",
                  reason: pages.text("error." + $0.code, context, $0.arguments))
        }
    }
}
