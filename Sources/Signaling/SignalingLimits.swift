/// Bounds on what one signaling session may do. The server checks them per message and
/// answers a violation with an `error` (code in parentheses), never by crashing or silently
/// dropping the socket.
public struct SignalingLimits: Sendable, Equatable {
    /// Largest client → server WebSocket message, checked before any parsing (`message_too_large`).
    /// Server → client messages are not bound by it (`joined` in a full room is larger).
    public var maxMessageBytes: Int
    /// Sustained client messages per second (`rate_limited`), enforced by `MessageRateLimiter`.
    public var maxMessagesPerSecond: Int
    /// Messages a client may send at once above the sustained rate (ICE trickle comes in bursts).
    public var messageBurst: Int
    /// Participants in one room (`room_full` on `join`).
    public var maxParticipantsPerRoom: Int
    /// Tracks one participant may have published at a time (`too_many_tracks`).
    public var maxTracksPerParticipant: Int
    /// How long a dropped session is kept for `join.resume` (seconds). After that the
    /// participant is removed (`participant_left`, reason `connection_lost`).
    public var resumeGracePeriodSeconds: Int
    /// Time from WebSocket upgrade to `join` before the server closes the socket (seconds).
    public var joinTimeoutSeconds: Int
    /// `joined.pingInterval` and `joined.pingTimeout` (seconds).
    public var pingIntervalSeconds: Int
    public var pingTimeoutSeconds: Int

    public init(maxMessageBytes: Int = 64 * 1024, maxMessagesPerSecond: Int = 50, messageBurst: Int = 100,
                maxParticipantsPerRoom: Int = 100, maxTracksPerParticipant: Int = 16,
                resumeGracePeriodSeconds: Int = 20, joinTimeoutSeconds: Int = 10,
                pingIntervalSeconds: Int = 10, pingTimeoutSeconds: Int = 30) {
        self.maxMessageBytes = maxMessageBytes
        self.maxMessagesPerSecond = maxMessagesPerSecond
        self.messageBurst = messageBurst
        self.maxParticipantsPerRoom = maxParticipantsPerRoom
        self.maxTracksPerParticipant = maxTracksPerParticipant
        self.resumeGracePeriodSeconds = resumeGracePeriodSeconds
        self.joinTimeoutSeconds = joinTimeoutSeconds
        self.pingIntervalSeconds = pingIntervalSeconds
        self.pingTimeoutSeconds = pingTimeoutSeconds
    }

    /// The values documented in docs/signaling.md.
    public static let `default` = SignalingLimits()

    /// Whether a new participant may join a room that holds `currentParticipants` (a resume
    /// does not count: its participant is still in the room).
    public func admitsJoin(currentParticipants: Int) -> SignalingErrorCode? {
        currentParticipants < maxParticipantsPerRoom ? nil : .roomFull
    }

    /// Whether `offer` may be applied by a participant that has `publishedTracks` tracks now.
    public func admitsPublish(_ offer: PublishOffer, publishedTracks: Int) -> SignalingErrorCode? {
        let after = publishedTracks - offer.unpublish.count + offer.tracks.count
        return after <= maxTracksPerParticipant ? nil : .tooManyTracks
    }
}
