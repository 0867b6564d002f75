public import Auth

/// The keys the REST API accepts tokens from, and the key it mints tokens with.
public struct APIAuthentication: Sendable {
    public let verifier: TokenVerifier
    public let issuer: TokenIssuer

    public init(keys: APIKeyStore, issuingKey: APIKeyPair) {
        verifier = TokenVerifier(keys: keys)
        issuer = TokenIssuer(key: issuingKey)
    }
}
