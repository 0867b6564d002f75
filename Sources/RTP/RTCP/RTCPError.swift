/// Everything that can be wrong with an RTCP datagram we parse, or with a request to build one.
///
/// Parsers never trap on hostile input; they throw one of these instead.
public enum RTCPError: Error, Equatable, Sendable {
    /// A length or count field promises more bytes than the buffer (or the packet) holds.
    case truncated(needed: Int, available: Int)
    /// RFC 3550 §6.4.1: the version field must be 2.
    case unsupportedVersion(UInt8)
    /// RFC 3550 §6.4.1: the padding count (last octet) is zero or larger than the packet body.
    case invalidPadding(paddingLength: Int, bodyLength: Int)
    /// A typed parser was handed a packet of another type.
    case unexpectedPacketType(expected: UInt8, found: UInt8)
    /// A feedback parser was handed a packet with another FMT (RFC 4585 §6.1).
    case unexpectedFormat(expected: UInt8, found: UInt8)
    /// The fixed part of a packet type is larger than its length field says.
    case packetTooShort(packetType: UInt8, needed: Int, available: Int)
    /// REMB (draft-alvestrand-rmcat-remb §2.2): the unique identifier is not "REMB".
    case missingREMBIdentifier
    /// transport-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1): symbol 11 is reserved.
    case reservedTransportFeedbackSymbol
    /// An extended report block is not the type the caller asked to parse it as.
    case unexpectedExtendedReportBlockType(expected: UInt8, found: UInt8)
    /// Building: the caller's buffer is too small for the packet.
    case bufferTooSmall(needed: Int, available: Int)
    /// Building: more items than the packet's count/length field can express.
    case tooManyItems(count: Int, maximum: Int)
    /// Building: the packet would be longer than the 16-bit length field allows (RFC 3550 §6.4.1).
    case packetTooLarge(size: Int, maximum: Int)
    /// Building: a text item (CNAME, BYE reason) longer than its 8-bit length field.
    case textTooLong(length: Int, maximum: Int)
}
