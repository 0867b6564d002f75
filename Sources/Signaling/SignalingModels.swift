// Value types shared by several signaling messages. JSON keys are camelCase; enumerated
// string values are snake_case.

/// Media kind of a track.
public enum SignalingTrackKind: String, Sendable, Codable, CaseIterable {
    case audio, video
}

/// What a track carries, so a UI can place it (camera tile vs. screen share). Same values as
/// the SFU's `TrackSource`, plus the audio of a shared screen.
public enum SignalingTrackSource: String, Sendable, Codable, CaseIterable {
    case camera, microphone
    case screenShare = "screen_share"
    case screenShareAudio = "screen_share_audio"
    case unknown
}

/// Which of a participant's two peer connections an ICE candidate belongs to. `publisher`
/// carries media client → server (client offers), `subscriber` server → client (server offers).
public enum PeerConnectionTarget: String, Sendable, Codable, CaseIterable {
    case publisher, subscriber
}

/// Coarse link quality the server estimates per participant from loss, RTT and jitter.
public enum SignalingConnectionQuality: String, Sendable, Codable, CaseIterable {
    case excellent, good, poor, lost
}

/// Why a session ended (`leave`) or a participant left the room (`participant_left`).
/// An open set: a client must treat a value it does not know like `unknown`, so the server may
/// add reasons without a protocol version bump.
public struct SignalingLeaveReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    // Codable comes from the standard library's RawRepresentable support: a single string.
    public var description: String { rawValue }

    /// The client sent `leave`.
    public static let clientLeft = SignalingLeaveReason(rawValue: "client_left")
    /// The connection dropped and was not resumed within the grace period.
    public static let connectionLost = SignalingLeaveReason(rawValue: "connection_lost")
    /// Removed by the room's owner through the REST API.
    public static let kicked = SignalingLeaveReason(rawValue: "kicked")
    /// The room was deleted through the REST API.
    public static let roomDeleted = SignalingLeaveReason(rawValue: "room_deleted")
    /// The server is draining; reconnecting (to another node) will work.
    public static let serverShutdown = SignalingLeaveReason(rawValue: "server_shutdown")
    /// Another session joined with the same identity; the older one is closed.
    public static let duplicateIdentity = SignalingLeaveReason(rawValue: "duplicate_identity")
    /// The access token expired or was revoked.
    public static let tokenExpired = SignalingLeaveReason(rawValue: "token_expired")
    /// Anything this build does not know.
    public static let unknown = SignalingLeaveReason(rawValue: "unknown")
}

/// Why the server stopped forwarding a subscribed track without the client asking.
/// Open set like `SignalingLeaveReason`.
public struct SubscriptionPauseReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    // Codable comes from the standard library's RawRepresentable support: a single string.
    public var description: String { rawValue }

    /// The subscriber's estimated downlink cannot carry even the lowest layer.
    public static let bandwidth = SubscriptionPauseReason(rawValue: "bandwidth")
    /// The publisher stopped sending (e.g. its own uplink is congested).
    public static let publisherInactive = SubscriptionPauseReason(rawValue: "publisher_inactive")
    /// Forwarding resumed (`paused: false`); no reason applies.
    public static let none = SubscriptionPauseReason(rawValue: "none")
}

/// One simulcast encoding of a video track. `rid` is the RTP stream id of RFC 8851; layers are
/// listed lowest quality first, so the index is the layer number used by `maxLayer`.
public struct SimulcastLayer: Sendable, Equatable, Codable {
    public var rid: String
    public var width: Int
    public var height: Int
    /// Bits per second the encoder is configured for.
    public var maxBitrate: Int

    public init(rid: String, width: Int, height: Int, maxBitrate: Int) {
        self.rid = rid
        self.width = width
        self.height = height
        self.maxBitrate = maxBitrate
    }

    enum CodingKeys: String, CodingKey { case rid, width, height, maxBitrate }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rid = try c.decode(String.self, forKey: .rid)
        width = try c.decode(Int.self, forKey: .width)
        height = try c.decode(Int.self, forKey: .height)
        maxBitrate = try c.decode(Int.self, forKey: .maxBitrate)
        // RFC 8851 §4: a rid is 1-255 alphanumerics (plus '-' and '_').
        try signalingRequire(!rid.isEmpty && rid.utf8.count <= 255
            && rid.utf8.allSatisfy(Self.isRIDByte),
            decoder, CodingKeys.rid)
        try signalingRequire(width >= 0 && width <= 16384, decoder, CodingKeys.width)
        try signalingRequire(height >= 0 && height <= 16384, decoder, CodingKeys.height)
        try signalingRequire(maxBitrate >= 0, decoder, CodingKeys.maxBitrate)
    }

    private static func isRIDByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
    }
}

