// The envelope every signaling message travels in:
//   {"v": 1, "type": "<kind>", "id": <optional request id>, "data": {<payload>}}
// The payload is nested under "data" rather than spread beside "v"/"type"/"id" so that a payload
// field can never collide with an envelope field, the envelope can be checked (version, type)
// before the payload is touched, and each payload is a plain Codable struct.

/// Protocol-wide constants.
public enum SignalingProtocol {
    /// The `v` this build speaks. Bumped only for incompatible changes; adding optional fields
    /// or message types does not bump it (receivers ignore unknown fields).
    public static let version = 1
    /// Largest request id: 2^53 − 1, the largest integer a JavaScript number holds exactly.
    public static let maxRequestID = 9_007_199_254_740_991
}

/// A message together with its envelope's request `id`. The client puts an `id` on a request
/// when it wants to match the server's reaction: the server copies it into `error.requestId`
/// and into the envelope `id` of a direct reply (`publish_answer`, `joined`, `pong`).
public struct SignalingEnvelope<Message: Sendable & Equatable>: Sendable, Equatable {
    public var id: Int?
    public var message: Message

    public init(id: Int? = nil, message: Message) {
        self.id = id
        self.message = message
    }
}

enum SignalingEnvelopeKey: String, CodingKey {
    case v, type, id, data
}

/// What `ClientMessage` and `ServerMessage` share: a `type` string and a payload under `data`.
protocol SignalingEnvelopeMessage: Sendable, Equatable {
    var type: String { get }
    /// Decodes the payload of a message whose `type` is `type`; throws `.unknownType` for a
    /// type this direction does not have.
    init(type: String, from container: KeyedDecodingContainer<SignalingEnvelopeKey>) throws
    func encodePayload(to container: inout KeyedEncodingContainer<SignalingEnvelopeKey>) throws
}

/// The Codable form of `SignalingEnvelope` (internal, because the message protocol is).
struct SignalingEnvelopeCoding<Message: SignalingEnvelopeMessage>: Codable {
    var id: Int?
    var message: Message

    init(_ envelope: SignalingEnvelope<Message>) {
        id = envelope.id
        message = envelope.message
    }

    var envelope: SignalingEnvelope<Message> { SignalingEnvelope(id: id, message: message) }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SignalingEnvelopeKey.self)
        // The version comes first: it decides what every other field means.
        let version: Int
        do { version = try c.decode(Int.self, forKey: .v) } catch { throw SignalingDecodeError.invalidField("v") }
        guard version == SignalingProtocol.version else { throw SignalingDecodeError.unsupportedVersion(version) }
        let type: String
        do { type = try c.decode(String.self, forKey: .type) } catch { throw SignalingDecodeError.invalidField("type") }
        do { id = try c.decodeIfPresent(Int.self, forKey: .id) } catch { throw SignalingDecodeError.invalidField("id") }
        if let id, id < 0 || id > SignalingProtocol.maxRequestID { throw SignalingDecodeError.invalidField("id") }
        message = try Message(type: type, from: c)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SignalingEnvelopeKey.self)
        try c.encode(SignalingProtocol.version, forKey: .v)
        try c.encode(message.type, forKey: .type)
        try c.encodeIfPresent(id, forKey: .id)
        try message.encodePayload(to: &c)
    }
}
