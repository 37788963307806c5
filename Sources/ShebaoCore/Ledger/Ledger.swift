/// The funds the district keeps, each a separate set of books (DESIGN.md §6; PROGRAMS.md §3: 收支两条线).
public enum Fund: String, Sendable, Codable, CaseIterable {
    case enterprisePension = "enterprise_pension"
    case institutionPension = "institution_pension"
    case medicalPooled = "medical_pooled"
    case medicalAccounts = "medical_accounts"
    case unemployment
    case workInjury = "work_injury"
    case maternity
    case ruralMedical = "rural_medical"
    /// 医疗救助资金: medical assistance after insurance for dibao and five-guarantees persons.
    case medicalAssistance = "medical_assistance"
    case dibao
    case fiveGuarantees = "five_guarantees"
    case educationAid = "education_aid"
    case disabledEmployment = "disabled_employment"
    case landRequisition = "land_requisition"
    case charity
}

extension Fund: Labelled { public static let labelPrefix = "fund" }

/// The accounts of every fund. Assets and expenses are debit-normal; liabilities, income and the
/// fund balance credit-normal. Income is collected into the income account, swept to the fiscal
/// special account (财政专户), and paid out from the expenditure account.
public enum LedgerAccountKind: String, Sendable, Codable, CaseIterable {
    /// 收入户存款
    case incomeDeposit = "income_deposit"
    /// 财政专户存款
    case specialDeposit = "special_deposit"
    /// 支出户存款
    case expenditureDeposit = "expenditure_deposit"
    /// 暂付款: receivables.
    case receivable
    /// 暂收款: payables.
    case payable
    /// 保险费（资金）收入
    case contributionIncome = "contribution_income"
    /// 利息收入
    case interestIncome = "interest_income"
    /// 财政补贴收入
    case subsidyIncome = "subsidy_income"
    /// 其他收入: late-payment surcharges, transfers in.
    case otherIncome = "other_income"
    /// 待遇支出
    case benefitExpense = "benefit_expense"
    /// 其他支出
    case otherExpense = "other_expense"
    /// 基金结余: opening balances.
    case fundBalance = "fund_balance"

    /// Whether a debit raises the account's balance.
    public var isDebitNormal: Bool {
        switch self {
        case .incomeDeposit, .specialDeposit, .expenditureDeposit, .receivable, .benefitExpense, .otherExpense: true
        case .payable, .contributionIncome, .interestIncome, .subsidyIncome, .otherIncome, .fundBalance: false
        }
    }

    /// Money the fund holds: the deposits and receivables less the payables make the fund's balance.
    public var isAsset: Bool { [.incomeDeposit, .specialDeposit, .expenditureDeposit, .receivable].contains(self) }

    public var isExpense: Bool { [.benefitExpense, .otherExpense].contains(self) }
    public var isIncome: Bool { [.contributionIncome, .interestIncome, .subsidyIncome, .otherIncome].contains(self) }
}

extension LedgerAccountKind: Labelled { public static let labelPrefix = "ledger_account" }

/// One line of an entry: an account of the entry's fund, debited or credited.
public struct LedgerLine: Sendable, Hashable, Codable {
    public var account: LedgerAccountKind
    public var debit: Money
    public var credit: Money

    public init(_ account: LedgerAccountKind, debit: Money = .zero, credit: Money = .zero) {
        self.account = account
        self.debit = debit
        self.credit = credit
    }
}

/// A journal entry before it is posted: checked here, in one place, whoever posts it.
public struct LedgerEntryDraft: Sendable, Hashable {
    public var fund: Fund
    public var occurredOn: LocalDate
    public var memo: String
    /// What caused it: `opening`, `manual`, `collection:…`, `sweep:…`.
    public var source: String
    public var lines: [LedgerLine]

    public init(fund: Fund, occurredOn: LocalDate, memo: String, source: String, lines: [LedgerLine]) {
        self.fund = fund
        self.occurredOn = occurredOn
        self.memo = memo
        self.source = source
        self.lines = lines
    }

    /// A fund's opening balance: held in the fiscal special account against the fund balance.
    public static func opening(_ fund: Fund, amount: Money, on date: LocalDate, memo: String) -> LedgerEntryDraft {
        LedgerEntryDraft(fund: fund, occurredOn: date, memo: memo, source: "opening",
                         lines: [LedgerLine(.specialDeposit, debit: amount), LedgerLine(.fundBalance, credit: amount)])
    }

