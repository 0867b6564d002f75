/// The API key pairs this server accepts, looked up by key id (a token's `iss`).
///
/// Immutable: to rotate keys, build a new store (e.g. old and new pair side by side while
/// clients move over) and a new ``TokenVerifier`` with it.
public struct APIKeyStore: Sendable {
    private let pairsByKeyID: [String: APIKeyPair]

    /// - Throws: ``APIKeyPairError/duplicateKeyID(_:)`` when two pairs share a key id: which
    ///   secret would be meant is ambiguous, so refuse rather than pick one.
    public init(_ pairs: [APIKeyPair]) throws(APIKeyPairError) {
        var byID: [String: APIKeyPair] = [:]
        for pair in pairs {
            guard byID[pair.keyID] == nil else { throw .duplicateKeyID(pair.keyID) }
            byID[pair.keyID] = pair
        }
        pairsByKeyID = byID
    }

    /// The pair with this key id, or nil.
    public func pair(forKeyID keyID: String) -> APIKeyPair? {
        pairsByKeyID[keyID]
    }

    /// Every configured key id, sorted (for listing at startup; never list secrets).
    public var keyIDs: [String] { pairsByKeyID.keys.sorted() }

    public var isEmpty: Bool { pairsByKeyID.isEmpty }
}
