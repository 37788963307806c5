import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Collection for staff and units: the month's collection rate by scheme, township and unit with
/// the headcount check; the bills of a month and of one unit (also the unit's own on the portal);
/// open bills with their surcharges; persons dropping out beside net new enrolment.
struct InsurancePages {
    let services: ShebaoServices

    /// The month asked for (`?period=`), else the latest billed, else last month.
    private func period(_ request: Request, _ principal: Principal) async throws -> Period {
        if let text = request.query("period"), !text.isEmpty {
            guard let period = Period(text), period.year >= 1990, period.firstDay <= services.today else { throw Problem.badRequest("period.invalid") }
            return period
        }
        return try await services.insurance.latestBilledPeriod(by: principal) ?? Period(year: services.today.year, month: services.today.month)!.previous
    }

    // MARK: Overview

    struct RateRow {
        var name: String
        var href: String?
        var assessed: String
        var collected: String
        var rate: String
    }

    struct OverviewPage {
        struct Difference {
            var unit: String
            var href: String
            var scheme: String
            var tax: Int64
            var enrolled: Int64
        }
        var period: String
        var bills: String
        var arrears: String
        var dropOuts: String
        var collections: String?
        var schemes: [RateRow]
        var townships: [RateRow]
        var units: [RateRow]
        var differences: [Difference]
    }

    @Sendable func overview(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        let pages = services.pages
        let period = try await period(request, principal)
        let query = "period=\(period)"
        func row(_ rate: CollectionRate, name: String, href: String? = nil) -> RateRow {
            RateRow(name: name, href: href, assessed: rate.assessed.formatted, collected: rate.collected.formatted,
                    rate: rate.perMille.map { pages.text("insurance.per_cent", context, ["value": Self.percent($0)]) } ?? "—")
        }
        var townships: [RateRow] = []
        for rate in try await services.insurance.rates(period: period, by: .township, by: principal) {
            let code = try? RegionCode(rate.key)
            townships.append(row(rate, name: code == nil ? rate.key : try await services.regions.label(code!)))
        }
        let content = OverviewPage(
            period: period.description,
            bills: Route.insuranceBills.path(query: query), arrears: Route.insuranceArrears.path(), dropOuts: Route.insuranceDropOuts.path(query: query),
            collections: AccessPolicy.allows(principal.role, .collectionImport) ? Route.insuranceCollections.path() : nil,
            schemes: try await services.insurance.rates(period: period, by: .scheme, by: principal)
                .sorted { (Scheme(rawValue: $0.key).flatMap(Scheme.allCases.firstIndex) ?? 9) < (Scheme(rawValue: $1.key).flatMap(Scheme.allCases.firstIndex) ?? 9) }
                .map { row($0, name: Scheme(rawValue: $0.key).map { pages.label($0, context) } ?? $0.key) },
            townships: townships,
            units: try await services.insurance.rates(period: period, by: .unit, by: principal).prefix(20).map {
                row($0, name: $0.name, href: Int64($0.key).map { Route.insuranceBill.path($0, query: query) })
            },
            differences: try await services.insurance.headcountDifferences(period: period, by: principal).map {
                .init(unit: $0.employerName, href: Route.insuranceBill.path($0.employerID, query: query), scheme: pages.label($0.scheme, context),
                      tax: $0.taxHeadcount, enrolled: $0.enrolled)
            })
        return pages.render("insurance", title: pages.text("insurance.collection_title", context, ["period": period.description]), content: content,
                            request: request, context: context)
    }

    /// 987 → "98.7".
    static func percent(_ perMille: Int64) -> String { "\(perMille / 10).\(perMille % 10)" }

    // MARK: Bills

    struct BillsPage {
        struct Row {
            var unit: String
            var href: String
            var scheme: String
            var headcount: Int64
            var assessed: String
            var collected: String
            var state: String
            var stateKey: String
        }
        var period: String
        var previous: String
        var next: String?
        var unpaidOnly: Bool
        var all: String
        var unpaid: String
        var rows: [Row]
        var assessed: String
        var collected: String
        var pager: Pager
        /// Nothing at all to list (a page past the end lists nothing without saying so).
        var none: Bool
    }

    @Sendable func bills(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let period = try await period(request, principal)
        let unpaidOnly = request.query("unpaid") == "1"
        let list = try await services.insurance.bills(period: period, employer: nil, unpaidOnly: unpaidOnly, paging: request.paging(), by: principal)
        let query = "period=\(period)"
        let content = BillsPage(
            period: period.description, previous: Route.insuranceBills.path(query: "period=\(period.previous)"),
            next: period.next.firstDay <= services.today ? Route.insuranceBills.path(query: "period=\(period.next)") : nil,
            unpaidOnly: unpaidOnly, all: Route.insuranceBills.path(query: query), unpaid: Route.insuranceBills.path(query: query + "&unpaid=1"),
            rows: list.page.items.map {
                .init(unit: $0.employerName, href: Route.insuranceBill.path($0.employerID, query: query), scheme: pages.label($0.scheme, context),
                      headcount: $0.headcount, assessed: $0.assessed.formatted, collected: $0.collected.formatted, state: pages.label($0.state, context),
                      stateKey: $0.state.rawValue)
            },
            assessed: list.summary.assessed.formatted, collected: list.summary.collected.formatted,
            pager: Pager(list.page, route: .insuranceBills, query: query + (unpaidOnly ? "&unpaid=1" : ""), pages: pages, context: context),
            none: list.page.total == 0)
        return pages.render("bills", title: pages.text("insurance.bills_title", context, ["period": period.description]), content: content,
                            request: request, context: context)
    }

