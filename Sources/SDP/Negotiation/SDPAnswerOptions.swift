/// RFC 8839 §5.4: an ICE username fragment and password pair.
public struct SDPICECredentials: Sendable, Hashable {
    public var usernameFragment: String
    public var password: String

    public init(usernameFragment: String, password: String) {
        self.usernameFragment = usernameFragment
        self.password = password
    }
}

/// One RTP stream the server sends on an m-section, announced with RFC 5576 `a=ssrc` lines and
/// RFC 8830 `a=msid` so the browser maps it to a MediaStreamTrack.
public struct SDPOutgoingStream: Sendable, Hashable {
    public var ssrc: UInt32
    /// RFC 4588 retransmission SSRC, paired with `ssrc` by `a=ssrc-group:FID`.
    public var rtxSSRC: UInt32?
    public var cname: String
    public var streamID: String
    public var trackID: String

    public init(ssrc: UInt32, rtxSSRC: UInt32? = nil, cname: String, streamID: String, trackID: String) {
        self.ssrc = ssrc
        self.rtxSSRC = rtxSSRC
        self.cname = cname
        self.streamID = streamID
        self.trackID = trackID
    }
}

/// What the SFU offers to an answer: its transport parameters and what it can forward.
public struct SDPAnswerOptions: Sendable {
    /// The server's ICE-lite credentials (RFC 8445 §2.5).
    public var iceCredentials: SDPICECredentials
    /// The digest of the server's DTLS certificate (RFC 8122 §5).
    public var fingerprint: SDPFingerprint
    /// All server candidates; a lite agent knows them all up front, so the answer ends them with
    /// `a=end-of-candidates` (RFC 8840 §8.2).
    public var candidates: [SDPCandidate]
    /// In server preference order; the answer lists accepted codecs in this order.
    public var codecs: [SDPCodecCapability]
    /// Header extension URIs the server understands; other offered extmaps are dropped.
    public var headerExtensions: [String]
    /// Answer `a=simulcast:send` with `recv` (RFC 8853 §5.3); when false the offer's simulcast
    /// is declined and the browser sends a single encoding.
    public var acceptSimulcast: Bool
    /// RFC 8841 §6: the largest data channel message the server accepts.
    public var maxMessageSize: Int
    /// RFC 8841 §5: the server's SCTP port.
    public var sctpPort: UInt16
    /// By mid: the streams the server sends there. A mid listed here counts as in `sendToMids`.
    public var outgoingStreams: [String: SDPOutgoingStream]
    /// Mids on which the server will send media. The server always allows receiving.
    public var sendToMids: Set<String>
    /// `a=ice-options` tokens written in each section; empty writes none (a lite agent that
    /// gives every candidate in the answer needs no `trickle`).
    public var iceOptions: [String]
    /// `o=` session id; nil draws a random one (RFC 8866 §5.2, RFC 8829 §5.2.1).
    public var sessionID: UInt64?

    public init(iceCredentials: SDPICECredentials, fingerprint: SDPFingerprint, candidates: [SDPCandidate],
                codecs: [SDPCodecCapability] = [.opus, .vp8, .vp9, .h264, .av1],
                headerExtensions: [String] = SDPAnswerOptions.defaultHeaderExtensions,
                acceptSimulcast: Bool = true, maxMessageSize: Int = 262_144, sctpPort: UInt16 = 5000,
                outgoingStreams: [String: SDPOutgoingStream] = [:], sendToMids: Set<String> = [],
                iceOptions: [String] = [], sessionID: UInt64? = nil) {
        self.iceCredentials = iceCredentials
        self.fingerprint = fingerprint
        self.candidates = candidates
        self.codecs = codecs
        self.headerExtensions = headerExtensions
        self.acceptSimulcast = acceptSimulcast
        self.maxMessageSize = maxMessageSize
        self.sctpPort = sctpPort
        self.outgoingStreams = outgoingStreams
        self.sendToMids = sendToMids
        self.iceOptions = iceOptions
        self.sessionID = sessionID
    }

    /// The same, with the ICE credentials given as two strings.
    public init(iceUsernameFragment: String, icePassword: String, fingerprint: SDPFingerprint,
                candidates: [SDPCandidate], codecs: [SDPCodecCapability] = [.opus, .vp8, .vp9, .h264, .av1],
                headerExtensions: [String] = SDPAnswerOptions.defaultHeaderExtensions,
                acceptSimulcast: Bool = true, maxMessageSize: Int = 262_144, sctpPort: UInt16 = 5000,
                outgoingStreams: [String: SDPOutgoingStream] = [:], sendToMids: Set<String> = [],
                iceOptions: [String] = [], sessionID: UInt64? = nil) {
        self.init(iceCredentials: SDPICECredentials(usernameFragment: iceUsernameFragment, password: icePassword),
                  fingerprint: fingerprint, candidates: candidates, codecs: codecs, headerExtensions: headerExtensions,
                  acceptSimulcast: acceptSimulcast, maxMessageSize: maxMessageSize, sctpPort: sctpPort,
                  outgoingStreams: outgoingStreams, sendToMids: sendToMids, iceOptions: iceOptions,
                  sessionID: sessionID)
    }

    /// Extensions an SFU needs to demultiplex (RFC 8843 §15 mid, RFC 8852 rid/repaired-rid),
    /// to estimate bandwidth (abs-send-time, transport-wide cc) and to pick speakers
    /// (RFC 6464 audio level).
    public static let defaultHeaderExtensions: [String] = [
        "urn:ietf:params:rtp-hdrext:sdes:mid",
        "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
        "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
        "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    ]
}
