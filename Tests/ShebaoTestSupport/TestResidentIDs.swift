import Foundation
import ShebaoCore

/// Valid resident IDs of people who are in no demo district: born in Hangzhou's Shangcheng
/// district (330106, which the demo never uses) on a given day, with their check character.
public enum TestResidentIDs {
    /// The `serial`th person born on `birth` (YYYYMMDD).
    public static func make(born birth: String, serial: Int) -> String {
        let body = "330106" + birth + String(format: "%03d", serial)
        return body + String(ResidentID.checkCharacter(forDigits: body.map { Int(String($0))! }))
    }
}
