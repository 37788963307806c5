public import SQLKit

/// A value of a row read by position: what the reads of very many rows need (integers, text).
public enum ColumnValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case null
}

/// The rows of one read by position: every value in one array, and where each row ends, so a
/// page of 10,000 rows is two allocations rather than one per row (perf put a tenth of the
/// payroll files' time in making and freeing rows one by one).
public struct PositionalRows: RandomAccessCollection, Sendable, Equatable {
    let storage: [ColumnValue]
    let ends: [Int]

    init(storage: [ColumnValue], ends: [Int]) {
        self.storage = storage
        self.ends = ends
    }

    public init(_ rows: [PositionalRow]) {
        var storage: [ColumnValue] = []
        var ends: [Int] = []
        ends.reserveCapacity(rows.count)
        for row in rows {
            storage.append(contentsOf: row.storage[row.range])
            ends.append(storage.count)
        }
        self.init(storage: storage, ends: ends)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(position: Int) -> PositionalRow {
        PositionalRow(storage: storage, range: (position == 0 ? 0 : ends[position - 1])..<ends[position])
    }

    public static func == (left: PositionalRows, right: PositionalRows) -> Bool { left.elementsEqual(right) }
}

/// One row read by position.
public struct PositionalRow: Sendable, Hashable {
    let storage: [ColumnValue]
    let range: Range<Int>

    init(storage: [ColumnValue], range: Range<Int>) {
        self.storage = storage
        self.range = range
    }

    public init(_ values: [ColumnValue]) { self.init(storage: values, range: values.indices) }

    public var values: [ColumnValue] { Array(storage[range]) }

    /// How many values the row has.
    public var count: Int { range.count }

    public func isNull(_ index: Int) throws(RowsByPositionError) -> Bool {
        guard index >= 0, index < range.count else { throw .noColumn(index) }
        if case .null = storage[range.lowerBound + index] { return true }
        return false
    }

    public func int(_ index: Int) throws(RowsByPositionError) -> Int64 {
        guard index >= 0, index < range.count, case .integer(let value) = storage[range.lowerBound + index] else { throw .notAnInteger(column: index) }
        return value
    }

    public func string(_ index: Int) throws(RowsByPositionError) -> String {
        guard index >= 0, index < range.count, case .text(let value) = storage[range.lowerBound + index] else { throw .notText(column: index) }
        return value
    }

    public static func == (left: PositionalRow, right: PositionalRow) -> Bool { left.storage[left.range].elementsEqual(right.storage[right.range]) }

    public func hash(into hasher: inout Hasher) {
        for value in storage[range] { hasher.combine(value) }
    }
}

public enum RowsByPositionError: Error, Sendable, Equatable {
    case notAnInteger(column: Int)
    case notText(column: Int)
    /// The row has fewer values than the column's position.
    case noColumn(Int)
    /// The database's JSON was not an array of arrays of integers, strings and nulls.
    case malformed(offset: Int)
    /// The rows were to be ordered by a column they do not have.
    case unknownOrder(String)
}

extension SQLDatabase {
    /// The rows of `select` — its `columns` by position, in `order` — read as one JSON array the
    /// database builds (`Dialect.jsonRows`), for reads of very many rows: a payroll's bank files
    /// read a million. Row by row, SQLKit looks each value's column up by name and casts its type
    /// at run time; on the payroll bench that was most of the time of writing the files (perf). A
    /// page of 10,000 rows is one value this way.
    public func rowsByPosition(_ select: SQLQueryString, columns: [String], orderedBy order: String) async throws -> PositionalRows {
        guard let key = columns.firstIndex(of: order) else { throw RowsByPositionError.unknownOrder(order) }
        let json = Dialect(self).jsonRows(columns, orderedBy: order)
        guard let text = try await raw("SELECT \(unsafeRaw: json) AS page FROM (\(select)) t").first()?.decode(column: "page", as: String?.self) else {
            return PositionalRows([])
        }
        let rows = try JSONRows.parse(text)
        // SQLite's array is in the order `select` read its rows (`Dialect.jsonRows`): that is
        // `order` whenever `select` orders by it, as the large reads do; otherwise sorted here.
        let keys = try rows.map { row throws(RowsByPositionError) in try row.int(key) }
        guard zip(keys, keys.dropFirst()).contains(where: { $0 > $1 }) else { return rows }
        return PositionalRows(zip(keys, rows).sorted { $0.0 < $1.0 }.map(\.1))
    }
}

/// Reads the JSON `Dialect.jsonRows` builds: an array of arrays whose values are integers,
/// strings or null — nothing else, so the reader is small and allocates only the values.
/// Foundation's readers were measured on a million such rows (100 pages, `swiftc -O`):
/// `JSONDecoder` into a Decodable value 7.4 s, `JSONSerialization` 3.9 s — more than the whole
/// files phase; this reader took about 0.3 s of it (perf).
enum JSONRows {
    static func parse(_ text: String) throws(RowsByPositionError) -> PositionalRows {
        var text = text
        return try text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            return Result { () throws(RowsByPositionError) in try reader.rows() }
        }.get()
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        mutating func rows() throws(RowsByPositionError) -> PositionalRows {
            var storage: [ColumnValue] = []
            var ends: [Int] = []
            try expect(UInt8(ascii: "["))
            if try peek() == UInt8(ascii: "]") {
                at += 1
            } else {
                let start = at
                try row(into: &storage)
                ends.append(storage.count)
                // Room for as many rows as the text holds of the first's length, and a quarter
                // more (rows differ in length): the arrays are not moved whole to twice their size
                // as they fill, on pages new to the process each time (a tenth of the reading of a
                // page of 10,000 payments, perf). Never more values than the text can hold: each
                // takes two bytes at least, itself and a comma or bracket.
                let rows = bytes.count / max(1, at - start) + 1
                let (room, overflow) = rows.multipliedReportingOverflow(by: storage.count)
                if !overflow, room <= bytes.count / 2 {
                    storage.reserveCapacity(room + room / 4)
                    ends.reserveCapacity(rows + rows / 4)
                }
                while try separator(closing: UInt8(ascii: "]")) {
                    try row(into: &storage)
                    ends.append(storage.count)
                }
            }
            skipSpace()
            guard at == bytes.count else { throw .malformed(offset: at) }
            return PositionalRows(storage: storage, ends: ends)
        }

