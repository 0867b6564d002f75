import Auth
import Foundation
import JWTKit

/// Fixed clock for every test: 2026-11-22T00:00:00Z.
let testNow = Date(timeIntervalSince1970: 1_795_305_600)

/// Fixed key material (secrets are 32+ bytes as the store requires).
let keyA = try! APIKeyPair(keyID: "APIaaaaaaaaaaaa", secret: "secret-A-0123456789abcdef0123456789abcdef")
let keyB = try! APIKeyPair(keyID: "APIbbbbbbbbbbbb", secret: "secret-B-0123456789abcdef0123456789abcdef")

func verifier(_ pairs: [APIKeyPair] = [keyA], leeway: Duration = .seconds(10)) throws -> TokenVerifier {
    TokenVerifier(keys: try APIKeyStore(pairs), leeway: leeway)
}

/// Claims with every field optional, to hand-build tokens Parley's issuer would never mint.
struct LooseClaims: JWTPayload {
    var iss: String?
    var sub: String?
    var exp: Int?
    var nbf: Int?
    var iat: Int?
    var name: String?
    var video: VideoGrants?

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    static func valid(iss: String = keyA.keyID) -> LooseClaims {
        let now = Int(testNow.timeIntervalSince1970)
        return LooseClaims(iss: iss, sub: "alice", exp: now + 600, nbf: now, iat: now,
                           name: "Alice", video: .join(room: "A"))
    }
}

/// Signs `claims` with jwt-kit, using `secret` and the HMAC digest given, and any extra header fields.
func signed(
    _ claims: some JWTPayload,
    secret: String = keyA.secret,
    digest: DigestAlgorithm = .sha256,
    header: JWTHeader = JWTHeader()
) async throws -> String {
    let keys = JWTKeyCollection()
    await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
    return try await keys.sign(claims, header: header)
}

func base64URL(_ text: String) -> String {
    base64URL(Data(text.utf8))
}

func base64URL(_ data: Data) -> String {
    data.base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

func base64URLDecode(_ text: String) -> Data? {
    var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while standard.count % 4 != 0 { standard += "=" }
    return Data(base64Encoded: standard)
}

/// Runs `verify` and returns the AuthError it threw, or nil when it accepted the token.
func rejection(_ token: String, by verifier: TokenVerifier, at now: Date = testNow) async -> AuthError? {
    do {
        _ = try await verifier.verify(token, now: now)
        return nil
    } catch {
        return error
    }
}
