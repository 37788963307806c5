import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// Pieces the registry pages share: region choices, query strings, form reading.
extension ShebaoServices {
    /// Townships and villages in `scope` as select options, `路南街道 / 路南街道 xx社区`.
    func regionOptions(in scope: RegionCode, selected: String?, blank: String, villagesOnly: Bool = false) async throws -> [FormFieldView.Option] {
        let regions = try await self.regions.all(in: scope).filter { villagesOnly ? $0.level == .village : $0.level >= .township }
        let labels = try await self.regions.labels(of: Set(regions.map(\.code)))
        var options = [FormFieldView.Option(value: "", label: blank, selected: (selected ?? "").isEmpty)]
        options += regions.map { FormFieldView.Option(value: $0.code.value, label: labels[$0.code] ?? $0.name, selected: $0.code.value == selected) }
        return options
    }
}

extension Request {
    /// A query parameter as text (already percent-decoded; `+` from HTML forms read as a space), nil when absent or blank.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        let trimmed = value.replacingOccurrences(of: "+", with: " ").trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// Search parameters of the person list, from a query string, shared by page, API and exports.
struct PersonSearchParameters: Sendable {
    var q: String?
    var residentID: String?
    var name: String?
    var birthDate: String?
    var region: String?
    var status: String?

    init(_ request: Request) {
        q = request.query("q")
        residentID = request.query("residentID")
        name = request.query("name")
        birthDate = request.query("birthDate")
        region = request.query("region")
        status = request.query("status")
    }

    /// The query, or the issue that makes it invalid. `q` is an ID when it looks like one, else a name.
    func query(today: LocalDate) -> Result<PersonQuery, FieldIssue> {
        var query = PersonQuery()
        let idText = residentID ?? q.flatMap { text in
            let compact = text.filter { !$0.isWhitespace }
            return (compact.count == 18 || compact.count == 15) && compact.prefix(14).allSatisfy(\.isASCIIDigit) ? compact : nil
        }
        if let idText {
            do {
                query.residentID = try ResidentID(idText, today: today)
            } catch {
                return .failure(FieldIssue("q", error.code, error.arguments))
            }
        } else if let text = name ?? q {
            query.name = text
        }
        if let birthDate {
            guard let date = LocalDate(iso: birthDate) else { return .failure(FieldIssue("birthDate", "date.invalid")) }
            query.birthDate = date
        }
        if let region {
            guard let code = try? RegionCode(region) else { return .failure(FieldIssue("region", "region_code.length", ["count": String(region.count)])) }
            query.region = code
        }
        if let status {
            guard let value = PersonStatus(rawValue: status) else { return .failure(FieldIssue("status", "field.not_in_list", ["value": status])) }
            query.status = value
        }
        return .success(query)
    }

    /// The same search as a query string, for pager and export links.
    var queryString: String {
        [("q", q), ("residentID", residentID), ("name", name), ("birthDate", birthDate), ("region", region), ("status", status)]
            .compactMap { key, value in value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
            .joined(separator: "&")
    }
}

extension FormData {
    /// The person fields of a form.
    var personInput: PersonDetails.Input {
        PersonDetails.Input(
            name: self["name"], hukouType: self["hukouType"], region: self["region"], residenceRegion: self["residenceRegion"],
            address: self["address"], phone: self["phone"], bankName: self["bankName"], bankAccount: self["bankAccount"],
            disabilityCategory: self["disabilityCategory"], disabilityGrade: self["disabilityGrade"], status: self["status"],
            deathDate: self["deathDate"])
    }
}