        private mutating func row(into storage: inout [ColumnValue]) throws(RowsByPositionError) {
            try expect(UInt8(ascii: "["))
            if try peek() == UInt8(ascii: "]") {
                at += 1
                return
            }
            repeat {
                storage.append(try value())
            } while try separator(closing: UInt8(ascii: "]"))
        }

        /// After a value: true at a comma, false at the closing bracket (consumed either way).
        private mutating func separator(closing: UInt8) throws(RowsByPositionError) -> Bool {
            switch try peek() {
            case UInt8(ascii: ","): at += 1; return true
            case closing: at += 1; return false
            default: throw .malformed(offset: at)
            }
        }

        private mutating func value() throws(RowsByPositionError) -> ColumnValue {
            switch try peek() {
            case UInt8(ascii: "\""): return .text(try string())
            case UInt8(ascii: "n"):
                guard bytes.count - at >= 4, bytes[at + 1] == UInt8(ascii: "u"), bytes[at + 2] == UInt8(ascii: "l"), bytes[at + 3] == UInt8(ascii: "l") else {
                    throw .malformed(offset: at)
                }
                at += 4
                return .null
            default: return .integer(try integer())
            }
        }

        private mutating func integer() throws(RowsByPositionError) -> Int64 {
            let negative = bytes[at] == UInt8(ascii: "-")
            if negative { at += 1 }
            let start = at
            var magnitude: Int64 = 0
            while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") {
                let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[at] - UInt8(ascii: "0")))
                guard !overflow, !overflow2 else { throw .malformed(offset: start) }
                magnitude = sum
                at += 1
            }
            guard at > start else { throw .malformed(offset: start) }
            return negative ? -magnitude : magnitude
        }

        private mutating func string() throws(RowsByPositionError) -> String {
            at += 1
            let start = at
            // The common case, no escapes: the bytes between the quotes are the string.
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
            guard at < bytes.count else { throw .malformed(offset: start) }
            if bytes[at] == UInt8(ascii: "\"") {
                defer { at += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            }
            var out = Array(bytes[start..<at])
            while at < bytes.count {
                let byte = bytes[at]
                at += 1
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { throw .malformed(offset: at) }
                    let escaped = bytes[at]
                    at += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"): out.append(contentsOf: String(try scalar()).utf8)
                    default: throw .malformed(offset: at - 1)
                    }
                default: out.append(byte)
                }
            }
            throw .malformed(offset: start)
        }

        /// `\uXXXX` after the `u`, with the second half of a surrogate pair when there is one.
        private mutating func scalar() throws(RowsByPositionError) -> Character {
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high) {
                guard bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { throw .malformed(offset: at) }
                at += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
                    throw .malformed(offset: at)
                }
                return Character(scalar)
            }
            guard let scalar = Unicode.Scalar(high) else { throw .malformed(offset: at) }
            return Character(scalar)
        }

        private mutating func hex4() throws(RowsByPositionError) -> UInt32 {
            guard bytes.count - at >= 4 else { throw .malformed(offset: at) }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw .malformed(offset: at)
                }
                value = value << 4 | digit
                at += 1
            }
            return value
        }

        private mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        private mutating func peek() throws(RowsByPositionError) -> UInt8 {
            skipSpace()
            guard at < bytes.count else { throw .malformed(offset: at) }
            return bytes[at]
        }

        private mutating func expect(_ byte: UInt8) throws(RowsByPositionError) {
            guard try peek() == byte else { throw .malformed(offset: at) }
            at += 1
        }
    }
}
