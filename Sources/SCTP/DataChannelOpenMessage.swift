/// DCEP, the Data Channel Establishment Protocol (RFC 8832): the messages that open a data
/// channel, carried on the channel's own SCTP stream with PPID 50.

/// Why a DCEP message could not be parsed or built.
public enum DCEPError: Error, Equatable, Sendable {
    case truncated(needed: Int, available: Int)
    /// RFC 8832 §8.2.1: only 0x02 (ACK) and 0x03 (OPEN) are defined.
    case unknownMessageType(UInt8)
    case unknownChannelType(UInt8)
    /// Label or protocol longer than the 16-bit length field allows.
    case fieldTooLong(Int)
    case bufferTooSmall(needed: Int, available: Int)
}

/// RFC 8832 §8.2.1 message types.
public enum DCEPMessageType: UInt8, Sendable {
    case ack = 0x02
    case open = 0x03

    /// Reads the first byte of a PPID-50 message.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(DCEPError) -> DCEPMessageType {
        guard let first = bytes.first else { throw .truncated(needed: 1, available: 0) }
        guard let type = DCEPMessageType(rawValue: first) else { throw .unknownMessageType(first) }
        return type
    }
}

/// RFC 8832 §5.1 channel types: the high bit means unordered, the low bits pick the
/// reliability policy that the reliability parameter qualifies.
public enum DataChannelType: UInt8, Sendable, CaseIterable {
    case reliable = 0x00
    case reliableUnordered = 0x80
    /// Reliability parameter: number of retransmissions.
    case partialReliableRexmit = 0x01
    case partialReliableRexmitUnordered = 0x81
    /// Reliability parameter: lifetime in milliseconds.
    case partialReliableTimed = 0x02
    case partialReliableTimedUnordered = 0x82

    public var isOrdered: Bool { rawValue & 0x80 == 0 }
}

/// RFC 8831 §8: SCTP payload protocol identifiers used by WebRTC data channels.
public enum DataChannelPPID: UInt32, Sendable {
    case dcep = 50
    case string = 51
    case binary = 53
    /// RFC 8831 §6.6: an empty message is sent as one byte with these PPIDs.
    case emptyString = 56
    case emptyBinary = 57
}

/// DATA_CHANNEL_OPEN (RFC 8832 §5.1). Parsed values refer to the caller's buffer by range.
public struct DataChannelOpenMessage: Equatable, Sendable {
    public static let headerSize = 12

    public var channelType: DataChannelType
    /// RFC 8832 §5.1 / RFC 8831 §6.4: priority for the stream scheduler.
    public var priority: UInt16
    /// Retransmission count or lifetime in ms, depending on `channelType`; 0 for reliable types.
    public var reliabilityParameter: UInt32
    /// UTF-8 label bytes in the parsed buffer.
    public var labelRange: Range<Int>
    /// UTF-8 sub-protocol bytes in the parsed buffer.
    public var protocolRange: Range<Int>

    /// Parses an OPEN message (the whole PPID-50 payload, type byte included).
    public init(parsing bytes: UnsafeRawBufferPointer) throws(DCEPError) {
        // RFC 8832 §5.1: fixed 12-byte header.
        guard bytes.count >= Self.headerSize else {
            throw .truncated(needed: Self.headerSize, available: bytes.count)
        }
        guard bytes[0] == DCEPMessageType.open.rawValue else { throw .unknownMessageType(bytes[0]) }
        guard let type = DataChannelType(rawValue: bytes[1]) else { throw .unknownChannelType(bytes[1]) }
        channelType = type
        priority = bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self).bigEndian
        reliabilityParameter = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian
        let labelLength = Int(bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self).bigEndian)
        let protocolLength = Int(bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self).bigEndian)
        // RFC 8832 §5.1: label then protocol, unpadded, lengths as declared.
        let needed = Self.headerSize + labelLength + protocolLength
        guard bytes.count >= needed else { throw .truncated(needed: needed, available: bytes.count) }
        labelRange = Self.headerSize..<(Self.headerSize + labelLength)
        protocolRange = labelRange.upperBound..<needed
    }

    /// Bytes needed to build a message with these field lengths.
    public static func encodedSize(labelCount: Int, protocolCount: Int) -> Int {
        headerSize + labelCount + protocolCount
    }

    /// Writes an OPEN message into `buffer`; returns the number of bytes written.
    public static func build(channelType: DataChannelType, priority: UInt16,
                             reliabilityParameter: UInt32, label: UnsafeRawBufferPointer,
                             protocol subprotocol: UnsafeRawBufferPointer,
                             into buffer: UnsafeMutableRawBufferPointer) throws(DCEPError) -> Int {
        guard label.count <= Int(UInt16.max) else { throw .fieldTooLong(label.count) }
        guard subprotocol.count <= Int(UInt16.max) else { throw .fieldTooLong(subprotocol.count) }
        let size = encodedSize(labelCount: label.count, protocolCount: subprotocol.count)
        guard buffer.count >= size else { throw .bufferTooSmall(needed: size, available: buffer.count) }
        buffer[0] = DCEPMessageType.open.rawValue
        buffer[1] = channelType.rawValue
        buffer.storeBytes(of: priority.bigEndian, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: reliabilityParameter.bigEndian, toByteOffset: 4, as: UInt32.self)
        buffer.storeBytes(of: UInt16(label.count).bigEndian, toByteOffset: 8, as: UInt16.self)
        buffer.storeBytes(of: UInt16(subprotocol.count).bigEndian, toByteOffset: 10, as: UInt16.self)
        if label.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: buffer[headerSize..<(headerSize + label.count)])
                .copyMemory(from: label)
        }
        if subprotocol.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: buffer[(headerSize + label.count)..<size])
                .copyMemory(from: subprotocol)
        }
        return size
    }

    /// Convenience for building from strings (allocates).
    public static func build(channelType: DataChannelType, priority: UInt16 = 0,
                             reliabilityParameter: UInt32 = 0, label: String,
                             protocol subprotocol: String = "") throws(DCEPError) -> [UInt8] {
        let labelBytes = Array(label.utf8), protocolBytes = Array(subprotocol.utf8)
        var message = [UInt8](repeating: 0, count: encodedSize(labelCount: labelBytes.count,
                                                               protocolCount: protocolBytes.count))
        // Array's closures rethrow untyped errors; carry the typed one out in a Result.
        let result = labelBytes.withUnsafeBytes { labelBuffer in
            protocolBytes.withUnsafeBytes { protocolBuffer in
                message.withUnsafeMutableBytes { output in
                    Result { () throws(DCEPError) in
                        try build(channelType: channelType, priority: priority,
                                  reliabilityParameter: reliabilityParameter, label: labelBuffer,
                                  protocol: protocolBuffer, into: output)
                    }
                }
            }
        }
        _ = try result.get()
        return message
    }
}

/// DATA_CHANNEL_ACK (RFC 8832 §5.2): the single message-type byte.
public enum DataChannelAckMessage {
    public static let bytes: [UInt8] = [DCEPMessageType.ack.rawValue]
}
