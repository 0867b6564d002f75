public import Foundation
internal import JWTKit

/// Mints HS256 access tokens signed with one API key pair; the pair's key id goes in `iss`,
/// which is how ``TokenVerifier`` finds the secret again (no `kid` header is written).
public struct TokenIssuer: Sendable {
    /// Longest lifetime ``mint(identity:name:metadata:grants:validFor:now:tokenID:)`` accepts.
    public static let maximumLifetime: Duration = .seconds(366 * 24 * 3600)

    public let key: APIKeyPair

    public init(key: APIKeyPair) {
        self.key = key
    }

    /// A signed token for `identity`.
    ///
    /// Claims: `iss` = key id, `sub` = identity, `iat` = `nbf` = `now` and `exp` = `now` +
    /// `validFor`, all in whole seconds (rounded down); `jti` = `tokenID`, or 16 random base62
    /// characters when nil, so each token can be told apart in logs; `name` and `metadata`
    /// only when given; `video` = `grants`.
    ///
    /// - Throws: ``TokenMintError`` for an empty identity, a lifetime under one second or
    ///   above ``maximumLifetime``, or a failure inside jwt-kit.
    public func mint(
        identity: String,
        name: String? = nil,
        metadata: String? = nil,
        grants: VideoGrants,
        validFor: Duration,
        now: Date = Date(),
        tokenID: String? = nil
    ) async throws(TokenMintError) -> String {
        guard !identity.isEmpty else { throw .emptyIdentity }
        guard validFor >= .seconds(1), validFor <= Self.maximumLifetime else {
            throw .lifetimeOutOfRange(validFor)
        }
        var generator = SystemRandomNumberGenerator()
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let claims = AccessTokenClaims(
            iss: key.keyID,
            sub: identity,
            exp: NumericDate(secondsSince1970: issuedAt + validFor.components.seconds),
            nbf: NumericDate(secondsSince1970: issuedAt),
            iat: NumericDate(secondsSince1970: issuedAt),
            jti: tokenID ?? Base62.random(count: 16, using: &generator),
            name: name,
            metadata: metadata,
            video: grants
        )
        do {
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: key.secret), digestAlgorithm: .sha256)
            return try await keys.sign(claims)
        } catch {
            throw .signingFailed(String(describing: error))
        }
    }
}

/// Why ``TokenIssuer`` could not mint a token (programmer or configuration errors, not input).
public enum TokenMintError: Error, Sendable, Hashable {
    case emptyIdentity
    /// `validFor` was under one second (`exp` is in whole seconds) or above
    /// ``TokenIssuer/maximumLifetime``.
    case lifetimeOutOfRange(Duration)
    /// jwt-kit failed to encode or sign; the text is its error's description.
    case signingFailed(String)
}
