/// ``DibaoBenefitRule`` over columns: one row per household, for the monthly dibao payroll.
///
/// The standards of the three area types, the add-on shares and the marginal band are resolved
/// once for the month and region (kept in ``explanation``); each household is then a handful of
/// integer operations. Exact to the fen against the scalar rule (property-tested).
public struct DibaoColumns: Sendable {
    public let period: Period
    public let explanation: Explanation

    /// The monthly standard per person by area type, in fen (index: ``areaIndex(_:)``).
    let standard: [Int64]
    /// The add-on per qualifying member by area type and kind (elderly, severely disabled,
    /// seriously ill, minors), each `standard × share` rounded once.
    let addOn: [[Int64]]
    /// The marginal band (RULES.md §8): `min(line × multiplier, minimum wage × size)`; nil when a
    /// parameter is not in force, which fails only a batch that has an ineligible household.
    let marginalMultiplierNanos: Int64?
    let minimumWage: Int64?
    /// Kept to name a missing parameter exactly as the scalar rule would.
    let book: ParameterBook
    let region: RegionCode

    public static let areaTypes: [AreaType] = AreaType.allCases
    static let addOnKinds = ["elderly", "severely_disabled", "seriously_ill", "minors"]

    @inline(__always)
    public static func areaIndex(_ area: AreaType) -> UInt8 { UInt8(areaTypes.firstIndex(of: area)!) }

    /// The households, one element per row. Add-on counts may be left empty (no add-ons).
    public struct Input: Sendable {
        public var area: [UInt8] = []
        public var size: [Int32] = []
        public var monthlyIncome: [Int64] = []
        public var threeWithouts: [Bool] = []
        public var elderly: [UInt8] = []
        public var severelyDisabled: [UInt8] = []
        public var seriouslyIll: [UInt8] = []
        public var minors: [UInt8] = []
        public init() {}

        public var count: Int { size.count }

        public mutating func append(_ input: DibaoBenefitRule.Input) {
            area.append(DibaoColumns.areaIndex(input.areaType))
            size.append(Int32(input.householdSize))
            monthlyIncome.append(input.monthlyIncome.fen)
            threeWithouts.append(input.threeWithouts ?? false)
            elderly.append(UInt8(input.elderly ?? 0))
            severelyDisabled.append(UInt8(input.severelyDisabled ?? 0))
            seriouslyIll.append(UInt8(input.seriouslyIll ?? 0))
            minors.append(UInt8(input.minors ?? 0))
        }
    }

    public struct Output: Sendable {
        public var standard: [Int64] = []
        public var eligible: [Bool] = []
        public var marginal: [Bool] = []
        public var benefit: [Int64] = []
        public var addOns: [Int64] = []
        public var total: [Int64] = []
        public init() {}

        public subscript(i: Int) -> DibaoBenefitRule.Output {
            DibaoBenefitRule.Output(standard: Money(fen: standard[i]), eligible: eligible[i], marginal: marginal[i], benefit: Money(fen: benefit[i]),
                                    addOns: Money(fen: addOns[i]), total: Money(fen: total[i]))
        }
    }

    public init(period: Period, book: ParameterBook, region: RegionCode) throws(RuleError) {
        var c = Calculation(rule: DibaoBenefitRule.id, book: book, region: region, date: period.firstDay)
        var standard: [Int64] = []
        var addOn: [[Int64]] = []
        for area in Self.areaTypes {
            let value = try c.money("dibao.standard.\(area.rawValue)")
            standard.append(value.fen)
            var amounts: [Int64] = []
            for kind in Self.addOnKinds {
                // A share not in force is an error only for a household that claims the add-on.
                let share = try? c.rate("dibao.addon.\(kind)")
                amounts.append(share.map { value.multiplied(by: $0).fen } ?? -1)
            }
            addOn.append(amounts)
        }
        self.period = period
        self.book = book
        self.region = region
        self.standard = standard
        self.addOn = addOn
        self.marginalMultiplierNanos = (try? c.rate("dibao.marginal_multiplier"))?.nanos
        self.minimumWage = (try? c.money("wage.minimum.monthly"))?.fen
        self.explanation = c.explanation
    }

