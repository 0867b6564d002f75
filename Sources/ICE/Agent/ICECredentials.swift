/// An agent's short-term ICE credentials (RFC 8445 §5.3): the username fragment that goes
/// into USERNAME and the password that keys MESSAGE-INTEGRITY (RFC 8445 §7.2.2).
public struct ICECredentials: Sendable, Hashable {
    /// RFC 8445 §5.3: at least 4 ice-chars (at most 256); `random()` makes 8.
    public let usernameFragment: String
    /// RFC 8445 §5.3: at least 22 ice-chars (at most 256); `random()` makes 24.
    public let password: String

    public init(usernameFragment: String, password: String) {
        self.usernameFragment = usernameFragment
        self.password = password
    }

    /// RFC 8445 §5.3 / RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/".
    public static let iceCharacters: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static let generatedUsernameFragmentLength = 8
    public static let generatedPasswordLength = 24

    /// Fresh credentials from the system's cryptographic generator: 48 bits of ufrag and
    /// 144 bits of password (RFC 8445 §5.3 asks for at least 24 and 128 bits of randomness).
    public static func random() -> ICECredentials {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random(using generator: inout some RandomNumberGenerator) -> ICECredentials {
        func text(_ length: Int) -> String {
            var units: [UInt8] = []
            units.reserveCapacity(length)
            for _ in 0..<length {
                // 64 characters: `random(in:)` is uniform, so every character carries 6 bits.
                units.append(iceCharacters[Int.random(in: 0..<iceCharacters.count, using: &generator)])
            }
            return String(decoding: units, as: UTF8.self)
        }
        return ICECredentials(
            usernameFragment: text(generatedUsernameFragmentLength), password: text(generatedPasswordLength))
    }

    /// Whether both values have the length and alphabet RFC 8445 §5.3 requires (e.g. to vet
    /// credentials received in SDP).
    public var isValid: Bool {
        Self.isIceCharString(usernameFragment, lengths: 4...256)
            && Self.isIceCharString(password, lengths: 22...256)
    }

    private static func isIceCharString(_ text: String, lengths: ClosedRange<Int>) -> Bool {
        var count = 0
        for unit in text.utf8 {
            guard iceCharacters.contains(unit) else { return false }
            count += 1
        }
        return lengths.contains(count)
    }
}
