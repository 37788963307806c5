/// The fields of a rule's output as readable lines (`output.<name>` and the value as text),
/// read by reflection from the output's stored properties — money as yuan, flags as ✓/✗ — so
/// that a page or a command line can show any rule's result without knowing its type.
public enum OutputLines {
    public static func lines(of output: some Sendable) -> [Explanation.Item] {
        Mirror(reflecting: output).children.compactMap { child in
            guard let name = child.label else { return nil }
            return Explanation.Item(key: "output.\(name)", value: text(of: child.value))
        }
    }

    static func text(of value: Any) -> String {
        switch value {
        case let money as Money: return money.yuanText
        case let flag as Bool: return flag ? "✓" : "✗"
        case let list as [Money]: return list.map(\.yuanText).joined(separator: "、")
        case let list as [String]: return list.isEmpty ? "—" : list.joined(separator: "、")
        case let convertible as any CustomStringConvertible:
            if let raw = (value as? any RawRepresentable)?.rawValue as? String { return raw }
            return convertible.description
        case let raw as any RawRepresentable:
            return (raw.rawValue as? String) ?? String(describing: raw.rawValue)
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else { return "—" }
                return text(of: wrapped)
            }
            return String(describing: value)
        }
    }
}
