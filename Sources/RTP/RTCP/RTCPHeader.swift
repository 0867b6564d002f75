/// A view of one RTCP packet's common header (RFC 3550 §6.4.1) plus where the packet
/// lies in the caller's buffer. Holds no pointer; pass the same buffer to the typed parsers.
public struct RTCPHeader: Sendable, Equatable {
    /// Always 2; other versions are rejected while parsing.
    public let version: UInt8
    /// The P bit; when set, `paddingLength` octets at the end are not part of the body.
    public let hasPadding: Bool
    /// Reception report / source / SSRC count, or FMT for feedback packets (RFC 4585 §6.1).
    public let countOrFormat: UInt8
    public let packetType: RTCPPacketType
    /// The whole packet, header and padding included.
    public let range: Range<Int>
    /// The bytes after the 4-byte header, padding removed.
    public let payloadRange: Range<Int>

    public static let size = 4

    public var paddingLength: Int { range.upperBound - payloadRange.upperBound }

    /// Parses the header of the packet starting at `offset`, checking that the whole
    /// packet (by its length field) lies inside `bytes`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) throws(RTCPError) -> RTCPHeader {
        try bytes.rtcpRequire(offset, size, within: bytes.count)
        let first = bytes[offset]
        // RFC 3550 §6.4.1: version (V) 2 bits, must be 2.
        let version = first >> 6
        guard version == 2 else { throw .unsupportedVersion(version) }
        let hasPadding = first & 0x20 != 0
        // RFC 3550 §6.4.1: length in 32-bit words minus one, including header and padding.
        let length = (Int(bytes.rtcpUInt16(at: offset + 2)) + 1) * 4
        try bytes.rtcpRequire(offset, length, within: bytes.count)
        var payloadEnd = offset + length
        if hasPadding {
            // RFC 3550 §6.4.1: last octet counts the padding octets, itself included.
            let padding = Int(bytes[offset + length - 1])
            let bodyLength = length - size
            guard padding > 0, padding <= bodyLength else {
                throw .invalidPadding(paddingLength: padding, bodyLength: bodyLength)
            }
            payloadEnd -= padding
        }
        return RTCPHeader(
            version: version,
            hasPadding: hasPadding,
            countOrFormat: first & 0x1F,
            packetType: RTCPPacketType(rawValue: bytes[offset + 1]),
            range: offset..<(offset + length),
            payloadRange: (offset + size)..<payloadEnd
        )
    }

    /// Checks that a typed parser got the packet type it expects and that the packet
    /// still lies inside the buffer it was given.
    func requireType(_ expected: UInt8, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        guard packetType.rawValue == expected else {
            throw .unexpectedPacketType(expected: expected, found: packetType.rawValue)
        }
        guard range.upperBound <= bytes.count, range.lowerBound >= 0 else {
            throw .truncated(needed: range.upperBound, available: bytes.count)
        }
    }

    /// RFC 4585 §6.1: feedback packets use the count field as FMT.
    func requireFeedback(type expected: UInt8, format: UInt8, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        try requireType(expected, in: bytes)
        guard countOrFormat == format else {
            throw .unexpectedFormat(expected: format, found: countOrFormat)
        }
    }

    /// Throws unless the payload holds at least `needed` bytes.
    func requirePayload(_ needed: Int) throws(RTCPError) {
        guard payloadRange.count >= needed else {
            throw .packetTooShort(packetType: packetType.rawValue, needed: needed, available: payloadRange.count)
        }
    }
}
