public import Foundation

/// An instant, to the millisecond, stored as fixed-width ISO 8601 UTC text
/// (`2026-11-29T18:09:46.123Z`) so that text order is time order on both databases.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public init(_ date: Date) {
        self.millisecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    public func adding(seconds: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + seconds * 1000) }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    public func seconds(until later: Timestamp) -> Int64 { (later.millisecondsSinceEpoch - millisecondsSinceEpoch) / 1000 }

    /// The calendar date in China (UTC+8, no daylight saving since 1991).
    public var dateInChina: LocalDate {
        let seconds = millisecondsSinceEpoch / 1000 + 8 * 3600
        return LocalDate(daysSinceEpoch: Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }

    /// `2026-11-30 02:09`: the minute in China, as pages show a time (never the stored UTC text).
    public var chinaMinute: String {
        let local = adding(seconds: 8 * 3600).iso8601
        return String(local.prefix(10)) + " " + String(local.dropFirst(11).prefix(5))
    }

    /// A stored time as pages show it (``chinaMinute``); text that is not a stored time as it is.
    public static func shown(_ stored: String) -> String {
        Timestamp(iso8601: stored)?.chinaMinute ?? stored
    }

    /// `2026-11-29T18:09:46.123Z`.
    public var iso8601: String {
        let millis = millisecondsSinceEpoch
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let inDay = millis - days * 86_400_000
        let date = LocalDate(daysSinceEpoch: Int(days))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return date.description + "T" + pad(inDay / 3_600_000, 2) + ":" + pad(inDay / 60_000 % 60, 2) + ":"
            + pad(inDay / 1000 % 60, 2) + "." + pad(inDay % 1000, 3) + "Z"
    }

    /// Reads the form written by ``iso8601`` (also without milliseconds).
    public init?(iso8601 text: String) {
        guard text.count >= 20, text.hasSuffix("Z"), Array(text)[10] == "T", let date = LocalDate(iso: String(text.prefix(10))) else { return nil }
        let time = Array(text.dropFirst(11).dropLast())
        guard time.count == 8 || time.count == 12, time[2] == ":", time[5] == ":",
            let h = Int64(String(time[0..<2])), let m = Int64(String(time[3..<5])), let s = Int64(String(time[6..<8])),
            h < 24, m < 60, s < 60
        else { return nil }
        var ms: Int64 = 0
        if time.count == 12 {
            guard time[8] == ".", let parsed = Int64(String(time[9..<12])) else { return nil }
            ms = parsed
        }
        self.millisecondsSinceEpoch = Int64(date.daysSinceEpoch) * 86_400_000 + h * 3_600_000 + m * 60_000 + s * 1000 + ms
    }

    public var description: String { iso8601 }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 UTC time: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

/// The source of "now", injected so that tests and month-end runs are deterministic (STYLE.md §11).
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// The machine's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Timestamp { Timestamp(Date()) }
}
