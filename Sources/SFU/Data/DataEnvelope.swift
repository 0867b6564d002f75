import Foundation

/// How data channel messages say who they are for and who they are from.
///
/// Every message a participant sends on a relayed channel, and every message the room delivers,
/// is a JSON header, a newline, then the payload untouched:
///
///     {"to":["bob"],"topic":"chat"}\n<payload>     participant → room ("to" absent: everyone)
///     {"from":"alice","topic":"chat"}\n<payload>   room → participant ("from" null: the server)
///     {"error":{"code":"…","message":"…"}}\n       room → sender, about its own message
///
/// The same framing works for text (the header is ASCII-safe JSON, so the message stays valid
/// UTF-8) and binary messages, and the room reads only the header, never the payload.
public enum DataEnvelope {
    /// A header longer than this is refused (it would be mostly addressing).
    public static let maximumHeaderSize = 4_096
    /// Recipients one message may name.
    public static let maximumRecipients = 256
    static let separator = UInt8(ascii: "\n")

    /// What the sender's header asked for, and where its payload starts.
    public struct Incoming: Equatable, Sendable {
        /// Nil: everyone else in the room.
        public var to: [String]?
        public var topic: String?
        public var payloadOffset: Int
    }

    /// Reads the header of a participant's message.
    public static func parse(_ message: UnsafeRawBufferPointer) throws(DataRelayError) -> Incoming {
        let searched = UnsafeRawBufferPointer(rebasing: message[0..<min(message.count, maximumHeaderSize + 1)])
        guard let newline = searched.firstIndex(of: separator) else { throw .badEnvelope("no header line") }
        let header: IncomingHeader
        do {
            header = try JSONDecoder().decode(IncomingHeader.self, from: Data(searched[0..<newline]))
        } catch {
            throw .badEnvelope("the header is not a JSON object with optional 'to' and 'topic'")
        }
        if let to = header.to, to.count > maximumRecipients {
            throw .badEnvelope("'to' names more than \(maximumRecipients) participants")
        }
        return Incoming(to: header.to, topic: header.topic, payloadOffset: newline + 1)
    }

    /// The message as the room delivers it: the sender's identity (nil for the server) and
    /// topic, then the payload.
    public static func relayed(from sender: String?, topic: String?, payload: UnsafeRawBufferPointer) -> [UInt8] {
        var message = header(OutgoingHeader(from: sender, topic: topic))
        message.append(contentsOf: payload)
        return message
    }

    /// A notice to a sender about a message of its own (refused, or not delivered to someone).
    public static func notice(_ error: DataRelayError, recipient: String? = nil) -> [UInt8] {
        header(NoticeHeader(error: .init(code: error.code, message: error.message, to: recipient)))
    }

    private static func header(_ value: some Encodable) -> [UInt8] {
        // Encoding these small structs of strings cannot fail; an empty object is the fallback.
        var bytes = (try? JSONEncoder().encode(value)).map(Array.init) ?? Array("{}".utf8)
        bytes.append(separator)
        return bytes
    }

    private struct IncomingHeader: Decodable {
        var to: [String]?
        var topic: String?
    }

    private struct OutgoingHeader: Encodable {
        var from: String?
        var topic: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            // "from": null says the server sent it; absent would be ambiguous.
            try container.encode(from, forKey: .from)
            try container.encodeIfPresent(topic, forKey: .topic)
        }

        enum CodingKeys: String, CodingKey { case from, topic }
    }

    private struct NoticeHeader: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
            var to: String?
        }
        var error: Body
    }
}

/// Why the room refused or could not deliver a data message. Reported to the sender on the
/// channel it used (see `DataEnvelope.notice`) and counted.
public enum DataRelayError: Error, Equatable, Sendable {
    /// The sender's token lacks `canPublishData`.
    case notAllowed
    case badEnvelope(String)
    /// The relayed message exceeds what the recipient's SDP says it takes.
    case tooLarge(size: Int, limit: Int)
    /// The recipient's buffers are full (it reads too slowly): this message was not delivered.
    case receiverOverflow

    public var code: String {
        switch self {
        case .notAllowed: "not_allowed"
        case .badEnvelope: "bad_envelope"
        case .tooLarge: "too_large"
        case .receiverOverflow: "receiver_overflow"
        }
    }

    public var message: String {
        switch self {
        case .notAllowed: "this participant may not publish data"
        case .badEnvelope(let reason): "malformed envelope: \(reason)"
        case .tooLarge(let size, let limit): "\(size) bytes exceed the recipient's limit of \(limit)"
        case .receiverOverflow: "the recipient is not keeping up; the message was dropped"
        }
    }
}
