/// Why a signaling message from the wire was rejected. Every case maps to a
/// `SignalingErrorCode` so the server can answer a bad message with an `error` message
/// instead of dropping the connection (or crashing).
public enum SignalingDecodeError: Error, Sendable, Equatable {
    /// The frame is larger than `SignalingLimits.maxMessageBytes`; checked before parsing.
    case tooLarge(bytes: Int, limit: Int)
    /// Not JSON, or JSON whose top level is not an object.
    case malformedJSON
    /// `"v"` is an integer other than the protocol version this build speaks.
    case unsupportedVersion(Int)
    /// `"type"` names no message known for this direction.
    case unknownType(String)
    /// A field is missing, has the wrong JSON type, or is out of range. The string is a path
    /// such as `"data.tracks[0].layers[1].rid"`.
    case invalidField(String)

    /// The code to put in the `error` message sent back to the client.
    public var errorCode: SignalingErrorCode {
        switch self {
        case .tooLarge: .messageTooLarge
        case .unsupportedVersion: .unsupportedVersion
        case .malformedJSON, .unknownType, .invalidField: .badMessage
        }
    }

    /// A human-readable sentence for the `error` message's `message`.
    public var explanation: String {
        switch self {
        case let .tooLarge(bytes, limit): "message of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .malformedJSON: "message is not a JSON object"
        case let .unsupportedVersion(v): "protocol version \(v) is not supported (this server speaks \(SignalingProtocol.version))"
        case let .unknownType(type): "unknown message type \"\(type)\""
        case let .invalidField(path): "missing or invalid field \"\(path)\""
        }
    }
}

/// Renders a Codable coding path as `data.tracks[0].rid` for `SignalingDecodeError.invalidField`.
func signalingFieldPath(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
    var out = ""
    for key in path + (last.map { [$0] } ?? []) {
        if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
            out += "[\(index)]"
        } else {
            if !out.isEmpty { out += "." }
            out += key.stringValue
        }
    }
    return out
}

/// Throws `.invalidField` for the field `key` of the value being decoded unless `valid`.
/// Used for range checks Codable cannot express (layer 0...2, level 0...1, ...).
func signalingRequire(_ valid: Bool, _ decoder: any Decoder, _ key: some CodingKey) throws(SignalingDecodeError) {
    if !valid { throw .invalidField(signalingFieldPath(decoder.codingPath, key)) }
}
