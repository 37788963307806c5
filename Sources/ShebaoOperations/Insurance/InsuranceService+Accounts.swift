public import ShebaoCore
public import ShebaoStore
import Foundation
import SQLKit

/// A person's rights record (个人权益记录): months paid per scheme, declared bases, the pension
/// account by year with its interest and its balance today, and months billed but not paid.
public struct ContributionRecord: Sendable, Codable {
    public struct Base: Sendable, Codable {
        public var year: Int
        public var declared: Money
    }
    public struct Unpaid: Sendable, Codable {
        public var scheme: Scheme
        public var period: Period
        public var amount: Money
    }

    public var months: [PaidMonths]
    public var bases: [Base]
    public var years: [AccountYear]
    /// The individual's own part of the pension account (inheritable) and the unit's transfer
    /// part (before 2006): the last closing plus credits since.
    public var balanceOwn: Money
    public var balanceTransfer: Money
    public var medicalAccount: Money
    public var unpaid: [Unpaid]

    public var balance: Money { Money(fen: balanceOwn.fen + balanceTransfer.fen) }
}

/// What a printed statement says, kept as printed so the public page can show it again.
public struct StatementContent: Sendable, Codable {
    public var name: String
    public var residentID: String
    public var issuedOn: LocalDate
    public var record: ContributionRecord
}

extension InsuranceService {
    /// The record of `personID`: the citizen's own, or any in scope for staff (an audited read).
    public func contributionRecord(of personID: Int64, by principal: Principal) async throws(ServiceError) -> (person: Person, record: ContributionRecord) {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try RegistryService.requireRead(person, principal)
        let record = try await context.read { db in try await Self.record(of: personID, on: db) }
        if principal.role.isStaff {
            try await context.record(AuditEvent(actor: AuditActor(principal), action: .read, entity: "contribution_record", entityID: String(personID),
                                                region: person.region))
        }
        return (person, record)
    }

    static func record(of personID: Int64, on db: any SQLDatabase) async throws -> ContributionRecord {
        let accounts = IndividualAccountStore()
        let years = try await accounts.years(of: personID, on: db)
        let months = try await accounts.paidMonths(of: personID, closedThrough: years.last?.year, on: db)
        let pension = months.first { $0.scheme == .pension }
        let sincePension = pension.map { ($0.creditedSinceInterest.fen - $0.transferSinceInterest.fen, $0.transferSinceInterest.fen) } ?? (0, 0)
        return ContributionRecord(
            months: months,
            bases: try await InsuranceStore().bases(of: personID, on: db).map { .init(year: $0.year, declared: $0.declared) },
            years: years,
            balanceOwn: Money(fen: (years.last?.closingOwn.fen ?? 0) + sincePension.0),
            balanceTransfer: Money(fen: (years.last?.closingTransfer.fen ?? 0) + sincePension.1),
            medicalAccount: months.first { $0.scheme == .medical }?.accountCredit ?? .zero,
            unpaid: try await accounts.unpaidMonths(of: personID, on: db).map { .init(scheme: $0.scheme, period: $0.period, amount: $0.amount) })
    }

    /// Prints a statement of the record: kept under a new code (16 characters, 80 bits, so codes
    /// cannot be guessed), with the resident ID masked, for the public check.
    public func issueStatement(of personID: Int64, by principal: Principal) async throws(ServiceError) -> (code: String, content: StatementContent) {
        let (person, record) = try await contributionRecord(of: personID, by: principal)
        let content = StatementContent(name: person.name, residentID: person.residentID.masked, issuedOn: context.today, record: record)
        let text: String
        do {
            text = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        } catch {
            throw .failure(error)
        }
        let code = Self.statementCode()
        let actor = AuditActor(principal)
        let now = context.now
        try await context.write { db in
            try await IndividualAccountStore().saveStatement(code: code, person: personID, content: text, by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "statement", entityID: code, region: person.region), on: db, at: now)
        }
        return (code, content)
    }

    /// A printed statement by its code, for anyone holding the paper (no login).
    public func verifyStatement(code text: String) async throws(ServiceError) -> (content: StatementContent, issuedAt: String) {
        let code = Self.normalisedCode(text)
        guard code.count == 19 else { throw .notFound }
        guard let found = try await context.read({ db in try await IndividualAccountStore().statement(code: code, on: db) }) else { throw .notFound }
        do {
            return (try JSONDecoder().decode(StatementContent.self, from: Data(found.content.utf8)), found.issuedAt)
        } catch {
            throw .failure(error)
        }
    }

    /// Letters and digits that cannot be read as one another (no 0/O, 1/I/L).
    static let codeAlphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    static func statementCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<16).map { _ in codeAlphabet[Int(generator.next(upperBound: UInt64(codeAlphabet.count)))] }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// What someone typed, as a code: upper case, groups of four.
    static func normalisedCode(_ text: String) -> String {
        let characters = text.uppercased().filter { codeAlphabet.contains($0) }
        guard characters.count == 16 else { return "" }
        let array = Array(characters)
        return stride(from: 0, to: 16, by: 4).map { String(array[$0..<$0 + 4]) }.joined(separator: "-")
    }
}