    struct BillPage {
        struct Scheme {
            var scheme: String
            var headcount: Int64
            var base: String
            var individual: String
            var employer: String
            var assessed: String
            var collected: String
            var outstanding: String
            var surcharge: String
            var state: String
            var stateKey: String
        }
        struct Line {
            var name: String
            var href: String?
            var scheme: String
            var base: String
            var individual: String
            var employer: String
        }
        struct Payment {
            var voucher: String
            var scheme: String
            var amount: String
            var paidOn: String
            var surcharge: String
            var state: String
        }
        var unit: String
        var creditCode: String
        var unitHref: String?
        var period: String
        var dueDate: String
        var previous: String
        var next: String?
        var schemes: [Scheme]
        var total: String
        var lines: [Line]
        var payments: [Payment]
    }

    @Sendable func bill(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let employer = try context.id()
        let period = try await period(request, principal)
        let (bills, lines, payments) = try await services.insurance.bill(employer: employer, period: period, by: principal)
        let first = bills[0]
        let staff = principal.role.isStaff
        let content = BillPage(
            unit: first.employerName, creditCode: first.creditCode, unitHref: staff ? Route.employer.path(employer) : Route.portal.path(),
            period: period.description, dueDate: period.lastDay.description,
            previous: Route.insuranceBill.path(employer, query: "period=\(period.previous)"),
            next: period.next.firstDay <= services.today ? Route.insuranceBill.path(employer, query: "period=\(period.next)") : nil,
            schemes: bills.map {
                .init(scheme: pages.label($0.scheme, context), headcount: $0.headcount, base: $0.base.formatted, individual: $0.individual.formatted,
                      employer: $0.employer.formatted, assessed: $0.assessed.formatted, collected: $0.collected.formatted,
                      outstanding: $0.outstanding.formatted, surcharge: $0.surcharge.formatted, state: pages.label($0.state, context), stateKey: $0.state.rawValue)
            },
            total: Money(fen: bills.reduce(0) { $0 + $1.assessed.fen }).formatted,
            lines: lines.map {
                .init(name: $0.name, href: staff ? Route.person.path($0.personID) : nil, scheme: pages.label($0.scheme, context),
                      base: Money(fen: $0.line.base).formatted, individual: Money(fen: $0.line.individual).formatted, employer: Money(fen: $0.line.employer).formatted)
            },
            payments: payments.map {
                .init(voucher: $0.voucher, scheme: pages.label($0.scheme, context), amount: $0.amount.formatted, paidOn: $0.paidOn.description,
                      surcharge: $0.surcharge.formatted, state: pages.label($0.state, context))
            })
        return pages.render("bill", title: pages.text("insurance.bill_title", context, ["unit": first.employerName, "period": period.description]),
                            content: content, request: request, context: context)
    }

    // MARK: Arrears

    struct ArrearsPage {
        struct Row {
            var unit: String
            var href: String
            var period: String
            var scheme: String
            var outstanding: String
            var days: String
            var surcharge: String
            var explain: String?
        }
        var asOf: String
        var rows: [Row]
        var outstanding: String
        var surcharge: String
        var pager: Pager
        var none: Bool
    }

    @Sendable func arrears(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let arrears = try await services.insurance.arrears(paging: request.paging(), by: principal)
        let content = ArrearsPage(
            asOf: services.today.description,
            rows: arrears.page.items.map { item in
                ArrearsPage.Row(
                    unit: item.bill.employerName, href: Route.insuranceBill.path(item.bill.employerID, query: "period=\(item.bill.period)"),
                    period: item.bill.period.description, scheme: pages.label(item.bill.scheme, context), outstanding: item.bill.outstanding.formatted,
                    days: item.surcharge.map { String($0.output.days) } ?? "0", surcharge: (item.surcharge?.output.surcharge ?? .zero).formatted,
                    explain: item.surcharge == nil ? nil : Route.calculateRule.path(
                        LateSurchargeRule.id,
                        query: "amount=\(item.bill.outstanding.yuanText)&from=\(InsuranceService.firstDayLate(item.bill.period))&paidOn=\(item.asOf)"))
            },
            outstanding: arrears.outstanding.formatted, surcharge: arrears.surcharge.formatted,
            pager: Pager(arrears.page, route: .insuranceArrears, query: "", pages: pages, context: context), none: arrears.page.total == 0)
        return pages.render("arrears", title: pages.text("insurance.arrears_title", context), content: content, request: request, context: context)
    }

    // MARK: Drop-outs

    struct DropOutsPage {
        struct Row {
            var name: String
            var href: String
            var unit: String?
            var unitHref: String?
            var lastPaid: String
        }
        var period: String
        var started: Int
        var stopped: Int
        var netNew: Int
        var count: Int
        var rows: [Row]
        var pager: Pager
        var none: Bool
    }

    @Sendable func dropOuts(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        let pages = services.pages
        let period = try await period(request, principal)
        let report = try await services.insurance.dropOuts(period: period, paging: request.paging(), by: principal)
        let content = DropOutsPage(
            period: period.description, started: report.started, stopped: report.stopped, netNew: report.netNew, count: report.persons.total,
            rows: report.persons.items.map {
                .init(name: $0.name, href: Route.person.path($0.personID), unit: $0.employerName, unitHref: $0.employerID.map { Route.employer.path($0) },
                      lastPaid: $0.lastPaid?.description ?? pages.text("insurance.never_paid", context))
            },
            pager: Pager(report.persons, route: .insuranceDropOuts, query: "period=\(period)", pages: pages, context: context),
            none: report.persons.total == 0)
        return pages.render("dropouts", title: pages.text("insurance.dropouts_title", context, ["period": period.description]), content: content,
                            request: request, context: context)
    }
}
