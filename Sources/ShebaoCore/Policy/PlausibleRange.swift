/// The values a parameter can plausibly take, declared by its unit: every key has a unit, and keys
/// of one unit share a sense of scale (a monthly standard per person, a share of a base, a number
/// of months). A proposal outside its range is refused as a typing error or an abuse — a street
/// dibao standard of 999,999.00 yuan a month is neither policy nor a calculation anyone should see
/// (issue 9). Within it, a change beyond a factor of three still needs a second reviewer.
public struct PlausibleRange: Sendable, Equatable {
    public let low: ParameterValue
    public let high: ParameterValue

    /// The range of a value of `kind` in `unit`; nil for choices and tables (their entries are
    /// checked by the rules' input bounds) and for a unit not declared here.
    public static func of(unit: String, kind: String) -> PlausibleRange? {
        guard let (low, high) = table[kind]?[unit], let l = ParameterValue.parse(low, kind: kind), let h = ParameterValue.parse(high, kind: kind)
        else { return nil }
        return PlausibleRange(low: l, high: h)
    }

    public func contains(_ value: ParameterValue) -> Bool {
        switch (low, value, high) {
        case (.money(let l), .money(let v), .money(let h)): l.fen <= v.fen && v.fen <= h.fen
        case (.rate(let l), .rate(let v), .rate(let h)): l.nanos <= v.nanos && v.nanos <= h.nanos
        case (.integer(let l), .integer(let v), .integer(let h)): l <= v && v <= h
        default: false
        }
    }

    /// Per kind, per unit: the lowest and highest plausible value as a person writes them (money
    /// in yuan). Wide enough for any district and decade, narrow enough to catch an extra digit
    /// or three; a test holds every shipped value inside its range and every unit declared.
    static let table: [String: [String: (String, String)]] = [
        "money": [
            "yuan/event": ("0", "100000"),
            "yuan/month": ("0", "200000"),
            "yuan/month per year": ("0", "10000"),
            "yuan/person/month": ("0", "50000"),
            "yuan/person/year": ("0", "500000"),
            "yuan/head/year": ("0", "100000"),
            "yuan/year": ("0", "5000000"),
            "yuan/new bed": ("0", "1000000"),
        ],
        "rate": [
            "index": ("0", "10"),
            "of base": ("0", "1"),
            "of eligible residents": ("0", "1"),
            "of supported persons": ("0", "1"),
            "of base rate": ("0", "5"),
            "of cost above the deductible": ("0", "1"),
            "of current pension": ("0", "1"),
            "of eligible cost": ("0", "1"),
            "of employer contribution": ("0", "1"),
            "of local average": ("0", "5"),
            "of local average annual wage": ("0", "1"),
            "of local average basic pension": ("0", "2"),
            "of minimum wage": ("0", "2"),
            "of previous-year rural net income": ("0", "3"),
            "of reference wage": ("0", "2"),
            "of staff": ("0", "1"),
            "of the contribution": ("0", "1"),
            "of the levy": ("0", "1"),
            "of the own share of dibao and five-guarantees members": ("0", "1"),
            "of the standard per person": ("0", "2"),
            "of what is left to pay": ("0", "1"),
            "per day": ("0", "0.01"),
            "per year": ("0", "0.5"),
            "share of reference wage": ("0", "10"),
            "times local average annual wage": ("0", "20"),
            "times local average wage": ("0", "20"),
            "times rural dibao": ("0", "20"),
            "times the standard": ("0", "20"),
            "times urban dibao": ("0", "20"),
        ],
        "integer": [
            "days": ("0", "1000"),
            "days per extra baby": ("0", "365"),
            "months": ("0", "1200"),
            "months of local average wage": ("0", "240"),
            "months of original date per month of delay": ("0", "12"),
            "m² of bed and common space per resident": ("0", "1000"),
            "percent of deceased's wage": ("0", "100"),
            "persons counted per severely disabled employee": ("1", "10"),
            "staff": ("0", "100000"),
            "the subsidy is the cost divided by this": ("1", "1000"),
            "times national urban disposable income": ("0", "100"),
            "years": ("0", "120"),
            "yyyymm": ("190001", "210012"),
        ],
    ]
}
