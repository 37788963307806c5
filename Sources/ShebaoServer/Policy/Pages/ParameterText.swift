import Foundation
import ShebaoCore

/// A parameter as a clerk reads it (issue 14 item 5): its value in yuan, percent or words with its
/// unit in the reader's language — never a stored choice code or a fen amount — and its legal
/// basis with the district's own document named in words.
extension PageRenderer {
    /// `450.00 元/月`, `8% （占缴费基数的比例）`, `按全国 2020 年办法`, `60→1.39 元 …`.
    func parameterValue(_ value: ParameterValue, unit: String, _ context: ShebaoRequestContext) -> String {
        let unitText = self.unit(unit, context)
        switch value {
        case .money(let money): return money.yuanText + " " + unitText
        case .rate(let rate): return rate.percentString + " " + unitText
        case .integer(let number): return String(number) + " " + unitText
        case .choice(let choice): return self.value(choice, context)
        case .table(let table):
            // Tables of fen (a subsidy by age, a contribution by level) are shown in yuan.
            let inFen = unit.hasPrefix("fen")
            let entries = table.keys.sorted().map { key -> String in
                let entry = table[key] ?? 0
                return String(key) + "→" + (inFen ? Money(fen: entry).yuanText : String(entry))
            }
            return entries.joined(separator: text("list.separator", context)) + " " + (inFen ? unitText.replacingOccurrences(of: "分", with: "元") : unitText)
        }
    }

    /// A stored unit in words; a unit the tables do not know is shown as stored (a test keeps
    /// every unit of the policy book in the tables).
    func unit(_ stored: String, _ context: ShebaoRequestContext) -> String {
        let key = "unit." + stored
        let text = self.text(key, context)
        return text == key ? stored : text
    }

    /// A legal basis as written, with a reference to the district's programme document
    /// (`（PROGRAMS.md §4.2）`) in words and in the reader's punctuation.
    func legalBasis(_ stored: String, _ context: ShebaoRequestContext) -> String {
        var text = stored
        while let range = text.range(of: #"（?PROGRAMS\.md §[0-9.]*[0-9]）?"#, options: .regularExpression) {
            let matched = text[range]
            let section = matched.replacingOccurrences(of: "（", with: "").replacingOccurrences(of: "）", with: "")
                .replacingOccurrences(of: "PROGRAMS.md §", with: "")
            let words = self.text("policy.programs_section", context, ["section": section])
            text.replaceSubrange(range, with: matched.hasPrefix("（") ? self.text("common.parenthesized", context, ["text": words]) : words)
        }
        return text
    }
}
