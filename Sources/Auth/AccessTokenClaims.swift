internal import JWTKit

/// The JSON payload of a Parley access token (RFC 7519 §4.1 registered claims plus LiveKit-style
/// `name`, `metadata` and `video`).
///
/// Every field is optional here so that a token lacking one decodes, and the verifier can say
/// *which* claim is missing (``AuthError/missingClaim(_:)``) instead of a generic decode error.
struct AccessTokenClaims: JWTPayload, Equatable {
    var iss: String?
    var sub: String?
    var exp: NumericDate?
    var nbf: NumericDate?
    var iat: NumericDate?
    var jti: String?
    var name: String?
    var metadata: String?
    var video: VideoGrants?

    /// Times are checked by ``TokenVerifier`` against its injected `now` with a leeway, which
    /// jwt-kit's claim helpers cannot do; so jwt-kit's own hook checks nothing.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// RFC 7519 §2 NumericDate: seconds since the epoch. Written as an integer; read from an
/// integer or a finite fractional number (truncated), anything else is a decoding error.
struct NumericDate: Codable, Hashable, Sendable {
    var secondsSince1970: Int64

    init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let whole = try? container.decode(Int64.self) {
            secondsSince1970 = whole
            return
        }
        let seconds = try container.decode(Double.self)
        // Bounded well inside Int64 so the conversion cannot trap on hostile values like 1e300.
        guard seconds.isFinite, abs(seconds) < 1e15 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "NumericDate out of range")
        }
        secondsSince1970 = Int64(seconds.rounded(.towardZero))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(secondsSince1970)
    }
}
