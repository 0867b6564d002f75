public import Foundation
internal import JWTKit

/// Checks bearer tokens minted by ``TokenIssuer`` (or any HS256 JWT in the same shape).
///
/// Order of checks, each with its own ``AuthError``: size and shape → header `alg` must be
/// exactly `HS256` → signature segment in canonical base64url → `iss` names a configured
/// key → HMAC with *that* key's secret → `sub` and `exp` present → `exp`/`nbf` against
/// `now` ± ``leeway``. The key is chosen by
/// `iss` only: a `kid` header is ignored, so a holder of key B cannot get a token claiming
/// `iss: A` checked against B's secret. Claims other than `iss` are trusted only after the
/// signature is; so a forged token learns nothing beyond "unknown key" or "bad signature".
public struct TokenVerifier: Sendable {
    /// Longer tokens are refused before any decoding (ours are ~500 bytes; metadata is the
    /// only open-ended claim).
    public static let maximumTokenBytes = 8192

    public let keys: APIKeyStore
    /// Allowed clock difference between the minting and the verifying host, applied to both
    /// `exp` and `nbf` (RFC 7519 §4.1.4–5 allow "some small leeway").
    public let leeway: Duration

    public init(keys: APIKeyStore, leeway: Duration = .seconds(10)) {
        self.keys = keys
        self.leeway = leeway
    }

    public func verify(_ token: String, now: Date = Date()) async throws(AuthError) -> VerifiedToken {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumTokenBytes else { throw .malformed }

        // RFC 7515 §7.1: three base64url segments; header and payload are JSON objects.
        let header: JWTHeader
        let unverified: AccessTokenClaims
        do {
            (header, unverified, _) = try DefaultJWTParser().parse(bytes, as: AccessTokenClaims.self)
        } catch {
            throw .malformed
        }

        // RFC 7515 §4.1.11: a `crit` header lists extensions we would have to understand.
        guard header.fields["crit"] == nil else { throw .malformed }
        // RFC 7515 §4.1.1 / RFC 8725 §3.1: accept only the one algorithm we issue.
        guard let alg = header.fields["alg"]?.asString else { throw .malformed }
        guard alg == "HS256" else { throw .unsupportedAlgorithm(String(alg.prefix(32))) }
        guard Self.isCanonicalHS256Signature(bytes) else { throw .malformed }

        guard let keyID = unverified.iss, !keyID.isEmpty else { throw .missingClaim("iss") }
        guard let pair = keys.pair(forKeyID: keyID) else {
            throw .unknownKey(String(keyID.prefix(APIKeyPair.maximumKeyIDBytes)))
        }

        let claims: AccessTokenClaims
        do {
            // A collection holding only this pair, as its default key: whatever `kid` the
            // header names, this secret is the one checked.
            let collection = JWTKeyCollection()
            await collection.add(hmac: HMACKey(from: pair.secret), digestAlgorithm: .sha256)
            claims = try await collection.verify(bytes, as: AccessTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch {
            throw .malformed
        }

        guard let identity = claims.sub, !identity.isEmpty else { throw .missingClaim("sub") }
        guard let expiry = claims.exp else { throw .missingClaim("exp") }

        // RFC 7519 §4.1.4: reject on or after `exp`; §4.1.5: reject before `nbf`.
        let nowSeconds = now.timeIntervalSince1970
        let slack = Self.seconds(leeway)
        guard nowSeconds < Double(expiry.secondsSince1970) + slack else { throw .expired }
        if let notBefore = claims.nbf, nowSeconds < Double(notBefore.secondsSince1970) - slack {
            throw .notYetValid
        }

        return VerifiedToken(
            keyID: keyID,
            identity: identity,
            name: claims.name,
            metadata: claims.metadata,
            grants: claims.video ?? VideoGrants(),
            expiresAt: Date(timeIntervalSince1970: Double(expiry.secondsSince1970)),
            notBefore: claims.nbf.map { Date(timeIntervalSince1970: Double($0.secondsSince1970)) },
            issuedAt: claims.iat.map { Date(timeIntervalSince1970: Double($0.secondsSince1970)) },
            tokenID: claims.jti
        )
    }

    /// RFC 7515 §2 / RFC 4648 §3.5: the 32-byte HMAC is exactly 43 unpadded base64url
    /// characters, and the last one carries 2 unused bits that must be zero. Lenient decoders
    /// ignore those bits, so without this check four different strings would verify as one
    /// token — harmless for the signature, but it would defeat caches keyed by token text.
    private static func isCanonicalHS256Signature(_ token: [UInt8]) -> Bool {
        guard let lastPeriod = token.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let signature = token[(lastPeriod + 1)...]
        guard signature.count == 43, let last = signature.last else { return false }
        guard let lastValue = base64URLValue(last), lastValue & 0b11 == 0 else { return false }
        return signature.allSatisfy { base64URLValue($0) != nil }
    }

    private static func base64URLValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
