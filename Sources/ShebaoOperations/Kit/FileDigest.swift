public import Foundation
import Crypto

extension Data {
    /// The SHA-256 of a file, in lower-case hex: how an uploaded file is recognised when it comes
    /// again (a bank's return, a tax bureau's file, an import confirmed after its preview).
    public var sha256Hex: String {
        SHA256.hash(data: self).map { String(format: "%02x", $0) }.joined()
    }
}
