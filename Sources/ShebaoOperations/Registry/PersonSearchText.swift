import Foundation
public import ShebaoCore
public import ShebaoStore

/// A person search as typed (a query string, a form, a command line): parsed once by
/// ``query(today:)`` for the page, the API, the exports and the command line alike.
public struct PersonSearchText: Sendable, Hashable {
    /// An ID when it looks like one, else a name.
    public var q: String?
    public var residentID: String?
    public var name: String?
    public var birthDate: String?
    public var region: String?
    public var status: String?

    /// The names the parameters go by in query strings.
    public static let parameterNames = ["q", "residentID", "name", "birthDate", "region", "status"]

    public init(q: String? = nil, residentID: String? = nil, name: String? = nil, birthDate: String? = nil, region: String? = nil, status: String? = nil) {
        self.q = q
        self.residentID = residentID
        self.name = name
        self.birthDate = birthDate
        self.region = region
        self.status = status
    }

    /// The parameters read by name (blank counts as absent).
    public init(reading value: (String) -> String?) {
        func text(_ name: String) -> String? {
            guard let raw = value(name)?.trimmingUnicodeWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        self.init(q: text("q"), residentID: text("residentID"), name: text("name"), birthDate: text("birthDate"), region: text("region"),
                  status: text("status"))
    }

    /// What the search box shows.
    public var typed: String { q ?? residentID ?? name ?? "" }

    /// The query, or the issue that makes it invalid.
    public func query(today: LocalDate) -> Result<PersonQuery, FieldIssue> {
        var query = PersonQuery()
        let idText = residentID ?? q.flatMap { text in
            let compact = text.filter { !$0.isWhitespace }
            return (compact.count == 18 || compact.count == 15) && compact.prefix(14).allSatisfy(\.isASCIIDigit) ? compact : nil
        }
        if residentID == nil, let ending = q.flatMap({ PersonQuery.idEnding($0.filter { !$0.isWhitespace }) }) {
            query.idEnding = ending
        } else if let idText {
            do {
                query.residentID = try ResidentID(idText, today: today)
            } catch {
                return .failure(FieldIssue(residentID == nil ? "q" : "residentID", error))
            }
        } else if let text = name ?? q {
            query.name = text
        }
        if let birthDate {
            guard let date = LocalDate(iso: birthDate) else { return .failure(FieldIssue("birthDate", "date.invalid")) }
            query.birthDate = date
        }
        if let region {
            do {
                query.region = try RegionCode(region)
            } catch {
                return .failure(FieldIssue("region", error))
            }
        }
        if let status {
            guard let value = PersonStatus(rawValue: status) else { return .failure(FieldIssue("status", "field.not_in_list", ["value": status])) }
            query.status = value
        }
        return .success(query)
    }

    /// The same search as a query string, for pager and export links and the audit row.
    public var queryString: String {
        [("q", q), ("residentID", residentID), ("name", name), ("birthDate", birthDate), ("region", region), ("status", status)]
            .compactMap { key, value in value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
            .joined(separator: "&")
    }
}

/// An employer search as typed.
public struct EmployerSearchText: Sendable, Hashable {
    public var q: String?
    public var ownershipType: String?
    public var status: String?
    public var scheme: String?
    public var region: String?

    public static let parameterNames = ["q", "ownershipType", "status", "scheme", "region"]

    public init(q: String? = nil, ownershipType: String? = nil, status: String? = nil, scheme: String? = nil, region: String? = nil) {
        self.q = q
        self.ownershipType = ownershipType
        self.status = status
        self.scheme = scheme
        self.region = region
    }

    public init(reading value: (String) -> String?) {
        func text(_ name: String) -> String? {
            guard let raw = value(name)?.trimmingUnicodeWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        self.init(q: text("q"), ownershipType: text("ownershipType"), status: text("status"), scheme: text("scheme"), region: text("region"))
    }

    /// The query, or the issue that makes it invalid: a filter is never silently ignored.
    public func query() -> Result<EmployerQuery, FieldIssue> {
        var query = EmployerQuery(text: q)
        if let ownershipType {
            guard let value = OwnershipType(rawValue: ownershipType) else { return .failure(FieldIssue("ownershipType", "field.not_in_list", ["value": ownershipType])) }
            query.ownershipType = value
        }
        if let status {
            guard let value = EmployerStatus(rawValue: status) else { return .failure(FieldIssue("status", "field.not_in_list", ["value": status])) }
            query.status = value
        }
        if let scheme {
            guard let value = Scheme(rawValue: scheme) else { return .failure(FieldIssue("scheme", "field.not_in_list", ["value": scheme])) }
            query.scheme = value
        }
        if let region {
            do {
                query.region = try RegionCode(region)
            } catch {
                return .failure(FieldIssue("region", error))
            }
        }
        return .success(query)
    }

    public var queryString: String {
        [("q", q), ("ownershipType", ownershipType), ("status", status), ("scheme", scheme), ("region", region)]
            .compactMap { key, value in value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
            .joined(separator: "&")
    }
}
