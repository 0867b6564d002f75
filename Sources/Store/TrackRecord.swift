public import Foundation

/// The media kind of a published track. Stored as its raw value.
public enum TrackKind: String, Codable, Sendable, CaseIterable {
    case audio
    case video
}

/// What a track carries (LiveKit's `TrackSource`). Stored as its raw value.
public enum TrackSource: String, Codable, Sendable, CaseIterable {
    case unknown
    case camera
    case microphone
    case screenShare
    case screenShareAudio
}

/// A track a participant published, as stored. Unpublished tracks keep their row (with
/// `unpublishedAt`) until the room is deleted.
public struct TrackRecord: Codable, Equatable, Sendable {
    public var roomID: Int64
    public var participantIdentity: String
    /// The track's id, unique within its room (the SFU's track sid).
    public var trackID: String
    public var kind: TrackKind
    public var source: TrackSource
    public var muted: Bool
    public var publishedAt: Date
    public var unpublishedAt: Date?

    public init(roomID: Int64, participantIdentity: String, trackID: String, kind: TrackKind,
                source: TrackSource, muted: Bool, publishedAt: Date, unpublishedAt: Date?) {
        self.roomID = roomID
        self.participantIdentity = participantIdentity
        self.trackID = trackID
        self.kind = kind
        self.source = source
        self.muted = muted
        self.publishedAt = publishedAt
        self.unpublishedAt = unpublishedAt
    }

    /// Still published.
    public var isActive: Bool { unpublishedAt == nil }
}
