// Payloads of server → client messages (the `data` object of the envelope).

/// `joined`: the answer to `join` (also to a successful resume): who and where the client is,
/// everyone already in the room, and how to reach the server over ICE.
public struct JoinedPayload: Sendable, Equatable, Codable {
    public var room: SignalingRoomInfo
    /// The client's own participant, with `permissions`.
    public var participant: SignalingParticipantInfo
    /// Everyone else in the room, with their published tracks.
    public var participants: [SignalingParticipantInfo]
    public var iceServers: [ICEServerInfo]
    /// Opaque, single-use secret for `join.resume` after a dropped connection.
    public var reconnectToken: String
    /// Send `ping` this often (seconds).
    public var pingInterval: Int
    /// The server closes the socket after this long without any message (seconds).
    public var pingTimeout: Int
    /// True when this answers a `join` with `resume` that succeeded: the participant, its
    /// tracks and subscriptions were kept; the client must ICE-restart both connections.
    public var resumed: Bool

    public init(room: SignalingRoomInfo, participant: SignalingParticipantInfo,
                participants: [SignalingParticipantInfo], iceServers: [ICEServerInfo],
                reconnectToken: String, pingInterval: Int, pingTimeout: Int, resumed: Bool = false) {
        self.room = room
        self.participant = participant
        self.participants = participants
        self.iceServers = iceServers
        self.reconnectToken = reconnectToken
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.resumed = resumed
    }
}

/// `publish_answer`: the server's SDP answer on the publisher connection.
public struct PublishAnswer: Sendable, Equatable, Codable {
    public var sdp: String
    public init(sdp: String) { self.sdp = sdp }
}

/// `subscribe_offer`: an SDP offer on the subscriber connection. `version` increases by one
/// with every offer of the session, so an answer can be matched to its offer.
public struct SubscribeOffer: Sendable, Equatable, Codable {
    public var sdp: String
    public var version: Int
    public init(sdp: String, version: Int) {
        self.sdp = sdp
        self.version = version
    }
}

/// `participant_joined` and `participant_updated`: the participant's full current info.
public struct ParticipantPayload: Sendable, Equatable, Codable {
    public var participant: SignalingParticipantInfo
    public init(participant: SignalingParticipantInfo) { self.participant = participant }
}

/// `participant_left`: a participant is gone, and with it all its tracks.
public struct ParticipantLeft: Sendable, Equatable, Codable {
    public var sid: String
    public var reason: SignalingLeaveReason
    public init(sid: String, reason: SignalingLeaveReason) {
        self.sid = sid
        self.reason = reason
    }
}

/// `track_published`: a track became available. Sent to everyone in the room, including the
/// publisher, whose copy carries `cid` so it can map its local track to the server's `sid`.
public struct TrackPublished: Sendable, Equatable, Codable {
    public var participantSid: String
    /// The publisher's client track id; only in the copy sent to the publisher.
    public var cid: String?
    public var track: SignalingTrackInfo
    public init(participantSid: String, cid: String? = nil, track: SignalingTrackInfo) {
        self.participantSid = participantSid
        self.cid = cid
        self.track = track
    }
}

/// `track_unpublished`: the track is gone (unpublished, or its transceiver stopped).
public struct TrackUnpublished: Sendable, Equatable, Codable {
    public var participantSid: String
    public var trackSid: String
    public init(participantSid: String, trackSid: String) {
        self.participantSid = participantSid
        self.trackSid = trackSid
    }
}

/// `track_muted`: a publisher muted or unmuted a track.
public struct TrackMuted: Sendable, Equatable, Codable {
    public var participantSid: String
    public var trackSid: String
    public var muted: Bool
    public init(participantSid: String, trackSid: String, muted: Bool) {
        self.participantSid = participantSid
        self.trackSid = trackSid
        self.muted = muted
    }
}

/// One entry of `active_speakers`.
public struct SpeakerLevel: Sendable, Equatable, Codable {
    public var participantSid: String
    /// Loudness 0 (silent) ... 1 (loudest).
    public var level: Double
    public init(participantSid: String, level: Double) {
        self.participantSid = participantSid
        self.level = level
    }

    enum CodingKeys: String, CodingKey { case participantSid, level }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        participantSid = try c.decode(String.self, forKey: .participantSid)
        level = try c.decode(Double.self, forKey: .level)
        try signalingRequire(level >= 0 && level <= 1, decoder, CodingKeys.level)
    }
}

/// `active_speakers`: the complete current list, loudest first; an empty list means silence.
public struct ActiveSpeakers: Sendable, Equatable, Codable {
    public var speakers: [SpeakerLevel]
    public init(speakers: [SpeakerLevel]) { self.speakers = speakers }
}

