// Payloads of client → server messages (the `data` object of the envelope).

/// Who the client is, for logs and for server-side workarounds per SDK.
public struct ClientInfo: Sendable, Equatable, Codable {
    /// SDK name, e.g. "parley-js", "parley-swift".
    public var sdk: String
    public var sdkVersion: String
    public var os: String?
    public var browser: String?

    public init(sdk: String, sdkVersion: String, os: String? = nil, browser: String? = nil) {
        self.sdk = sdk
        self.sdkVersion = sdkVersion
        self.os = os
        self.browser = browser
    }
}

/// Asks to continue an interrupted session instead of joining as a new participant.
public struct ResumeRequest: Sendable, Equatable, Codable {
    /// The `participant.sid` from the previous `joined`.
    public var participantSid: String
    /// The `reconnectToken` from the previous `joined` (single use; the new `joined` brings a
    /// fresh one).
    public var reconnectToken: String

    public init(participantSid: String, reconnectToken: String) {
        self.participantSid = participantSid
        self.reconnectToken = reconnectToken
    }
}

/// `join`: the first message on a new socket. Room and identity come from the access token, so
/// this carries only what the token cannot: client info, preferences, and an optional resume.
public struct JoinRequest: Sendable, Equatable, Codable {
    public var client: ClientInfo
    /// Subscribe to every track published in the room without an `update_subscription`.
    public var autoSubscribe: Bool
    public var resume: ResumeRequest?

    public init(client: ClientInfo, autoSubscribe: Bool = true, resume: ResumeRequest? = nil) {
        self.client = client
        self.autoSubscribe = autoSubscribe
        self.resume = resume
    }

    /// `autoSubscribe` may be left out: it defaults to true (docs/signaling.md).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        client = try container.decode(ClientInfo.self, forKey: .client)
        autoSubscribe = try container.decodeIfPresent(Bool.self, forKey: .autoSubscribe) ?? true
        resume = try container.decodeIfPresent(ResumeRequest.self, forKey: .resume)
    }
}

/// A track the client is adding in a `publish_offer`.
public struct PublishTrackRequest: Sendable, Equatable, Codable {
    /// Client-chosen id (e.g. the `MediaStreamTrack.id`), echoed in `track_published.cid` so
    /// the client learns the server's `sid` for it.
    public var cid: String
    public var kind: SignalingTrackKind
    public var source: SignalingTrackSource
    public var name: String
    /// Simulcast layers lowest first (at most 3); empty for audio or a single encoding.
    public var layers: [SimulcastLayer]
    public var muted: Bool

    public init(cid: String, kind: SignalingTrackKind, source: SignalingTrackSource, name: String,
                layers: [SimulcastLayer] = [], muted: Bool = false) {
        self.cid = cid
        self.kind = kind
        self.source = source
        self.name = name
        self.layers = layers
        self.muted = muted
    }

    enum CodingKeys: String, CodingKey { case cid, kind, source, name, layers, muted }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cid = try c.decode(String.self, forKey: .cid)
        kind = try c.decode(SignalingTrackKind.self, forKey: .kind)
        source = try c.decode(SignalingTrackSource.self, forKey: .source)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        layers = try c.decodeIfPresent([SimulcastLayer].self, forKey: .layers) ?? []
        muted = try c.decodeIfPresent(Bool.self, forKey: .muted) ?? false
        try signalingRequire(!cid.isEmpty && cid.utf8.count <= 256, decoder, CodingKeys.cid)
        try signalingRequire(layers.count <= signalingMaxSimulcastLayers, decoder, CodingKeys.layers)
        try signalingRequire(kind == .video || layers.isEmpty, decoder, CodingKeys.layers)
    }
}

/// `publish_offer`: an SDP offer for the publisher connection (client → server). Each offer
/// lists the tracks it adds and the sids of tracks it removes; tracks not named keep their state.
public struct PublishOffer: Sendable, Equatable, Codable {
    public var sdp: String
    public var tracks: [PublishTrackRequest]
    /// Sids of previously published tracks whose transceivers this offer stops.
    public var unpublish: [String]

    public init(sdp: String, tracks: [PublishTrackRequest] = [], unpublish: [String] = []) {
        self.sdp = sdp
        self.tracks = tracks
        self.unpublish = unpublish
    }