/// The most simulcast layers a track may announce (low, medium, high).
public let signalingMaxSimulcastLayers = 3

/// A published track as other participants see it.
public struct SignalingTrackInfo: Sendable, Equatable, Codable {
    /// Server-assigned track id (`TR_...`), unique in the room.
    public var sid: String
    public var kind: SignalingTrackKind
    public var source: SignalingTrackSource
    /// Free label chosen by the publisher (e.g. "camera", "slides").
    public var name: String
    public var muted: Bool
    /// Simulcast layers, lowest first; empty for audio and non-simulcast video.
    public var layers: [SimulcastLayer]
    /// The SDP media id of the track on the publisher's connection, once negotiated.
    public var mid: String?

    public init(sid: String, kind: SignalingTrackKind, source: SignalingTrackSource, name: String,
                muted: Bool = false, layers: [SimulcastLayer] = [], mid: String? = nil) {
        self.sid = sid
        self.kind = kind
        self.source = source
        self.name = name
        self.muted = muted
        self.layers = layers
        self.mid = mid
    }
}

/// What a participant's token allows. Sent only for the participant's own info.
public struct ParticipantPermissions: Sendable, Equatable, Codable {
    public var canPublish: Bool
    public var canSubscribe: Bool
    /// May change its own name and metadata (through the REST API).
    public var canUpdateMetadata: Bool

    public init(canPublish: Bool, canSubscribe: Bool, canUpdateMetadata: Bool) {
        self.canPublish = canPublish
        self.canSubscribe = canSubscribe
        self.canUpdateMetadata = canUpdateMetadata
    }
}

/// A participant in the room and its published tracks.
public struct SignalingParticipantInfo: Sendable, Equatable, Codable {
    /// Server-assigned participant id (`PA_...`), new for every join (kept across a resume).
    public var sid: String
    /// Stable user id from the token's `sub`; unique in the room.
    public var identity: String
    /// Display name from the token.
    public var name: String
    /// Opaque application string (often JSON) from the token or the REST API.
    public var metadata: String
    public var tracks: [SignalingTrackInfo]
    /// Present only on the participant's own info (in `joined`).
    public var permissions: ParticipantPermissions?

    public init(sid: String, identity: String, name: String, metadata: String = "",
                tracks: [SignalingTrackInfo] = [], permissions: ParticipantPermissions? = nil) {
        self.sid = sid
        self.identity = identity
        self.name = name
        self.metadata = metadata
        self.tracks = tracks
        self.permissions = permissions
    }
}

/// The room the participant joined.
public struct SignalingRoomInfo: Sendable, Equatable, Codable {
    public var name: String
    /// Server-assigned room id (`RM_...`); a room re-created under the same name gets a new sid.
    public var sid: String
    public var metadata: String

    public init(name: String, sid: String, metadata: String = "") {
        self.name = name
        self.sid = sid
        self.metadata = metadata
    }
}

/// A STUN or TURN server for the client's `RTCPeerConnection` configuration, in the shape of
/// W3C WebRTC `RTCIceServer`, so a browser can pass it through unchanged.
public struct ICEServerInfo: Sendable, Equatable, Codable {
    public var urls: [String]
    public var username: String?
    public var credential: String?

    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }
}

/// An ICE candidate in the shape of W3C WebRTC `RTCIceCandidateInit`, so a browser can pass
/// `event.candidate.toJSON()` through. An empty `candidate` string means end-of-candidates
/// (RFC 8838 §8.2).
public struct ICECandidateInit: Sendable, Equatable, Codable {
    /// The `candidate:` attribute line of RFC 8839 §5.1 (without `a=`), or "".
    public var candidate: String
    public var sdpMid: String?
    public var sdpMLineIndex: Int?
    public var usernameFragment: String?

    public init(candidate: String, sdpMid: String? = nil, sdpMLineIndex: Int? = nil,
                usernameFragment: String? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }

    enum CodingKeys: String, CodingKey { case candidate, sdpMid, sdpMLineIndex, usernameFragment }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        candidate = try c.decode(String.self, forKey: .candidate)
        sdpMid = try c.decodeIfPresent(String.self, forKey: .sdpMid)
        sdpMLineIndex = try c.decodeIfPresent(Int.self, forKey: .sdpMLineIndex)
        usernameFragment = try c.decodeIfPresent(String.self, forKey: .usernameFragment)
        try signalingRequire(sdpMLineIndex.map { $0 >= 0 && $0 <= 65535 } ?? true, decoder, CodingKeys.sdpMLineIndex)
        // A candidate must say which m-line it belongs to (W3C addIceCandidate rejects otherwise).
        try signalingRequire(candidate.isEmpty || sdpMid != nil || sdpMLineIndex != nil, decoder, CodingKeys.sdpMid)
    }
}
