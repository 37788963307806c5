import Hummingbird
import ShebaoCore
import ShebaoStore

extension Route {
    static let ledger = Route("/ledger")
    static let ledgerVerify = Route("/ledger/verify")
    static let ledgerFund = Route("/ledger/funds/{fund}")
    static let ledgerNew = Route("/ledger/new")
    static let ledgerEntries = Route("/ledger/entries")
    static let ledgerEntry = Route("/ledger/entries/{id}")
    static let ledgerReversal = Route("/ledger/entries/{id}/reversal")
}

extension Route.API {
    static let ledgerFunds = Route.api("/ledger/funds")
    static let ledgerFundEntries = Route.api("/ledger/funds/{fund}/entries")
    static let ledgerEntries = Route.api("/ledger/entries")
    static let ledgerEntry = Route.api("/ledger/entries/{id}")
    static let ledgerReversal = Route.api("/ledger/entries/{id}/reversal")
    static let ledgerVerify = Route.api("/ledger/verify")
}

extension Program {
    /// The fund ledger (DESIGN.md §6): funds with their balances and payment capacity, the
    /// accounts and entries of each, entries posted and reversed by a fund accountant, and the
    /// check that recomputes every balance.
    static let ledger = Program(
        id: "ledger",
        migrations: [CreateLedger()],
        templates: ["ledger", "ledger-fund", "ledger-entry", "ledger-new"],
        navigation: [
            NavigationItem(.ledger, label: "nav.ledger", hint: "home.hint.ledger", order: 500, visible: NavigationItem.allowed(.ledgerRead)),
        ],
        api: { group, services in
            let ledgerAPI = LedgerAPI(services: services)
            group.get(.API.ledgerFunds, use: ledgerAPI.funds)
            group.get(.API.ledgerFundEntries, use: ledgerAPI.entries)
            group.post(.API.ledgerEntries, use: ledgerAPI.post)
            group.get(.API.ledgerEntry, use: ledgerAPI.entry)
            group.post(.API.ledgerReversal, use: ledgerAPI.reverse)
            group.get(.API.ledgerVerify, use: ledgerAPI.verify)
        },
        pages: { group, services in
            let ledgerPages = LedgerPages(services: services)
            group.get(.ledger, use: ledgerPages.index)
            group.post(.ledgerVerify, use: ledgerPages.verify)
            group.get(.ledgerFund, use: ledgerPages.fund)
            group.get(.ledgerNew, use: ledgerPages.new)
            group.post(.ledgerEntries, use: ledgerPages.post)
            group.get(.ledgerEntry, use: ledgerPages.entry)
            group.post(.ledgerReversal, use: ledgerPages.reverse)
        })
}
