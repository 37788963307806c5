public import Foundation
public import SQLKit
public import ShebaoCore

/// A stored value that does not read back as what its column promises. It names the table, the
/// column and the row's key, so an operator can find and fix the row; a store never replaces such
/// a value with a default.
public struct RowDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var column: String
    public var key: String
    public var value: String?

    public var description: String {
        "table \(table), column \(column), row \(key): cannot read \(value.map { "'\($0)'" } ?? "the value")"
    }
}

/// Reads one row of `table` strictly: every failure is a ``RowDecodingError`` naming the column
/// and the row's key.
public struct RowReader {
    let row: any SQLRow
    let table: String
    /// The row's key as text (read first, so later errors can name it).
    public let key: String

    public init(_ row: any SQLRow, table: String, keyColumn: String = "id") throws {
        self.row = row
        self.table = table
        if let id = try? row.decode(column: keyColumn, as: Int64.self) {
            self.key = "\(keyColumn)=\(id)"
        } else if let text = try? row.decode(column: keyColumn, as: String.self) {
            self.key = "\(keyColumn)=\(text)"
        } else {
            self.key = "?"
        }
    }

    private func failure(_ column: String, _ value: String?) -> RowDecodingError {
        RowDecodingError(table: table, column: column, key: key, value: value)
    }

    public func int(_ column: String) throws -> Int64 {
        do { return try row.decode(column: column, as: Int64.self) } catch { throw failure(column, nil) }
    }

    public func optionalInt(_ column: String) throws -> Int64? {
        // Null first, then the plain type: decoding `Optional` through Decodable costs twice as much.
        do { return try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: Int64.self) } catch { throw failure(column, nil) }
    }

    public func string(_ column: String) throws -> String {
        do { return try row.decode(column: column, as: String.self) } catch { throw failure(column, nil) }
    }

    public func optionalString(_ column: String) throws -> String? {
        // Null first, then the plain type: decoding `Optional` through Decodable costs twice as much.
        do { return try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) } catch { throw failure(column, nil) }
    }

    /// A value of a closed list, stored by its code.
    public func value<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        let text = try string(column)
        guard let value = T(rawValue: text) else { throw failure(column, text) }
        return value
    }

    public func optionalValue<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try optionalString(column) else { return nil }
        guard let value = T(rawValue: text) else { throw failure(column, text) }
        return value
    }

    public func date(_ column: String) throws -> LocalDate {
        let text = try string(column)
        guard let date = LocalDate(iso: text) else { throw failure(column, text) }
        return date
    }

    public func optionalDate(_ column: String) throws -> LocalDate? {
        guard let text = try optionalString(column) else { return nil }
        guard let date = LocalDate(iso: text) else { throw failure(column, text) }
        return date
    }

    public func period(_ column: String) throws -> Period {
        let number = try int(column)
        guard let period = Period(yyyymm: Int(number)) else { throw failure(column, String(number)) }
        return period
    }

    public func region(_ column: String) throws -> RegionCode {
        let text = try string(column)
        guard let code = try? RegionCode(text) else { throw failure(column, text) }
        return code
    }

    public func optionalRegion(_ column: String) throws -> RegionCode? {
        guard let text = try optionalString(column) else { return nil }
        guard let code = try? RegionCode(text) else { throw failure(column, text) }
        return code
    }

    public func residentID(_ column: String) throws -> ResidentID {
        let text = try string(column)
        guard text.utf8.count == 18, text.utf8.allSatisfy({ $0 < 0x80 }) else { throw failure(column, "(\(text.count) characters)") }
        return ResidentID(trusted: text)
    }

    public func bool(_ column: String) throws -> Bool { try int(column) != 0 }

    /// A JSON document stored as text.
    public func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        let text = try string(column)
        do {
            return try StoreJSON.decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw failure(column, String(text.prefix(40)))
        }
    }
}

/// JSON as the store writes it: sorted keys, so the same record always serialises the same.
public enum StoreJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static var decoder: JSONDecoder { JSONDecoder() }

    public static func text(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
