import SQLKit
import ShebaoCore

/// The demo district's banks and payment points (PROGRAMS.md §2.7: pensions 100% socialised
/// through banks and the post office, 100+ payment points): four banks and the postal savings
/// bank, each with branches in every township — two each at full size, one in a small demo.
/// The rural commercial bank takes its text files in GBK, as small local banks' systems do.
enum DemoPaymentPoints {
    static let banks = [
        Bank(code: "ICBC", name: "中国工商银行台州路桥支行", bic: "ICBKCNBJZJP", fundAccount: "1207011129200088888", textEncoding: .utf8),
        Bank(code: "ABC", name: "中国农业银行台州路桥支行", bic: "ABOCCNBJ110", fundAccount: "19935101040008888", textEncoding: .utf8),
        Bank(code: "CCB", name: "中国建设银行台州路桥支行", bic: "PCBCCNBJZJX", fundAccount: "33001666735050508888", textEncoding: .utf8),
        Bank(code: "TZRCB", name: "浙江路桥农村商业银行", bic: "ZJLQCNB1XXX", fundAccount: "201000088888888", textEncoding: .gbk),
        Bank(code: "PSBC", name: "中国邮政储蓄银行台州市路桥区支行", bic: "PSBCCNBJ331", fundAccount: "933005010008888888", textEncoding: .utf8),
    ]

    static func write(scale: Double, on db: any SQLDatabase) async throws {
        let store = PayrollStore()
        for bank in banks { try await store.addBank(bank, on: db) }
        let townships = try await db.raw(
            "SELECT code, name FROM regions WHERE level = 'township' AND \(SQLPieces.scope(DemoDistrict.district, column: "code")) ORDER BY code"
        ).all().map { (try RegionCode($0.decode(column: "code", as: String.self)), try $0.decode(column: "name", as: String.self)) }
        let branches = scale >= 0.5 ? 2 : 1
        for (code, name) in townships {
            for bank in banks {
                for branch in 1...branches {
                    let kind: PaymentPoint.Kind = bank.code == "PSBC" ? .postOffice : .bankBranch
                    let suffix = kind == .postOffice ? "邮政网点" : "营业网点"
                    _ = try await store.addPaymentPoint(bank: bank.code, name: "\(bank.name.prefix(6))\(name)\(branch == 1 ? "" : "第二")\(suffix)",
                                                        kind: kind, region: code, address: "\(name)\(branch == 1 ? "中心街" : "工业路")\(branch * 18 + bank.code.count)号",
                                                        on: db)
                }
            }
        }
    }
}
