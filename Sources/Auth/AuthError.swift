/// Why a bearer token was not accepted.
///
/// The REST layer answers 401 for every case except ``forbidden(grant:room:)``, which is 403:
/// the token is genuine, it just does not allow what was asked (see ``httpStatus``).
/// Associated strings come from the token itself, so log them, but never echo them into HTML.
public enum AuthError: Error, Sendable, Hashable {
    /// Not three base64url segments of JSON objects, too long, a claim of the wrong JSON type,
    /// or a `crit` header (RFC 7515 §4.1.11: we understand no extensions, so we must refuse).
    case malformed
    /// The `iss` claim names an API key this server does not have.
    case unknownKey(String)
    /// The HMAC does not match: wrong secret, or the header/payload was changed after signing.
    case badSignature
    /// `now` is at or after `exp` plus the leeway (RFC 7519 §4.1.4).
    case expired
    /// `now` is before `nbf` minus the leeway (RFC 7519 §4.1.5).
    case notYetValid
    /// A claim Parley requires (`iss`, `sub`, `exp`) is absent or empty.
    case missingClaim(String)
    /// The header's `alg` is anything but `HS256` — including `none` (RFC 7518 §3.6) and every
    /// asymmetric algorithm, so a public key can never be used as an HMAC secret.
    case unsupportedAlgorithm(String)
    /// The token is valid but lacks `grant` (its JSON name, e.g. `roomJoin`), or holds it for
    /// another room than `room`.
    case forbidden(grant: String, room: String?)

    /// The HTTP status the REST layer should answer with: 403 for ``forbidden(grant:room:)``,
    /// 401 for everything else.
    public var httpStatus: Int {
        switch self {
        case .forbidden: 403
        default: 401
        }
    }
}
