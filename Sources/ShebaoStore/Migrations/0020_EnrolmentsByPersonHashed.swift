/// 0020: on PostgreSQL, enrolments are found by person through a hash index. As a B-tree it also
/// served ranges of persons, and the planner read an assessment chunk through it (every scheme's
/// rows of the range, fetched from the heap, filtered) rather than through the covering
/// `enrolments_assessment`: 757 ms against 511 ms per scheme and 100,000 persons, measured on a
/// bench whose person ids follow the heap's order. A hash index answers only `person_id = ?`,
/// which is every other reader's question. SQLite chooses well by itself and keeps its B-tree.
public struct EnrolmentsByPersonHashed: Migration {
    public init() {}
    public let version = 20
    public let name = "enrolments by person hashed"

    public func statements(for dialect: Dialect) -> [String] {
        switch dialect {
        case .postgres:
            ["DROP INDEX enrolments_person", "CREATE INDEX enrolments_person ON enrolments USING hash (person_id)"]
        case .sqlite:
            []
        }
    }
}