    /// The largest line (10 trillion yuan): a province's month of pension contributions is some
    /// tens of billions (10,000,000 insured × 24% of about 9,000 yuan), its funds' years below a
    /// trillion; a hundred such lines stay far below the overflow of an Int64 sum.
    public static let lineLimit = Money(fen: 1_000_000_000_000_000)
    public static let maximumLines = 100

    /// Why the draft cannot be posted, or nil: two lines at least, each a positive debit or a
    /// positive credit (not both), within the limit, and debits equal to credits.
    public func refusal() -> LedgerRefusal? {
        guard lines.count >= 2, lines.count <= Self.maximumLines else { return .lineCount(lines.count) }
        guard !memo.trimmingUnicodeWhitespace().isEmpty else { return .memoRequired }
        var debits: Int64 = 0
        var credits: Int64 = 0
        for (index, line) in lines.enumerated() {
            let (debit, credit) = (line.debit.fen, line.credit.fen)
            guard debit >= 0, credit >= 0, (debit == 0) != (credit == 0) else { return .oneSidePerLine(line: index + 1) }
            guard debit <= Self.lineLimit.fen, credit <= Self.lineLimit.fen else { return .lineTooLarge(line: index + 1) }
            debits += debit
            credits += credit
        }
        guard debits == credits else { return .unbalanced(debits: Money(fen: debits), credits: Money(fen: credits)) }
        return nil
    }

    /// The lines as one canonical text: part of what an idempotency key promises.
    public var canonicalLines: String {
        lines.map { "\($0.account.rawValue):\($0.debit.fen):\($0.credit.fen)" }.joined(separator: ";")
    }
}

/// Why an entry was refused.
public enum LedgerRefusal: Error, Sendable, Equatable, CodedError {
    case lineCount(Int)
    case memoRequired
    case oneSidePerLine(line: Int)
    case lineTooLarge(line: Int)
    case unbalanced(debits: Money, credits: Money)

    public var code: String {
        switch self {
        case .lineCount: "ledger.line_count"
        case .memoRequired: "ledger.memo_required"
        case .oneSidePerLine: "ledger.one_side_per_line"
        case .lineTooLarge: "ledger.line_too_large"
        case .unbalanced: "ledger.unbalanced"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .lineCount(let count): ["count": String(count), "max": String(LedgerEntryDraft.maximumLines)]
        case .memoRequired: [:]
        case .oneSidePerLine(let line), .lineTooLarge(let line): ["line": String(line)]
        case .unbalanced(let debits, let credits): ["debits": debits.yuanText, "credits": credits.yuanText]
        }
    }
}

/// What a fund holds and how long it lasts.
public struct FundPosition: Sendable, Hashable {
    public var fund: Fund
    /// Deposits and receivables less payables.
    public var balance: Money
    /// Average monthly expenditure over the trailing twelve months.
    public var averageMonthlyExpenditure: Money
    /// Months the balance pays at that rate, in tenths; nil when nothing was spent (it lasts).
    public var paymentCapacityTenths: Int64?

    public init(fund: Fund, balance: Money, averageMonthlyExpenditure: Money, paymentCapacityTenths: Int64?) {
        self.fund = fund
        self.balance = balance
        self.averageMonthlyExpenditure = averageMonthlyExpenditure
        self.paymentCapacityTenths = paymentCapacityTenths
    }

    /// The payment capacity in months as text, `34.7`; nil when nothing was spent.
    public var paymentCapacityMonths: String? {
        paymentCapacityTenths.map { "\($0 / 10).\(($0 % 10).magnitude)" }
    }

    /// Payment capacity (支付能力) = balance ÷ average monthly expenditure (PROGRAMS.md §3), to a tenth
    /// of a month, rounded half-up.
    public static func capacityTenths(balance: Money, averageMonthlyExpenditure: Money) -> Int64? {
        guard averageMonthlyExpenditure.fen > 0 else { return nil }
        let tenths = (Int128(balance.fen) * 20 + Int128(averageMonthlyExpenditure.fen)) / (Int128(averageMonthlyExpenditure.fen) * 2)
        return Int64(clamping: tenths)
    }
}
