import Foundation
import PropertyBased
import Synchronization
import Testing

@testable import ShebaoCore

/// Every rule, fed random inputs across its declared bounds and beyond them, as the API and the
/// try-it page would pass them: it answers or refuses with a `RuleError`, never traps, never
/// pays negative money, and keeps its yearly caps.
@Suite("Rules: random inputs within and beyond their bounds")
struct RuleRobustnessTests {
    static let region = RegionCode(trusted: "331004000000")

    @Test(arguments: RuleCatalog.entries.map(\.id))
    func noInputTrapsOrPaysNegativeMoney(rule: String) async throws {
        let entry = try #require(RuleCatalog.entry(rule))
        let book = PolicyDefaults.book
        let answered = Counter()
        await propertyCheck(count: 400, input: Gen.int64(in: 0...Int64.max)) { seed in
            var random = DeterministicRandom(seed: UInt64(seed))
            let input = RandomInput.record(entry.fields, &random)
            let data = try! JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
            do {
                let evaluation = try entry.evaluate(data, book, Self.region)
                answered.add()
                let output = try JSONSerialization.jsonObject(with: evaluation.output)
                let negatives = RandomInput.negativeNumbers(in: output, path: rule)
                #expect(negatives.isEmpty, "\(String(decoding: data, as: UTF8.self)) → \(negatives)")
                try Self.checkCaps(rule, input: input, output: output as? [String: Any] ?? [:], book: book)
            } catch is RuleError {
                // A refusal naming the field is the expected answer to a bad input.
            } catch {
                Issue.record("\(rule): \(String(decoding: data, as: UTF8.self)) threw \(error)")
            }
        }
        // Not a test of refusals only: a good share of the inputs must have been answered.
        #expect(answered.value >= 10, "\(rule): only \(answered.value) of 400 answered")
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// Even with every approved parameter at the largest value a proposal may hold — money at 10
    /// billion yuan, integers at a billion, rates at 100,000% — no rule traps: a product too large
    /// for the fen counter is refused as `rule.overflow`.
    @Test(arguments: RuleCatalog.entries.map(\.id))
    func hugeApprovedParametersNeverTrap(rule: String) async throws {
        let entry = try #require(RuleCatalog.entry(rule))
        let huge = ParameterBook(PolicyDefaults.parameters.map { parameter in
            var parameter = parameter
            switch parameter.value {
            case .money: parameter.value = .money(Money.inputLimit)
            case .integer: parameter.value = .integer(ParameterValue.integerLimit)
            case .rate: parameter.value = .rate(ParameterValue.rateLimit)
            case .table(let table): parameter.value = .table(table.mapValues { _ in ParameterValue.integerLimit })
            case .choice: break
            }
            return parameter
        })
        await propertyCheck(count: 200, input: Gen.int64(in: 0...Int64.max)) { seed in
            var random = DeterministicRandom(seed: UInt64(seed))
            let data = try! JSONSerialization.data(withJSONObject: RandomInput.record(entry.fields, &random), options: [.sortedKeys])
            do {
                _ = try entry.evaluate(data, huge, Self.region)
            } catch is RuleError {
                // Refused (often as rule.overflow): never a trap.
            } catch {
                Issue.record("\(rule): \(String(decoding: data, as: UTF8.self)) threw \(error)")
            }
        }
    }

    /// A product too large for the fen counter is a refusal naming the step, not a trap.
    @Test func aProductTooLargeIsRefusedAsOverflow() throws {
        let village = RegionCode(trusted: "331004103201")
        let book = ParameterBook(PolicyDefaults.parameters + [
            Parameter(key: "ncms.share.participant", region: village, validFrom: LocalDate(year: 2004, month: 1, day: 1)!, value: .money(Money.inputLimit),
                      unit: "fen/person/year", legalBasis: "test", label: .assumption),
        ])
        #expect(throws: RuleError.overflow(step: "explain.ncms.participants")) {
            try RuralMedicalFinancingRule.run(.init(year: 2004, participants: 10_000_000, assisted: 0), book: book, region: village)
        }
        #expect(RuleError.overflow(step: "explain.ncms.participants").labelKeys == ["step": "explain.ncms.participants"])
    }

