public import Foundation

/// What a participant may do in its room (LiveKit-style grants).
public struct ParticipantPermissions: Codable, Equatable, Hashable, Sendable {
    public var canPublish: Bool
    public var canSubscribe: Bool
    public var canPublishData: Bool
    /// Hidden participants are not announced to others (recorders, agents).
    public var hidden: Bool

    public init(canPublish: Bool = true, canSubscribe: Bool = true, canPublishData: Bool = true,
                hidden: Bool = false) {
        self.canPublish = canPublish
        self.canSubscribe = canSubscribe
        self.canPublishData = canPublishData
        self.hidden = hidden
    }
}

/// Where a participant is in its session. Stored as its raw value.
public enum ParticipantState: String, Codable, Sendable, CaseIterable {
    /// Signalling connected; transport (ICE/DTLS) not yet up.
    case joining
    /// Connected: it counts as present in the room.
    case joined
    case left
}

/// A participant as stored. One row per identity per room: joining again after leaving
/// reuses the row (the event log keeps every join and leave).
public struct ParticipantRecord: Codable, Equatable, Sendable {
    public var roomID: Int64
    public var identity: String
    public var name: String
    /// Free-form text set by the embedding application.
    public var metadata: String
    public var permissions: ParticipantPermissions
    public var state: ParticipantState
    /// When the current (or last) session started: the `joining` time if it went through it.
    public var joinedAt: Date
    public var leftAt: Date?
    public var leaveReason: String?

    public init(roomID: Int64, identity: String, name: String, metadata: String,
                permissions: ParticipantPermissions, state: ParticipantState, joinedAt: Date,
                leftAt: Date?, leaveReason: String?) {
        self.roomID = roomID
        self.identity = identity
        self.name = name
        self.metadata = metadata
        self.permissions = permissions
        self.state = state
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.leaveReason = leaveReason
    }

    /// Joining or joined: the room is not empty while it has such a participant.
    public var isActive: Bool { state != .left }
}

/// Leave reasons the store itself writes.
public enum ParticipantLeaveReason: Sendable {
    /// Written by `RoomStore.recoverAfterRestart(now:)`.
    public static let serverRestarted = "server restarted"
    /// Written by `RoomStore.closeRoom(named:now:)` for participants still present.
    public static let roomClosed = "room closed"
}
