/// 0029: a payment to someone other than the person it is for — a retiree's funeral grant,
/// survivors' lump sum and inheritable balance go to the next of kin (RULES.md §1.7). The payee is
/// a registered person; the bank files name them and their ID instead of the deceased's.
public struct PayeeOfAPayment: Migration {
    public init() {}
    public let version = 29
    public let name = "payee of a payment"

    public func statements(for dialect: Dialect) -> [String] {
        [
            "ALTER TABLE benefit_payables ADD COLUMN payee_person_id BIGINT REFERENCES persons (id)",
            "ALTER TABLE pension_payments ADD COLUMN payee_person_id BIGINT REFERENCES persons (id)",
        ]
    }
}