    /// Every household's benefit. Bad rows (size below 1, negative income, an unknown area, an
    /// add-on without its parameter) are refused with their row before anything is written.
    public func evaluate(_ input: Input, into output: inout Output) throws(RuleError) {
        let count = input.count
        guard input.area.count == count, input.monthlyIncome.count == count, input.threeWithouts.count == count else {
            throw .invalidInput(field: "columns", code: "rule.out_of_range")
        }
        let counts = [input.elderly, input.severelyDisabled, input.seriouslyIll, input.minors]
        if let kind = counts.firstIndex(where: { !$0.isEmpty && $0.count != count }) { throw .invalidInput(field: Self.addOnKinds[kind], code: "rule.out_of_range") }
        if let row = input.size.firstIndex(where: { $0 < 1 }) { throw .invalidInput(field: "householdSize[\(row)]", code: "rule.out_of_range") }
        if let row = input.monthlyIncome.firstIndex(where: { $0 < 0 }) { throw .invalidInput(field: "monthlyIncome[\(row)]", code: "rule.negative") }
        if let row = input.area.firstIndex(where: { Int($0) >= standard.count }) { throw .invalidInput(field: "areaType[\(row)]", code: "rule.out_of_range") }
        for (kind, column) in counts.enumerated() where !column.isEmpty {
            if let row = (0..<count).first(where: { Int32(column[$0]) > input.size[$0] }) {
                throw .invalidInput(field: "\(Self.addOnKinds[kind])[\(row)]", code: "rule.more_than_household")
            }
        }
        // A parameter not in force fails the batch only where the scalar rule would need it, and
        // with the scalar rule's own error (re-resolved to name the key and date).
        func eligibleRow(_ i: Int) -> Bool { input.threeWithouts[i] || input.monthlyIncome[i] < standard[Int(input.area[i])] * Int64(input.size[i]) }
        var c = Calculation(rule: DibaoBenefitRule.id, book: book, region: region, date: period.firstDay)
        for (kind, column) in counts.enumerated() where !column.isEmpty && addOn.contains(where: { $0[kind] < 0 }) {
            if (0..<count).contains(where: { column[$0] > 0 && addOn[Int(input.area[$0])][kind] < 0 && eligibleRow($0) }) {
                _ = try c.rate("dibao.addon.\(Self.addOnKinds[kind])")
            }
        }
        if marginalMultiplierNanos == nil || minimumWage == nil, (0..<count).contains(where: { !eligibleRow($0) }) {
            _ = try c.rate("dibao.marginal_multiplier")
            _ = try c.money("wage.minimum.monthly")
        }

        var standardOut = [Int64](repeating: 0, count: count)
        var eligible = [Bool](repeating: false, count: count)
        var marginal = [Bool](repeating: false, count: count)
        var benefit = [Int64](repeating: 0, count: count)
        var addOns = [Int64](repeating: 0, count: count)
        let multiplier = Int128(marginalMultiplierNanos ?? 0)
        let minimumWage = self.minimumWage ?? 0
        let nanos = Int128(Rate.nanosPerUnit)
        standard.withUnsafeBufferPointer { standards in
            input.area.withUnsafeBufferPointer { area in
                input.size.withUnsafeBufferPointer { size in
                    input.monthlyIncome.withUnsafeBufferPointer { income in
                        input.threeWithouts.withUnsafeBufferPointer { threeWithouts in
                            for i in 0..<count {
                                let perPerson = standards[Int(area[i])]
                                let members = Int64(size[i])
                                let line = perPerson &* members
                                let own = income[i]
                                standardOut[i] = perPerson
                                if threeWithouts[i] {
                                    eligible[i] = true
                                    benefit[i] = line
                                } else if own < line {
                                    // Strictly below the line (1999 Regulations Art. 2).
                                    eligible[i] = true
                                    benefit[i] = line &- own
                                } else {
                                    // The marginal band (RULES.md §8), compared exactly.
                                    marginal[i] = Int128(own) * nanos <= Int128(line) * multiplier && own <= minimumWage &* members
                                }
                            }
                        }
                    }
                }
            }
        }
        // Classified add-ons, one pass per kind, for eligible households only.
        for (kind, column) in counts.enumerated() where !column.isEmpty && column.contains(where: { $0 > 0 }) {
            let amounts = addOn.map { $0[kind] }
            for i in 0..<count where column[i] > 0 && eligible[i] {
                addOns[i] += amounts[Int(input.area[i])] * Int64(column[i])
            }
        }
        var total = benefit
        for i in 0..<count { total[i] &+= addOns[i] }
        output.standard = standardOut
        output.eligible = eligible
        output.marginal = marginal
        output.benefit = benefit
        output.addOns = addOns
        output.total = total
    }
}
