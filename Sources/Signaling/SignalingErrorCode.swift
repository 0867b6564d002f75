/// The `code` of a server → client `error` message. Stable snake_case strings on the wire;
/// clients switch on them, so a code is never renamed within a protocol version.
public enum SignalingErrorCode: String, Sendable, Codable, CaseIterable {
    /// Not JSON, unknown `type`, missing or invalid field. The message was ignored.
    case badMessage = "bad_message"
    /// The envelope's `v` is not a version this server speaks.
    case unsupportedVersion = "unsupported_version"
    /// The frame exceeded `SignalingLimits.maxMessageBytes`.
    case messageTooLarge = "message_too_large"
    /// More than `SignalingLimits.maxMessagesPerSecond` (after the burst allowance).
    case rateLimited = "rate_limited"
    /// The socket's token does not authorize the request (e.g. a resume of another identity).
    /// A bad token at upgrade is HTTP 401 instead; expiry mid-session is `leave` `token_expired`.
    case unauthorized
    /// The token is valid but does not grant this action (e.g. publish without `canPublish`).
    case forbidden
    /// The track or participant sid named in the request does not exist (any more).
    case notFound = "not_found"
    /// The room already holds `SignalingLimits.maxParticipantsPerRoom` participants.
    case roomFull = "room_full"
    /// Publishing would exceed `SignalingLimits.maxTracksPerParticipant`.
    case tooManyTracks = "too_many_tracks"
    /// The message is valid but not now: e.g. `publish_offer` before `join`, a second `join`,
    /// or a `subscribe_answer` whose `version` is not the outstanding offer's.
    case invalidState = "invalid_state"
    /// `join.resume` named a session that is unknown, expired past the grace period, or whose
    /// reconnect token does not match. The client must join afresh.
    case resumeFailed = "resume_failed"
    /// The server could not process the SDP (unsupported codecs, no usable m-line, ...).
    case negotiationFailed = "negotiation_failed"
    /// A bug or resource failure on the server.
    case `internal`
}
