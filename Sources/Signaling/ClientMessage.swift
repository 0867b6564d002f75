/// A message from client to server. Encoded as `{"v":1,"type":…,"data":{…}}`; Codable through
/// `SignalingEnvelope` (decode with `SignalingCodec.decodeClient`, which maps every failure to a
/// `SignalingDecodeError`).
public enum ClientMessage: Sendable, Equatable {
    /// First message on a socket: client info, optional resume of a dropped session.
    case join(JoinRequest)
    /// SDP offer for the publisher connection, with the tracks it adds/removes.
    case publishOffer(PublishOffer)
    /// SDP answer to a `subscribe_offer`.
    case subscribeAnswer(SubscribeAnswer)
    /// An ICE candidate of the client for one of its two connections.
    case trickle(TrickleCandidate)
    /// Subscribe/unsubscribe a track; cap its layer or rendered size.
    case updateSubscription(SubscriptionUpdate)
    /// Mute or unmute one of the client's own tracks.
    case mute(MuteRequest)
    /// The client is leaving; the server removes the participant at once (no grace period).
    case leave(ClientLeave)
    case ping(PingPayload)

    /// Every `type` string a client may send.
    public static let allTypes = ["join", "publish_offer", "subscribe_answer", "trickle",
                                  "update_subscription", "mute", "leave", "ping"]

    /// The envelope `type` of this message.
    public var type: String {
        switch self {
        case .join: "join"
        case .publishOffer: "publish_offer"
        case .subscribeAnswer: "subscribe_answer"
        case .trickle: "trickle"
        case .updateSubscription: "update_subscription"
        case .mute: "mute"
        case .leave: "leave"
        case .ping: "ping"
        }
    }
}

extension ClientMessage: SignalingEnvelopeMessage {
    init(type: String, from c: KeyedDecodingContainer<SignalingEnvelopeKey>) throws {
        switch type {
        case "join": self = .join(try c.decode(JoinRequest.self, forKey: .data))
        case "publish_offer": self = .publishOffer(try c.decode(PublishOffer.self, forKey: .data))
        case "subscribe_answer": self = .subscribeAnswer(try c.decode(SubscribeAnswer.self, forKey: .data))
        case "trickle": self = .trickle(try c.decode(TrickleCandidate.self, forKey: .data))
        case "update_subscription": self = .updateSubscription(try c.decode(SubscriptionUpdate.self, forKey: .data))
        case "mute": self = .mute(try c.decode(MuteRequest.self, forKey: .data))
        // A payload-less message may omit `data`.
        case "leave": self = .leave(try c.decodeIfPresent(ClientLeave.self, forKey: .data) ?? ClientLeave())
        case "ping": self = .ping(try c.decode(PingPayload.self, forKey: .data))
        default: throw SignalingDecodeError.unknownType(type)
        }
    }

    func encodePayload(to c: inout KeyedEncodingContainer<SignalingEnvelopeKey>) throws {
        switch self {
        case let .join(p): try c.encode(p, forKey: .data)
        case let .publishOffer(p): try c.encode(p, forKey: .data)
        case let .subscribeAnswer(p): try c.encode(p, forKey: .data)
        case let .trickle(p): try c.encode(p, forKey: .data)
        case let .updateSubscription(p): try c.encode(p, forKey: .data)
        case let .mute(p): try c.encode(p, forKey: .data)
        case let .leave(p): try c.encode(p, forKey: .data)
        case let .ping(p): try c.encode(p, forKey: .data)
        }
    }
}

/// A bare `ClientMessage` codes as an envelope without `id`.
extension ClientMessage: Codable {
    public init(from decoder: any Decoder) throws {
        self = try SignalingEnvelopeCoding<ClientMessage>(from: decoder).message
    }
    public func encode(to encoder: any Encoder) throws {
        try SignalingEnvelopeCoding(SignalingEnvelope(message: self)).encode(to: encoder)
    }
}
