/// A participant's identity in a room (from its join token).
public typealias ParticipantID = String

/// A published track's id, unique in its room.
public typealias TrackID = String

public enum TrackKind: String, Sendable, Codable {
    case audio, video
}

public enum TrackSource: String, Sendable, Codable {
    case camera, microphone, screenShare = "screen_share", unknown
}

/// The codec a publication is sent with, as negotiated on the publisher's transport.
public struct TrackCodec: Sendable, Equatable {
    public var name: String
    public var payloadType: UInt8
    public var clockRate: UInt32

    public init(name: String, payloadType: UInt8, clockRate: UInt32) {
        self.name = name
        self.payloadType = payloadType
        self.clockRate = clockRate
    }

    /// The codecs whose payloads the router reads (for key frames and temporal layers).
    enum Kind { case vp8, vp9, h264, av1, other }

    var kind: Kind {
        switch name.lowercased() {
        case "vp8": .vp8
        case "vp9": .vp9
        case "h264": .h264
        case "av1": .av1
        default: .other
        }
    }
}

/// One encoding of a publication: a simulcast layer (lowest first), or the only one. Browsers
/// sending simulcast by `rid` do not put SSRCs in their SDP: give the rid and no SSRC, and the
/// room learns the SSRC from the `mid`/`rid` header extensions of the first packets
/// (RFC 8852 §3, RFC 8853 §5.1).
public struct TrackLayer: Sendable, Equatable {
    public var rid: String?
    public var ssrc: UInt32?
    /// The SSRC the publisher retransmits this layer on (`a=ssrc-group:FID`), if it uses RTX.
    public var rtxSSRC: UInt32?

    public init(rid: String? = nil, ssrc: UInt32? = nil, rtxSSRC: UInt32? = nil) {
        self.rid = rid
        self.ssrc = ssrc
        self.rtxSSRC = rtxSSRC
    }
}

/// What a participant publishes.
public struct TrackDescription: Sendable, Equatable {
    public var kind: TrackKind
    public var source: TrackSource
    public var codec: TrackCodec
    /// Lowest quality first.
    public var layers: [TrackLayer]
    /// Header extension ids on the publisher's transport, where negotiated.
    public var audioLevelExtensionID: UInt8?
    public var transportWideSequenceExtensionID: UInt8?
    /// The dependency descriptor's id (AV1 RTP spec Appendix A), where negotiated: the router
    /// reads key frames and temporal layers from it.
    public var dependencyDescriptorExtensionID: UInt8?
    /// The publisher's media section, and the extension ids that name it and its layers in
    /// packets; needed for layers without an SSRC.
    public var mid: String?
    public var midExtensionID: UInt8?
    public var ridExtensionID: UInt8?
    /// The `repaired-rtp-stream-id` extension's id (RFC 8852 §3.2): browsers sending simulcast by
    /// rid name the layer an RTX stream repairs this way, with no SSRC in the SDP.
    public var repairedRIDExtensionID: UInt8?
    /// Extensions forwarded to subscribers: publisher's id → the id subscribers negotiated for
    /// the same URI (RFC 8285 §6: ids are per connection). Every other extension is blanked.
    /// Nil forwards everything but `connectionExtensionIDs` under the publisher's ids.
    public var forwardedExtensionIDs: [UInt8: UInt8]?

    /// Extensions that only mean something on the publisher's connection: its mid, rid and
    /// transport-wide sequence number. The room blanks them before forwarding, so a subscriber
    /// never demultiplexes by the publisher's mid (subscribers are told the SSRCs instead).
    var connectionExtensionIDs: [UInt8] {
        [midExtensionID, ridExtensionID, repairedRIDExtensionID, transportWideSequenceExtensionID].compactMap { $0 }
    }

    public init(kind: TrackKind, source: TrackSource, codec: TrackCodec, layers: [TrackLayer],
                audioLevelExtensionID: UInt8? = nil, transportWideSequenceExtensionID: UInt8? = nil,
                mid: String? = nil, midExtensionID: UInt8? = nil, ridExtensionID: UInt8? = nil,
                repairedRIDExtensionID: UInt8? = nil,
                forwardedExtensionIDs: [UInt8: UInt8]? = nil, dependencyDescriptorExtensionID: UInt8? = nil) {
        self.repairedRIDExtensionID = repairedRIDExtensionID
        self.forwardedExtensionIDs = forwardedExtensionIDs
        self.dependencyDescriptorExtensionID = dependencyDescriptorExtensionID
        self.mid = mid
        self.midExtensionID = midExtensionID
        self.ridExtensionID = ridExtensionID
        self.kind = kind
        self.source = source
        self.codec = codec
        self.layers = layers
        self.audioLevelExtensionID = audioLevelExtensionID
        self.transportWideSequenceExtensionID = transportWideSequenceExtensionID
    }
}

