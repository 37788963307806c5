/// How free text typed by people is cleaned before it is stored or compared (issue 9): white
/// space of any script is trimmed (the ideographic space U+3000 typed by Chinese input methods
/// included), full-width digits and Latin letters become ASCII, the text is in canonical
/// composition, and control and format characters — bidi overrides such as U+202E, zero-width
/// spaces — are refused rather than stored, since they can make a name or an address read
/// differently from what it is.
extension String {
    /// Without leading and trailing white space of any script.
    public func trimmingUnicodeWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Runs of white space inside collapsed to one ASCII space.
    public var collapsingWhitespace: String {
        var result = ""
        var inSpace = false
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace {
                if !inSpace { result.unicodeScalars.append(" ") }
                inSpace = true
            } else {
                result.unicodeScalars.append(scalar)
                inSpace = false
            }
        }
        return result
    }

    /// Full-width digits and Latin letters (U+FF10–U+FF19, U+FF21–U+FF3A, U+FF41–U+FF5A) as ASCII:
    /// the safe part of NFKC. Other full-width forms, such as the （） of a unit's official name, stay.
    public var withASCIIAlphanumerics: String {
        var result = ""
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
                result.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Holds a control character (Cc) or a format character (Cf: bidi controls, zero-width spaces).
    public var hasControlOrFormatCharacters: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
    }
}
