/// A message from server to client. Encoded as `{"v":1,"type":…,"data":{…}}`; Codable through
/// `SignalingEnvelope`.
public enum ServerMessage: Sendable, Equatable {
    /// Answer to `join`: own identity, room, participants with tracks, ICE servers.
    case joined(JoinedPayload)
    /// SDP answer on the publisher connection.
    case publishAnswer(PublishAnswer)
    /// SDP offer on the subscriber connection.
    case subscribeOffer(SubscribeOffer)
    /// An ICE candidate of the server for one of the client's two connections.
    case trickle(TrickleCandidate)
    case participantJoined(ParticipantPayload)
    /// Name, metadata or permissions of a participant changed.
    case participantUpdated(ParticipantPayload)
    case participantLeft(ParticipantLeft)
    case trackPublished(TrackPublished)
    case trackUnpublished(TrackUnpublished)
    case trackMuted(TrackMuted)
    case activeSpeakers(ActiveSpeakers)
    case connectionQuality(ConnectionQualityUpdate)
    case subscriptionPaused(SubscriptionPaused)
    /// The server's estimate of the client's downlink, once a second while it has one.
    case bandwidthEstimate(BandwidthEstimate)
    /// Dynacast: which encodings of one of the client's own videos anyone receives.
    case publicationLayers(PublicationLayers)
    case error(SignalingErrorPayload)
    /// The session is over; the server closes the socket after sending it.
    case leave(ServerLeave)
    case pong(PongPayload)
    /// A message from the room's application.
    case data(DataReceived)

    /// Every `type` string a server may send.
    public static let allTypes = ["joined", "publish_answer", "subscribe_offer", "trickle",
                                  "participant_joined", "participant_updated", "participant_left",
                                  "track_published", "track_unpublished", "track_muted",
                                  "active_speakers", "connection_quality", "subscription_paused",
                                  "bandwidth_estimate", "publication_layers", "error", "leave", "pong", "data"]

    /// The envelope `type` of this message.
    public var type: String {
        switch self {
        case .joined: "joined"
        case .publishAnswer: "publish_answer"
        case .subscribeOffer: "subscribe_offer"
        case .trickle: "trickle"
        case .participantJoined: "participant_joined"
        case .participantUpdated: "participant_updated"
        case .participantLeft: "participant_left"
        case .trackPublished: "track_published"
        case .trackUnpublished: "track_unpublished"
        case .trackMuted: "track_muted"
        case .activeSpeakers: "active_speakers"
        case .connectionQuality: "connection_quality"
        case .subscriptionPaused: "subscription_paused"
        case .bandwidthEstimate: "bandwidth_estimate"
        case .publicationLayers: "publication_layers"
        case .error: "error"
        case .leave: "leave"
        case .pong: "pong"
        case .data: "data"
        }
    }
}

extension ServerMessage: SignalingEnvelopeMessage {
    init(type: String, from c: KeyedDecodingContainer<SignalingEnvelopeKey>) throws {
        switch type {
        case "joined": self = .joined(try c.decode(JoinedPayload.self, forKey: .data))
        case "publish_answer": self = .publishAnswer(try c.decode(PublishAnswer.self, forKey: .data))
        case "subscribe_offer": self = .subscribeOffer(try c.decode(SubscribeOffer.self, forKey: .data))
        case "trickle": self = .trickle(try c.decode(TrickleCandidate.self, forKey: .data))
        case "participant_joined": self = .participantJoined(try c.decode(ParticipantPayload.self, forKey: .data))
        case "participant_updated": self = .participantUpdated(try c.decode(ParticipantPayload.self, forKey: .data))
        case "participant_left": self = .participantLeft(try c.decode(ParticipantLeft.self, forKey: .data))
        case "track_published": self = .trackPublished(try c.decode(TrackPublished.self, forKey: .data))
        case "track_unpublished": self = .trackUnpublished(try c.decode(TrackUnpublished.self, forKey: .data))
        case "track_muted": self = .trackMuted(try c.decode(TrackMuted.self, forKey: .data))
        case "active_speakers": self = .activeSpeakers(try c.decode(ActiveSpeakers.self, forKey: .data))
        case "connection_quality": self = .connectionQuality(try c.decode(ConnectionQualityUpdate.self, forKey: .data))
        case "subscription_paused": self = .subscriptionPaused(try c.decode(SubscriptionPaused.self, forKey: .data))
        case "bandwidth_estimate": self = .bandwidthEstimate(try c.decode(BandwidthEstimate.self, forKey: .data))
        case "publication_layers": self = .publicationLayers(try c.decode(PublicationLayers.self, forKey: .data))
        case "error": self = .error(try c.decode(SignalingErrorPayload.self, forKey: .data))
        case "leave": self = .leave(try c.decode(ServerLeave.self, forKey: .data))
        case "pong": self = .pong(try c.decode(PongPayload.self, forKey: .data))
        case "data": self = .data(try c.decode(DataReceived.self, forKey: .data))
        default: throw SignalingDecodeError.unknownType(type)
        }
    }

    func encodePayload(to c: inout KeyedEncodingContainer<SignalingEnvelopeKey>) throws {
        switch self {
        case let .joined(p): try c.encode(p, forKey: .data)
        case let .publishAnswer(p): try c.encode(p, forKey: .data)
        case let .subscribeOffer(p): try c.encode(p, forKey: .data)
        case let .trickle(p): try c.encode(p, forKey: .data)
        case let .participantJoined(p): try c.encode(p, forKey: .data)
        case let .participantUpdated(p): try c.encode(p, forKey: .data)
        case let .participantLeft(p): try c.encode(p, forKey: .data)
        case let .trackPublished(p): try c.encode(p, forKey: .data)
        case let .trackUnpublished(p): try c.encode(p, forKey: .data)
        case let .trackMuted(p): try c.encode(p, forKey: .data)
        case let .activeSpeakers(p): try c.encode(p, forKey: .data)
        case let .connectionQuality(p): try c.encode(p, forKey: .data)
        case let .subscriptionPaused(p): try c.encode(p, forKey: .data)
        case let .bandwidthEstimate(p): try c.encode(p, forKey: .data)
        case let .publicationLayers(p): try c.encode(p, forKey: .data)
        case let .error(p): try c.encode(p, forKey: .data)
        case let .leave(p): try c.encode(p, forKey: .data)
        case let .pong(p): try c.encode(p, forKey: .data)
        case let .data(p): try c.encode(p, forKey: .data)
        }
    }
}

/// A bare `ServerMessage` codes as an envelope without `id`.
extension ServerMessage: Codable {
    public init(from decoder: any Decoder) throws {
        self = try SignalingEnvelopeCoding<ServerMessage>(from: decoder).message
    }
    public func encode(to encoder: any Encoder) throws {
        try SignalingEnvelopeCoding(SignalingEnvelope(message: self)).encode(to: encoder)
    }
}
