import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Random secrets and their hashes. Session ids, CSRF tokens and API tokens are 256 random bits
/// from the system generator (ASVS 7.2.3 asks ≥ 128); only their SHA-256 is stored.
public enum Secrets {
    /// 32 random bytes as URL-safe base64 without padding (43 characters).
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}

/// bcrypt with a configurable cost, run off the async executors because each hash takes
/// hundreds of milliseconds at production cost.
public struct PasswordHasher: Sendable {
    /// 12 in production; tests use the minimum, 4, to stay fast.
    public var cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

/// What a password must be (OWASP ASVS 6.2): 8 to 72 bytes (bcrypt reads no further), not the
/// username, not one of the most common passwords. No composition rules, following ASVS 6.2.5.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumBytes = 72

    static let common: Set<String> = [
        "12345678", "123456789", "1234567890", "password", "password1", "qwertyui", "qwerty123", "11111111",
        "00000000", "88888888", "66666666", "12341234", "abcd1234", "1qaz2wsx", "iloveyou", "admin123",
        "admin888", "woaini1314", "a1234567", "aa123456", "abc12345", "123123123", "87654321", "qwertyuiop",
        "password123", "shebao123", "12344321", "asdfghjk", "zxcvbnm1", "p@ssw0rd", "passw0rd", "changeme",
    ]

    public static func violation(password: String, username: String) -> PasswordViolation? {
        if password.count < minimumLength { return .tooShort }
        if password.utf8.count > maximumBytes { return .tooLong }
        if password.lowercased() == username.lowercased() { return .sameAsUsername }
        if common.contains(password.lowercased()) { return .tooCommon }
        return nil
    }
}

public enum PasswordViolation: String, Error, Sendable {
    case tooShort = "password.too_short"
    case tooLong = "password.too_long"
    case sameAsUsername = "password.same_as_username"
    case tooCommon = "password.too_common"
}
