public import Foundation

/// A room as stored: its configuration, not its live media state.
///
/// A room is *open* until `closeRoom(named:now:)` sets `closedAt`; a closed room stays in the
/// database (with its participants, tracks and event log) until `deleteRoom(named:)`.
public struct RoomRecord: Codable, Equatable, Sendable {
    public var id: Int64
    public var name: String
    /// 0 means no limit.
    public var maxParticipants: Int
    /// Seconds an empty room stays open before it is closed.
    public var emptyTimeoutSeconds: Int
    /// Free-form text set by the embedding application.
    public var metadata: String
    public var createdAt: Date
    /// When the room finished; nil while it is open.
    public var closedAt: Date?

    /// Whether the room still accepts participants.
    public var isOpen: Bool { closedAt == nil }
}

/// What an application asks for when it creates a room.
public struct NewRoom: Sendable, Equatable {
    public var name: String
    public var maxParticipants: Int
    public var emptyTimeoutSeconds: Int
    public var metadata: String

    public init(name: String, maxParticipants: Int = 0, emptyTimeoutSeconds: Int = 300, metadata: String = "") {
        self.name = name
        self.maxParticipants = maxParticipants
        self.emptyTimeoutSeconds = emptyTimeoutSeconds
        self.metadata = metadata
    }
}
