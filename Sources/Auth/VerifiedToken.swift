public import Foundation

/// The claims of a token whose signature, key and validity period have been checked.
public struct VerifiedToken: Sendable, Hashable {
    /// The API key that signed it (`iss`).
    public let keyID: String
    /// The participant identity (`sub`).
    public let identity: String
    /// Display name (`name`).
    public let name: String?
    /// Opaque application data (`metadata`).
    public let metadata: String?
    /// The `video` claim; no grants at all when the claim is absent.
    public let grants: VideoGrants
    public let expiresAt: Date
    public let notBefore: Date?
    public let issuedAt: Date?
    /// `jti`.
    public let tokenID: String?

    /// For tests of layers above that need a token without minting one.
    public init(
        keyID: String, identity: String, name: String? = nil, metadata: String? = nil,
        grants: VideoGrants, expiresAt: Date, notBefore: Date? = nil, issuedAt: Date? = nil,
        tokenID: String? = nil
    ) {
        self.keyID = keyID
        self.identity = identity
        self.name = name
        self.metadata = metadata
        self.grants = grants
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.tokenID = tokenID
    }

    /// Throws ``AuthError/forbidden(grant:room:)`` (HTTP 403) unless the server-wide `grant` is held.
    public func require(_ grant: ServerGrant) throws(AuthError) {
        let held = switch grant {
        case .roomCreate: grants.roomCreate
        case .roomList: grants.roomList
        }
        guard held else { throw .forbidden(grant: grant.rawValue, room: nil) }
    }

    /// Throws ``AuthError/forbidden(grant:room:)`` (HTTP 403) unless `grant` is held for exactly
    /// `room`. The `can…` grants also need ``VideoGrants/roomJoin``: publishing is something a
    /// participant does inside a room it joined. ``VideoGrants/roomAdmin`` does not need it.
    public func require(_ grant: RoomGrant, room: String) throws(AuthError) {
        let held = switch grant {
        case .roomJoin: grants.roomJoin
        case .roomAdmin: grants.roomAdmin
        case .canPublish: grants.roomJoin && grants.canPublish
        case .canSubscribe: grants.roomJoin && grants.canSubscribe
        case .canPublishData: grants.roomJoin && grants.canPublishData
        }
        guard held, grants.room == room else { throw .forbidden(grant: grant.rawValue, room: room) }
    }
}

/// Grants that are not tied to a room.
public enum ServerGrant: String, Sendable, Hashable, CaseIterable {
    case roomCreate, roomList
}

/// Grants that hold only for the room named in ``VideoGrants/room``.
public enum RoomGrant: String, Sendable, Hashable, CaseIterable {
    case roomJoin, roomAdmin, canPublish, canSubscribe, canPublishData
}
