public import Foundation

/// What happened in a room. Stored as its raw value.
public enum RoomEventType: String, Codable, Sendable, CaseIterable {
    case roomStarted
    case roomFinished
    case participantJoined
    case participantLeft
    case trackPublished
    case trackUnpublished
}

/// One entry of a room's event log, written in the same transaction as the change it records.
public struct RoomEvent: Codable, Equatable, Sendable {
    /// Increases with every event written, across rooms: the log's order.
    public var id: Int64
    public var roomID: Int64
    public var at: Date
    public var type: RoomEventType
    public var participantIdentity: String?
    public var trackID: String?
    /// Human-readable detail: a leave reason, a track's kind and source.
    public var detail: String
}
