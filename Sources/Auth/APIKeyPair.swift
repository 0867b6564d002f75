/// An API key: a public key id that travels in every token's `iss` claim, and the secret that
/// signs (HMAC-SHA-256) and verifies those tokens.
///
/// The HMAC key is the UTF-8 bytes of ``secret`` as written, so an operator can paste the
/// same text into any JWT library (this is also what LiveKit does with its secrets).
/// ``description`` never shows the secret, so a pair can be logged.
public struct APIKeyPair: Sendable, CustomStringConvertible {
    /// Shortest accepted secret in UTF-8 bytes: RFC 7518 §3.2 requires an HS256 key of at least
    /// the hash size (256 bits); shorter keys also trip an assertion inside jwt-kit.
    public static let minimumSecretBytes = 32
    /// Longest accepted key id, so a config typo cannot become a megabyte `iss` claim.
    public static let maximumKeyIDBytes = 128

    public let keyID: String
    public let secret: String

    /// - Throws: ``APIKeyPairError`` when the key id is empty, too long or holds whitespace or
    ///   control characters, or when the secret is shorter than ``minimumSecretBytes``.
    public init(keyID: String, secret: String) throws(APIKeyPairError) {
        let idBytes = keyID.utf8.count
        guard idBytes > 0, idBytes <= Self.maximumKeyIDBytes else {
            throw .keyIDLength(idBytes)
        }
        guard keyID.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw .keyIDCharacters
        }
        let secretBytes = secret.utf8.count
        guard secretBytes >= Self.minimumSecretBytes else {
            throw .secretTooShort(bytes: secretBytes, minimum: Self.minimumSecretBytes)
        }
        self.keyID = keyID
        self.secret = secret
    }

    /// A fresh pair for "generated on first start and printed once": key id `API` followed by
    /// 12 base62 characters (~71 random bits, enough to never collide, it is not secret), and
    /// a secret of 32 random bytes written as unpadded base64url (43 characters, 256 bits).
    /// The secret never starts with `-`, so it can follow `--api-secret` on a command line
    /// without being taken for an option (it gives up log2(64/63) of a bit).
    public static func generate() -> APIKeyPair {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// ``generate()`` with a caller's generator. Use a cryptographically secure one outside tests.
    public static func generate(using generator: inout some RandomNumberGenerator) -> APIKeyPair {
        let keyID = "API" + Base62.random(count: 12, using: &generator)
        var secretBytes: [UInt8] = []
        secretBytes.reserveCapacity(32)
        for _ in 0..<32 {
            secretBytes.append(UInt8.random(in: .min ... .max, using: &generator))
        }
        // The first character is the top 6 bits of the first byte; 62 is `-` in base64url.
        while secretBytes[0] >> 2 == 62 {
            secretBytes[0] = UInt8.random(in: .min ... .max, using: &generator)
        }
        let secret = Base64URL.encode(secretBytes)
        // Both parts are built to satisfy `init`'s checks (15-byte id, 43-byte secret).
        return APIKeyPair(validatedKeyID: keyID, secret: secret)
    }

    private init(validatedKeyID keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = secret
    }

    public var description: String { "APIKeyPair(\(keyID), secret: <redacted>)" }
}

/// Why a configured API key pair was refused.
public enum APIKeyPairError: Error, Sendable, Hashable {
    /// The key id is empty or longer than ``APIKeyPair/maximumKeyIDBytes`` (value: its UTF-8 length).
    case keyIDLength(Int)
    /// The key id holds whitespace or control characters.
    case keyIDCharacters
    /// The secret is shorter than ``APIKeyPair/minimumSecretBytes`` UTF-8 bytes.
    case secretTooShort(bytes: Int, minimum: Int)
    /// Two configured pairs share this key id.
    case duplicateKeyID(String)
}
