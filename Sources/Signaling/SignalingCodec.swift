#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Turns WebSocket text frames into messages and back. Decoding never traps: every failure is
/// a `SignalingDecodeError`, which `errorReply(for:in:)` turns into the `error` to send back.
public enum SignalingCodec {
    /// Decodes a client message, checking the size limit before parsing.
    public static func decodeClient(_ data: Data, limits: SignalingLimits = .default) throws(SignalingDecodeError) -> ClientMessage {
        try decodeClientEnvelope(data, limits: limits).message
    }

    /// Like `decodeClient`, keeping the envelope's request `id`.
    public static func decodeClientEnvelope(_ data: Data, limits: SignalingLimits = .default) throws(SignalingDecodeError) -> SignalingEnvelope<ClientMessage> {
        try decode(data, maxBytes: limits.maxMessageBytes)
    }

    /// Decodes a server message (for Swift clients and tests). `maxBytes` defaults to 4 MiB,
    /// not the client limit: `joined` in a full room is large.
    public static func decodeServer(_ data: Data, maxBytes: Int = 4 * 1024 * 1024) throws(SignalingDecodeError) -> ServerMessage {
        try decodeServerEnvelope(data, maxBytes: maxBytes).message
    }

    public static func decodeServerEnvelope(_ data: Data, maxBytes: Int = 4 * 1024 * 1024) throws(SignalingDecodeError) -> SignalingEnvelope<ServerMessage> {
        try decode(data, maxBytes: maxBytes)
    }

    /// Encodes a server message; `id` echoes the request it answers.
    public static func encode(_ message: ServerMessage, id: Int? = nil) -> Data {
        encodeEnvelope(SignalingEnvelope(id: id, message: message))
    }

    /// Encodes a client message (for Swift clients and tests).
    public static func encode(_ message: ClientMessage, id: Int? = nil) -> Data {
        encodeEnvelope(SignalingEnvelope(id: id, message: message))
    }

    /// The `error` to send for a rejected client message, with the message's `id` when it can
    /// still be read from the bad frame.
    public static func errorReply(for error: SignalingDecodeError, in data: Data) -> ServerMessage {
        let id: Int? = if case .tooLarge = error { nil } else { requestID(in: data) }
        return .error(SignalingErrorPayload(code: error.errorCode, message: error.explanation, requestId: id))
    }

    /// Best-effort read of the envelope `id` of a frame that failed to decode.
    public static func requestID(in data: Data) -> Int? {
        struct IDOnly: Decodable { var id: Int? }
        guard let id = (try? JSONDecoder().decode(IDOnly.self, from: data))?.id,
              id >= 0, id <= SignalingProtocol.maxRequestID else { return nil }
        return id
    }

    private static func decode<M: SignalingEnvelopeMessage>(_ data: Data, maxBytes: Int) throws(SignalingDecodeError) -> SignalingEnvelope<M> {
        guard data.count <= maxBytes else { throw .tooLarge(bytes: data.count, limit: maxBytes) }
        do {
            return try JSONDecoder().decode(SignalingEnvelopeCoding<M>.self, from: data).envelope
        } catch let error as SignalingDecodeError {
            throw error
        } catch let error as DecodingError {
            throw map(error)
        } catch {
            throw .malformedJSON
        }
    }

    /// Foundation's errors name the failing field by coding path; keep only that.
    private static func map(_ error: DecodingError) -> SignalingDecodeError {
        switch error {
        case let .keyNotFound(key, context):
            return .invalidField(signalingFieldPath(context.codingPath, key))
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            // An empty path means the document itself: not JSON, or not an object.
            return context.codingPath.isEmpty ? .malformedJSON : .invalidField(signalingFieldPath(context.codingPath))
        @unknown default:
            return .malformedJSON
        }
    }

    private static func encodeEnvelope<M: SignalingEnvelopeMessage>(_ envelope: SignalingEnvelope<M>) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        if let data = try? encoder.encode(SignalingEnvelopeCoding(envelope)) { return data }
        // Only a non-finite Double (a speaker level) can fail; never put NaN on the wire.
        return Data(#"{"v":1,"type":"error","data":{"code":"internal","message":"unencodable message"}}"#.utf8)
    }
}
