/// One track the server sends to a subscriber: one `sendonly` m-section of the subscriber
/// offer (RFC 8829 §5.2.1), announced with RFC 8830 `a=msid` and RFC 5576 `a=ssrc` lines.
///
/// Mids are the caller's: a track keeps its mid for the life of the peer connection, and a
/// removed track stays in the list with `isActive == false` (see `SDPOfferer` for why).
public struct SDPOutgoingTrack: Sendable, Hashable {
    /// RFC 8843 §7.2 / RFC 5888: stable across renegotiations, unique in the connection.
    public var mid: String
    /// `.audio` or `.video`.
    public var kind: SDPMediaKind
    /// The one format this track is forwarded in, with the payload type the server chose.
    /// `retransmissionPayloadType` adds an RFC 4588 `rtx` format with `apt=` this one;
    /// `feedback` lists the `a=rtcp-fb` types offered (written per payload type).
    public var codec: SDPCodec
    /// SSRC, RTX SSRC, CNAME, stream and track ids the browser sees.
    public var stream: SDPOutgoingStream
    /// False for a track that was unsubscribed: its section stays, `a=inactive`, without
    /// `a=msid` or `a=ssrc` lines.
    public var isActive: Bool

    public init(mid: String, kind: SDPMediaKind, codec: SDPCodec, stream: SDPOutgoingStream, isActive: Bool = true) {
        self.mid = mid
        self.kind = kind
        self.codec = codec
        self.stream = stream
        self.isActive = isActive
    }

    /// The same with the stream's fields given one by one.
    public init(mid: String, kind: SDPMediaKind, codec: SDPCodec, ssrc: UInt32, rtxSSRC: UInt32? = nil,
                cname: String, streamID: String, trackID: String, isActive: Bool = true) {
        self.init(mid: mid, kind: kind, codec: codec,
                  stream: SDPOutgoingStream(ssrc: ssrc, rtxSSRC: rtxSSRC, cname: cname, streamID: streamID,
                                            trackID: trackID),
                  isActive: isActive)
    }
}

/// RFC 8841: the data channel m-section of a subscriber offer.
public struct SDPOfferDataChannel: Sendable, Hashable {
    public var mid: String
    /// RFC 8841 §5: the server's SCTP port.
    public var sctpPort: UInt16
    /// RFC 8841 §6: the largest message the server accepts.
    public var maxMessageSize: UInt64

    public init(mid: String, sctpPort: UInt16 = 5000, maxMessageSize: UInt64 = 262_144) {
        self.mid = mid
        self.sctpPort = sctpPort
        self.maxMessageSize = maxMessageSize
    }
}

/// One m-section of a subscriber offer, in the order the caller keeps stable.
public enum SDPOfferMedia: Sendable, Hashable {
    case track(SDPOutgoingTrack)
    case dataChannel(SDPOfferDataChannel)

    public var mid: String {
        switch self {
        case .track(let track): track.mid
        case .dataChannel(let channel): channel.mid
        }
    }
}

/// An RTP header extension the server offers (RFC 8285 §5), with the id the server chose.
/// The same URI keeps the same id in every section: one BUNDLE transport, one id space.
public struct SDPOfferHeaderExtension: Sendable, Hashable {
    /// 1...14 fit the one-byte header; 15...255 need the two-byte one (RFC 8285 §4.3),
    /// which `a=extmap-allow-mixed` permits.
    public var id: UInt16
    public var uri: String
    /// The media kinds whose sections carry this extension.
    public var kinds: [SDPMediaKind]

    public init(id: UInt16, uri: String, kinds: [SDPMediaKind] = [.audio, .video]) {
        self.id = id
        self.uri = uri
        self.kinds = kinds
    }

    public static let audioLevelURI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    public static let absSendTimeURI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    public static let transportWideCCURI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    public static let midURI = "urn:ietf:params:rtp-hdrext:sdes:mid"

    /// RFC 6464 audio level (audio only), abs-send-time, transport-wide cc and RFC 8843 §15 mid,
    /// with the ids libwebrtc itself uses for them.
    public static let subscriberDefaults: [SDPOfferHeaderExtension] = [
        SDPOfferHeaderExtension(id: 1, uri: audioLevelURI, kinds: [.audio]),
        SDPOfferHeaderExtension(id: 2, uri: absSendTimeURI),
        SDPOfferHeaderExtension(id: 3, uri: transportWideCCURI),
        SDPOfferHeaderExtension(id: 4, uri: midURI),
    ]
}

/// What the server puts in an offer on a subscriber peer connection.
public struct SDPOfferOptions: Sendable {
    /// The server's ICE-lite credentials (RFC 8445 §2.5); the same for every renegotiation
    /// unless ICE restarts (RFC 8839 §4.4.1.1.1).
    public var iceCredentials: SDPICECredentials
    /// The digest of the server's DTLS certificate (RFC 8122 §5).
    public var fingerprint: SDPFingerprint
    /// All server candidates; a lite agent has them all, so `a=end-of-candidates` follows.
    public var candidates: [SDPCandidate]
    /// `o=` session id: the same for every offer of the connection (RFC 3264 §8).
    public var sessionID: UInt64
    /// `o=` session version: one more than in the previous offer (RFC 3264 §8).
    public var sessionVersion: UInt64
    /// Every section the connection has ever negotiated, in a fixed order; new ones appended.
    public var media: [SDPOfferMedia]
    public var headerExtensions: [SDPOfferHeaderExtension]
    /// `a=ice-options` tokens for each section; empty writes none.
    public var iceOptions: [String]

    public init(iceCredentials: SDPICECredentials, fingerprint: SDPFingerprint, candidates: [SDPCandidate],
                sessionID: UInt64, sessionVersion: UInt64, media: [SDPOfferMedia],
                headerExtensions: [SDPOfferHeaderExtension] = SDPOfferHeaderExtension.subscriberDefaults,
                iceOptions: [String] = []) {
        self.iceCredentials = iceCredentials
        self.fingerprint = fingerprint
        self.candidates = candidates
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.media = media
        self.headerExtensions = headerExtensions
        self.iceOptions = iceOptions
    }

    /// The usual layout: the data channel (if any) first — the server opens it with the
    /// connection, so it is the BUNDLE tag for the connection's whole life and never goes
    /// inactive — then the tracks in the order given.
    public init(iceCredentials: SDPICECredentials, fingerprint: SDPFingerprint, candidates: [SDPCandidate],
                sessionID: UInt64, sessionVersion: UInt64, tracks: [SDPOutgoingTrack],
                dataChannel: SDPOfferDataChannel? = nil,
                headerExtensions: [SDPOfferHeaderExtension] = SDPOfferHeaderExtension.subscriberDefaults,
                iceOptions: [String] = []) {
        let media = (dataChannel.map { [SDPOfferMedia.dataChannel($0)] } ?? []) + tracks.map(SDPOfferMedia.track)
        self.init(iceCredentials: iceCredentials, fingerprint: fingerprint, candidates: candidates,
                  sessionID: sessionID, sessionVersion: sessionVersion, media: media,
                  headerExtensions: headerExtensions, iceOptions: iceOptions)
    }

    public var tracks: [SDPOutgoingTrack] {
        media.compactMap { if case .track(let track) = $0 { track } else { nil } }
    }

    public var dataChannel: SDPOfferDataChannel? {
        for case .dataChannel(let channel) in media { return channel }
        return nil
    }
}