/// What a subscriber wants of one publication.
public struct SubscriptionPreferences: Sendable, Equatable {
    /// Highest simulcast layer to receive (0 = lowest); nil = the best there is.
    public var maxSpatialLayer: Int?
    /// Paused subscriptions receive nothing (a hidden video tile).
    public var paused: Bool
    /// The RTX payload type the subscriber negotiated for this codec (RFC 4588); nil: NACKed
    /// packets are resent as they were.
    public var rtxPayloadType: UInt8?
    /// The payload type the subscriber negotiated for the codec, when it differs from the
    /// publisher's (payload types are per connection, RFC 3264 §5.1); nil keeps the publisher's.
    public var payloadType: UInt8?

    /// Highest temporal layer to receive (0 = the base frame rate); nil = all of them.
    public var maxTemporalLayer: UInt8?
    /// The subscriber pinned this video: when its downlink is short, it gets its layers before
    /// any other video does.
    public var pinned: Bool

    public init(maxSpatialLayer: Int? = nil, paused: Bool = false, rtxPayloadType: UInt8? = nil,
                payloadType: UInt8? = nil, maxTemporalLayer: UInt8? = nil, pinned: Bool = false) {
        self.maxTemporalLayer = maxTemporalLayer
        self.pinned = pinned
        self.maxSpatialLayer = maxSpatialLayer
        self.paused = paused
        self.rtxPayloadType = rtxPayloadType
        self.payloadType = payloadType
    }
}

/// What the subscriber's side must know to receive a subscription: the SSRC and payload type
/// the server sends it with.
public struct SubscriptionInfo: Sendable, Equatable {
    public let trackID: TrackID
    public let ssrc: UInt32
    public let payloadType: UInt8
    /// The SSRC retransmissions come with, when the subscriber uses RTX (`a=ssrc-group:FID`).
    public let rtxSSRC: UInt32?
}

/// Which of a participant's transports: the one its media arrives on, or the one media to it
/// leaves on (the same transport unless it joined with two).
public enum TransportRole: String, Sendable, Hashable {
    case publisher, subscriber
}

/// Events a room raises for signaling.
public enum RoomEvent: Sendable, Equatable {
    case participantJoined(ParticipantID)
    case participantLeft(ParticipantID)
    case trackPublished(TrackID, by: ParticipantID)
    case trackUnpublished(TrackID)
    case activeSpeakerChanged(ParticipantID?)
    /// A participant's connection got better or worse (rated every 2 s).
    case connectionQualityChanged(ParticipantID, ConnectionQuality)
    /// The subscriber's downlink cannot carry even the track's lowest layer (paused), or can again.
    case subscriptionPausedForBandwidth(ParticipantID, TrackID, paused: Bool)
    /// Every second while send-side estimation runs: the subscriber's downlink estimate and what
    /// the allocation sends it (bits/s).
    case downlinkEstimated(ParticipantID, availableBitrate: Int, allocatedBitrate: Int)
    /// Dynacast: which of a video's layers someone receives, so its publisher (the participant
    /// named) can stop encoding the others, or must start them again.
    case publicationLayersWanted(ParticipantID, TrackID, [LayerActivity])
}

/// One simulcast layer of a publication and whether any subscriber wants it.
public struct LayerActivity: Sendable, Equatable {
    /// The layer's rid, when the publisher named its encodings (RFC 8851).
    public let rid: String?
    public let active: Bool

    public init(rid: String?, active: Bool) {
        self.rid = rid
        self.active = active
    }
}

public enum RoomError: Error, Equatable, Sendable {
    case participantExists(ParticipantID)
    case unknownParticipant(ParticipantID)
    case unknownTrack(TrackID)
    case alreadySubscribed(TrackID)
    case notSubscribed(TrackID)
    case invalidTrack(String)
}