    enum CodingKeys: String, CodingKey { case sdp, tracks, unpublish }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sdp = try c.decode(String.self, forKey: .sdp)
        tracks = try c.decodeIfPresent([PublishTrackRequest].self, forKey: .tracks) ?? []
        unpublish = try c.decodeIfPresent([String].self, forKey: .unpublish) ?? []
        try signalingRequire(!sdp.isEmpty, decoder, CodingKeys.sdp)
        var cids = Set<String>()
        try signalingRequire(tracks.allSatisfy { cids.insert($0.cid).inserted }, decoder, CodingKeys.tracks)
    }
}

/// `subscribe_answer`: the client's SDP answer to a `subscribe_offer` of the same `version`.
public struct SubscribeAnswer: Sendable, Equatable, Codable {
    public var sdp: String
    /// The `version` of the `subscribe_offer` being answered; a stale answer is rejected with
    /// `invalid_state`.
    public var version: Int

    public init(sdp: String, version: Int) {
        self.sdp = sdp
        self.version = version
    }

    enum CodingKeys: String, CodingKey { case sdp, version }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sdp = try c.decode(String.self, forKey: .sdp)
        version = try c.decode(Int.self, forKey: .version)
        try signalingRequire(!sdp.isEmpty, decoder, CodingKeys.sdp)
        try signalingRequire(version >= 1, decoder, CodingKeys.version)
    }
}

/// `trickle`, both directions: one ICE candidate for one of the two peer connections.
public struct TrickleCandidate: Sendable, Equatable, Codable {
    public var target: PeerConnectionTarget
    public var candidate: ICECandidateInit

    public init(target: PeerConnectionTarget, candidate: ICECandidateInit) {
        self.target = target
        self.candidate = candidate
    }
}

/// `update_subscription`: subscribe to / unsubscribe from one track, and cap what is sent.
/// Either `maxLayer` or the rendered `width`×`height` (the server picks the smallest layer that
/// covers it) may be given; with both, the lower of the two wins.
public struct SubscriptionUpdate: Sendable, Equatable, Codable {
    public var trackSid: String
    public var subscribe: Bool
    /// Highest simulcast layer to receive, 0 (lowest) ... 2.
    public var maxLayer: Int?
    /// Size of the element the video is rendered in, in CSS pixels times devicePixelRatio.
    public var width: Int?
    public var height: Int?
    /// Pinned videos get the subscriber's downlink first when it is short; absent keeps what the
    /// last update said (not pinned at first).
    public var pinned: Bool?

    public init(trackSid: String, subscribe: Bool, maxLayer: Int? = nil, width: Int? = nil, height: Int? = nil,
                pinned: Bool? = nil) {
        self.trackSid = trackSid
        self.subscribe = subscribe
        self.maxLayer = maxLayer
        self.width = width
        self.height = height
        self.pinned = pinned
    }

    enum CodingKeys: String, CodingKey { case trackSid, subscribe, maxLayer, width, height, pinned }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trackSid = try c.decode(String.self, forKey: .trackSid)
        subscribe = try c.decode(Bool.self, forKey: .subscribe)
        maxLayer = try c.decodeIfPresent(Int.self, forKey: .maxLayer)
        width = try c.decodeIfPresent(Int.self, forKey: .width)
        height = try c.decodeIfPresent(Int.self, forKey: .height)
        pinned = try c.decodeIfPresent(Bool.self, forKey: .pinned)
        try signalingRequire(!trackSid.isEmpty, decoder, CodingKeys.trackSid)
        try signalingRequire(maxLayer.map { (0..<signalingMaxSimulcastLayers).contains($0) } ?? true, decoder, CodingKeys.maxLayer)
        try signalingRequire(width.map { $0 >= 0 && $0 <= 16384 } ?? true, decoder, CodingKeys.width)
        try signalingRequire(height.map { $0 >= 0 && $0 <= 16384 } ?? true, decoder, CodingKeys.height)
        // A rendered size is a pair.
        try signalingRequire((width == nil) == (height == nil), decoder, width == nil ? CodingKeys.width : CodingKeys.height)
    }
}

/// `mute`: the client muted or unmuted one of its own published tracks.
public struct MuteRequest: Sendable, Equatable, Codable {
    public var trackSid: String
    public var muted: Bool

    public init(trackSid: String, muted: Bool) {
        self.trackSid = trackSid
        self.muted = muted
    }
}

/// `leave` from the client: no fields.
public struct ClientLeave: Sendable, Equatable, Codable {
    public init() {}
}

/// `ping`: keeps the socket alive and measures round-trip time.
public struct PingPayload: Sendable, Equatable, Codable {
    /// Client clock, milliseconds since the Unix epoch; echoed in `pong`.
    public var timestamp: Int64

    public init(timestamp: Int64) { self.timestamp = timestamp }
}
