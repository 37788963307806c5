import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The disabled-employment levy's year: the bills issued to units below their quota (a district
/// clerk issues them), what each owes if paid today, and recording a unit's payment (a fund
/// accountant).
struct LevyPages {
    let services: ShebaoServices

    struct Page {
        struct Bill {
            var unit: String
            var unitHref: String
            var region: String
            var staff: Int
            var disabled: String
            var required: String
            var shortfall: String
            var mode: String
            var levy: String
            var dueOn: String
            var state: String
            var paidOn: String
            var surcharge: String
            var owedToday: String
            /// The amount as the payment form takes it (plain yuan).
            var owedValue: String
            var payAction: String?
        }
        var year: Int
        var bills: [Bill]
        var total: String
        var paid: String
        var issues: Bool
        var issueAction: String
        var today: String
        var notice: String?
        var problem: String?
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let year = try Self.year(request, services)
        var notice: String?
        if let done = request.query("done") {
            notice = services.pages.text("levy.done.\(done)", context,
                                         ["count": request.query("count") ?? "", "units": request.query("units") ?? "", "none": request.query("none") ?? "",
                                          "before": request.query("before") ?? ""])
        }
        return try await render(request, context, year: year, notice: notice, problem: nil, status: .ok)
    }

    static func year(_ request: Request, _ services: ShebaoServices) throws -> Int {
        // One year: `?year=2026&year=2027` is not quietly read as the first.
        // One year, and a year when the parameter is there: `?year=2026&year=2027` is not read as the
        // first, nor `?year=` as this year.
        let given = request.uri.queryParameters.getAll("year")
        guard given.count <= 1, let year = Int(given.first.map { String($0) } ?? String(services.today.year)),
              (2003...2100).contains(year) else {
            throw ServiceError.invalid("year", "field.out_of_range", ["min": "2003", "max": "2100"])
        }
        return year
    }

    /// Issues the year's bills; back to the year with how many.
    @Sendable func issue(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let year = form["year"] ?? ""
        return try await submitForm {
            let done = try await services.assistance.issueLevyBills(year: year, by: principal)
            return .redirect(to: Route.levy.path(query: "year=\(done.year)&done=issued&count=\(done.issued)&units=\(done.units)&before=\(done.billedBefore)&none=\(done.nothingDue)"),
                             type: .found)
        } rerender: { error in
            try await render(request, context, year: Int(year) ?? services.today.year, notice: nil,
                             problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    /// Records a unit's payment of its bill.
    @Sendable func pay(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            let bill = try await services.assistance.payLevy(id, amount: form["amount"] ?? "", paidOn: form["paidOn"] ?? "", by: principal)
            return .redirect(to: Route.levy.path(query: "year=\(bill.year)&done=paid"), type: .found)
        } rerender: { error in
            try await render(request, context, year: Int(form["year"] ?? "") ?? services.today.year, notice: nil,
                             problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, year: Int, notice: String?, problem: String?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let bills = try await services.assistance.levyBills(year: year, by: principal)
        let places = try await services.regions.labels(of: Set(bills.map(\.region)))
        let today = services.today
        let owed = try await services.assistance.levyOwed(bills, paidOn: today)
        let rows = bills.map { bill in
            Page.Bill(
                unit: bill.employerName, unitHref: Route.employer.path(bill.employerID), region: places[bill.region] ?? bill.region.value, staff: bill.staff,
                disabled: bill.severelyDisabled > 0 ? "\(bill.disabled)（\(bill.severelyDisabled)）" : String(bill.disabled), required: bill.required,
                shortfall: bill.shortfall, mode: pages.text("choice." + bill.mode, context), levy: bill.levy.formatted, dueOn: bill.dueOn.description,
                state: pages.label(bill.state, context), paidOn: bill.paidOn?.description ?? "—", surcharge: bill.surcharge.formatted,
                owedToday: owed[bill.id]?.formatted ?? "—", owedValue: owed[bill.id]?.yuanText ?? "",
                payAction: bill.state == .issued && principal.may(.ledgerPost) ? Route.levyPayment.path(bill.id) : nil)
        }
        let content = Page(
            year: year, bills: rows, total: bills.reduce(Money.zero) { $0 + $1.levy }.formatted,
            paid: bills.filter { $0.state == .paid }.reduce(Money.zero) { $0 + $1.levy + $1.surcharge }.formatted,
            issues: principal.role == .districtClerk || principal.role == .admin, issueAction: Route.levyIssue.path(), today: today.description,
            notice: notice, problem: problem)
        return pages.render("levy", title: pages.text("levy.title", context, ["year": String(year)]), content: content, request: request, context: context,
                            status: status)
    }
}
