public import Hummingbird

/// What `GET /v1/version` answers: enough for a client to check compatibility.
public struct VersionInfo: ResponseCodable, Equatable, Sendable {
    public let name: String
    public let version: String
    /// Bumped when the REST or signaling API changes incompatibly.
    public let apiVersion: Int
    /// True on a server started with `--dev`: the meeting page may ask it for join tokens.
    public var devMode: Bool = false

    public static let current = VersionInfo(name: "parley", version: "0.1.0", apiVersion: 1)
}