    /// Out-of-range numbers are refused by name, with the bounds, before any arithmetic.
    @Test func anOutOfRangeInputIsRefusedWithItsBounds() throws {
        let entry = try #require(RuleCatalog.entry("dibao-benefit"))
        let data = Data(#"{"period":"2004-01","areaType":"street","householdSize":1000000000000000,"monthlyIncome":0}"#.utf8)
        #expect(throws: RuleError.outOfRange(field: "householdSize", lower: "1", upper: "30")) { try entry.evaluate(data, PolicyDefaults.book, Self.region) }
        let negative = Data(#"{"date":"2024-05-01","eligibleCost":100000,"paidThisYear":-500000000}"#.utf8)
        let medical = try #require(RuleCatalog.entry("medical-reimbursement"))
        #expect(throws: RuleError.outOfRange(field: "paidThisYear", lower: "0.00", upper: "10000000000.00")) { try medical.evaluate(negative, PolicyDefaults.book, Self.region) }
        let farFuture = Data(#"{"birth":"9950-01","category":"male"}"#.utf8)
        let retirement = try #require(RuleCatalog.entry("retirement-age"))
        #expect(throws: RuleError.outOfRange(field: "birth", lower: "1900-01", upper: "2100-12")) { try retirement.evaluate(farFuture, PolicyDefaults.book, Self.region) }
    }

    /// The fund never pays more in a year than its cap, whatever was paid before.
    static func checkCaps(_ rule: String, input: [String: Any], output: [String: Any], book: ParameterBook) throws {
        guard rule == "medical-reimbursement" || rule == "ncms-reimbursement" else { return }
        guard let dateText = input["date"] as? String, let date = LocalDate(iso: dateText) else { return }
        let capKey: String
        let paid: Int64
        if rule == "medical-reimbursement" {
            guard case .money(let annual) = try book.resolve("wage.local_average.annual", region: region, on: date).value,
                case .rate(let multiple) = try book.resolve("medical.cap_multiple", region: region, on: date).value
            else { return }
            let cap = annual.multiplied(by: multiple).fen
            paid = (output["fundPays"] as? NSNumber)?.int64Value ?? 0
            let before = (input["paidThisYear"] as? NSNumber)?.int64Value ?? 0
            #expect(paid + min(before, cap) <= cap, "medical: \(before) + \(paid) > \(cap)")
            return
        } else {
            capKey = input["scheme"] as? String == "medical_assistance" ? "medical_assistance.cap" : "ncms.cap"
            paid = (output["reimbursement"] as? NSNumber)?.int64Value ?? 0
        }
        guard case .money(let cap) = try book.resolve(capKey, region: region, on: date).value else { return }
        let before = (input["paidThisYear"] as? NSNumber)?.int64Value ?? 0
        #expect(paid + min(before, cap.fen) <= cap.fen, "\(rule): \(before) + \(paid) > \(cap.fen)")
    }
}

/// Random JSON inputs for a rule's fields: mostly inside the bounds, sometimes on an edge,
/// sometimes far outside (negative money, `Int64.max`, the year 9950, an unknown choice).
enum RandomInput {
    static func record(_ fields: [RuleField], _ random: inout DeterministicRandom) -> [String: Any] {
        var record: [String: Any] = [:]
        for field in fields {
            if field.optional && Int.random(in: 0..<10, using: &random) < 3 { continue }
            record[field.name] = value(field, &random)
        }
        return record
    }

    static func value(_ field: RuleField, _ random: inout DeterministicRandom) -> Any {
        let roll = Int.random(in: 0..<20, using: &random)
        switch field.bounds {
        case .integer(let range), .money(let range):
            if roll == 0 { return [Int64.max, Int64.min, range.lowerBound - 1, range.upperBound &+ 1, -1][Int.random(in: 0..<5, using: &random)] }
            if roll == 1 { return [range.lowerBound, range.upperBound][Int.random(in: 0..<2, using: &random)] }
            // Narrow ranges (years, grades, months) uniformly; wide ones (money, head counts) by
            // log-uniform magnitude, so small and large values both turn up.
            if range.upperBound - range.lowerBound <= 10_000 { return Int64.random(in: range, using: &random) }
            let digits = Int.random(in: 0...String(range.upperBound).count, using: &random)
            var cap: Int64 = 1
            for _ in 0..<digits where cap <= Int64.max / 10 { cap *= 10 }
            let upper = min(range.upperBound, max(range.lowerBound, cap))
            return Int64.random(in: range.lowerBound...upper, using: &random)
        case .decimal(_, let upper):
            if roll == 0 { return ["-0.5", "1e3", "99999999", "abc"][Int.random(in: 0..<4, using: &random)] }
            let high = Ratio(decimal: upper) ?? .one
            return (high * Ratio(Int128(Int.random(in: 0...10_000, using: &random)), 10_000)).decimal(places: 6)
        case .date(let range):
            let year = roll == 0 ? [9950, 1800, 2101][Int.random(in: 0..<3, using: &random)] : Int.random(in: range.lowerBound.year...range.upperBound.year, using: &random)
            return String(format: "%04d-%02d-%02d", year, Int.random(in: 1...12, using: &random), Int.random(in: 1...28, using: &random))
        case .period(let range):
            let year = roll == 0 ? [9950, 1800][Int.random(in: 0..<2, using: &random)] : Int.random(in: range.lowerBound.year...range.upperBound.year, using: &random)
            return String(format: "%04d-%02d", year, Int.random(in: 1...12, using: &random))
        case .count(let range):
            let count = roll == 0 ? range.upperBound + 5 : Int.random(in: range, using: &random)
            return (0..<count).map { _ in
                ["relation": Bool.random(using: &random) ? "spouse" : "other", "loneElderlyOrOrphan": Bool.random(using: &random)] as [String: Any]
            }
        case .any:
            if case .choice(let choices) = field.kind {
                return roll == 0 ? "no_such_choice" : choices[Int.random(in: 0..<choices.count, using: &random)]
            }
            return Bool.random(using: &random)
        }
    }

    /// Paths of negative numbers anywhere in an output.
    static func negativeNumbers(in value: Any, path: String) -> [String] {
        switch value {
        case let record as [String: Any]: return record.flatMap { negativeNumbers(in: $0.value, path: path + "." + $0.key) }
        case let list as [Any]: return list.enumerated().flatMap { negativeNumbers(in: $0.element, path: path + "[\($0.offset)]") }
        case let number as NSNumber: return number.int64Value < 0 ? ["\(path) = \(number)"] : []
        default: return []
        }
    }
}
