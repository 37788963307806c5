import Foundation

/// The three interface languages; Simplified Chinese is the default (GLOSSARY.md).
public enum Language: String, Sendable, Codable, CaseIterable {
    case zhHans = "zh-Hans"
    case zhHant = "zh-Hant"
    case en

    public static let `default` = Language.zhHans

    /// The language for a POSIX locale name such as `zh_TW.UTF-8` or `en_US.UTF-8`; the default otherwise.
    public static func fromPOSIX(_ name: String?) -> Language {
        guard let name = name?.lowercased() else { return .default }
        if name.hasPrefix("zh_tw") || name.hasPrefix("zh_hk") || name.hasPrefix("zh-hant") { return .zhHant }
        if name.hasPrefix("en") { return .en }
        return .default
    }

    /// The `lang` attribute value for HTML.
    public var htmlTag: String { rawValue }
}

/// Every user-visible string, by key, in the three languages (the project's string tables).
///
/// Loaded once from the bundled `i18n/*.json`; a test checks that the three tables have the
/// same keys and that every key a template or error uses exists.
public struct StringTables: Sendable {
    public let tables: [Language: [String: String]]

    public init(tables: [Language: [String: String]]) { self.tables = tables }

    /// The tables shipped with Shebao.
    public static let bundled: StringTables = {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Resources/i18n"),
                let data = try? Data(contentsOf: url),
                let table = try? JSONDecoder().decode([String: String].self, from: data)
            else { fatalError("string table \(language.rawValue).json is missing or not a JSON object of strings") }
            tables[language] = table
        }
        return StringTables(tables: tables)
    }()

    /// The text for `key` with `{name}` placeholders filled; the key itself when missing.
    public func text(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        var text = tables[language]?[key] ?? tables[.default]?[key] ?? key
        for (name, value) in arguments { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    public func table(_ language: Language) -> [String: String] { tables[language] ?? [:] }

    /// A value a rule produced, in `language`: a string-table key (a refusal such as
    /// `explain.unemployment.too_short`) or a choice (`grade_1`, `street`) becomes its label;
    /// numbers and amounts stay as they are.
    public func value(_ value: String, _ language: Language) -> String {
        let table = table(language)
        if let label = table[value] ?? table["choice.\(value)"] { return label }
        // A list of keys (an output such as the alternatives to a pension), each translated.
        guard value.contains("、") else { return value }
        return value.split(separator: "、").map { table[String($0)] ?? table["choice.\($0)"] ?? String($0) }.joined(separator: "、")
    }

    /// Every way a value may be written in a file: its label in each language, and the short
    /// forms listed under `key.aliases` (separated by `|`), e.g. `农业` for `农业户口`.
    public func labels(_ key: String) -> [String] {
        var labels: [String] = []
        for language in Language.allCases {
            if let label = tables[language]?[key] { labels.append(label) }
            if let aliases = tables[language]?[key + ".aliases"] { labels += aliases.split(separator: "|").map(String.init) }
        }
        return labels
    }
}