/// One entry of `connection_quality`.
public struct ConnectionQualityInfo: Sendable, Equatable, Codable {
    public var participantSid: String
    public var quality: SignalingConnectionQuality
    public init(participantSid: String, quality: SignalingConnectionQuality) {
        self.participantSid = participantSid
        self.quality = quality
    }
}

/// `connection_quality`: only the participants whose quality changed.
public struct ConnectionQualityUpdate: Sendable, Equatable, Codable {
    public var updates: [ConnectionQualityInfo]
    public init(updates: [ConnectionQualityInfo]) { self.updates = updates }
}

/// `bandwidth_estimate`: what the server estimates the client's subscriber connection carries
/// (send-side, from transport-cc feedback) and what it sends on it now, in bits per second.
public struct BandwidthEstimate: Sendable, Equatable, Codable {
    public var availableBitrate: Int
    public var allocatedBitrate: Int
    public init(availableBitrate: Int, allocatedBitrate: Int) {
        self.availableBitrate = availableBitrate
        self.allocatedBitrate = allocatedBitrate
    }
}

/// `publication_layers` (dynacast): which encodings of one of the client's own videos anyone
/// receives. The client stops encoding the inactive ones (`RTCRtpSender.setParameters`, the
/// encoding's `active`) and starts them again when told.
public struct PublicationLayers: Sendable, Equatable, Codable {
    public var trackSid: String
    /// Every encoding of the track, lowest first.
    public var layers: [EncodingActivity]

    public init(trackSid: String, layers: [EncodingActivity]) {
        self.trackSid = trackSid
        self.layers = layers
    }
}

/// One encoding of a published video and whether to send it.
public struct EncodingActivity: Sendable, Equatable, Codable {
    /// The encoding's rid; absent when the track was published without rids (one encoding).
    public var rid: String?
    public var active: Bool

    public init(rid: String?, active: Bool) {
        self.rid = rid
        self.active = active
    }
}

/// `subscription_paused`: the server stopped (or resumed) forwarding a subscribed track on its
/// own accord, so the client can show a placeholder instead of a frozen frame.
public struct SubscriptionPaused: Sendable, Equatable, Codable {
    public var trackSid: String
    public var paused: Bool
    public var reason: SubscriptionPauseReason
    public init(trackSid: String, paused: Bool, reason: SubscriptionPauseReason) {
        self.trackSid = trackSid
        self.paused = paused
        self.reason = reason
    }
}

/// `error`: a request failed, or a message was rejected. The session stays open; only `leave`
/// ends it.
public struct SignalingErrorPayload: Sendable, Equatable, Codable {
    public var code: SignalingErrorCode
    public var message: String
    /// The envelope `id` of the client message that caused it, when it had one.
    public var requestId: Int?
    public init(code: SignalingErrorCode, message: String, requestId: Int? = nil) {
        self.code = code
        self.message = message
        self.requestId = requestId
    }
}

/// `leave` from the server: the session is over and the socket will close.
public struct ServerLeave: Sendable, Equatable, Codable {
    public var reason: SignalingLeaveReason
    /// Whether a new `join` (with a fresh token, possibly to another node) is expected to work.
    /// `resume` is never possible after a server `leave`.
    public var canReconnect: Bool
    public init(reason: SignalingLeaveReason, canReconnect: Bool) {
        self.reason = reason
        self.canReconnect = canReconnect
    }
}

/// `pong`: the answer to `ping`.
public struct PongPayload: Sendable, Equatable, Codable {
    /// The `ping`'s timestamp, echoed.
    public var timestamp: Int64
    /// Server clock, milliseconds since the Unix epoch, for clock-offset estimates.
    public var serverTime: Int64
    public init(timestamp: Int64, serverTime: Int64) {
        self.timestamp = timestamp
        self.serverTime = serverTime
    }
}

/// `data`: a message for the participant from the room's application (REST
/// `POST /v1/rooms/{room}/data`), carried on the signaling socket until data channels carry it.
public struct DataReceived: Sendable, Equatable, Codable {
    /// Sent by the server on behalf of the application: no participant sid.
    public var participantSid: String?
    /// The application's label for the kind of message (e.g. "chat").
    public var topic: String?
    /// The message, as the application sent it (UTF-8 text; JSON by convention).
    public var payload: String

    public init(participantSid: String? = nil, topic: String? = nil, payload: String) {
        self.participantSid = participantSid
        self.topic = topic
        self.payload = payload
    }
}
