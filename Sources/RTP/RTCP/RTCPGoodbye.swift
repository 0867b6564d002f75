/// Goodbye, PT=203 (RFC 3550 §6.6): SSRC/CSRC list and an optional reason text.
public struct RTCPGoodbye: Sendable, Equatable {
    public static let packetType: UInt8 = 203

    public let header: RTCPHeader
    public let sources: RTCPSSRCList
    /// UTF-8 reason text (without its length octet), when present.
    public let reasonRange: Range<Int>?

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        try header.requireType(Self.packetType, in: bytes)
        let sourceCount = Int(header.countOrFormat)
        try header.requirePayload(sourceCount * 4)
        let start = header.payloadRange.lowerBound
        let end = header.payloadRange.upperBound
        self.header = header
        sources = RTCPSSRCList(range: start..<(start + sourceCount * 4), count: sourceCount)
        // RFC 3550 §6.6: optional length octet + reason text, padded to 32 bits.
        let reasonStart = start + sourceCount * 4
        if reasonStart < end {
            let length = Int(bytes[reasonStart])
            try bytes.rtcpRequire(reasonStart + 1, length, within: end)
            reasonRange = (reasonStart + 1)..<(reasonStart + 1 + length)
        } else {
            reasonRange = nil
        }
    }

    public static func encodedSize(sourceCount: Int, reasonLength: Int?) -> Int {
        let reasonBytes = reasonLength.map { 1 + $0 } ?? 0
        return RTCPHeader.size + sourceCount * 4 + rtcpPaddedTo32Bits(reasonBytes)
    }

    /// Writes a BYE into `buffer` and returns the number of bytes written.
    public static func build(
        sources: [UInt32], reason: String? = nil, into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTCPError) -> Int {
        if sources.count > 31 { throw .tooManyItems(count: sources.count, maximum: 31) }
        let reasonLength = reason?.utf8.count
        if let reasonLength, reasonLength > 255 { throw .textTooLong(length: reasonLength, maximum: 255) }
        let size = encodedSize(sourceCount: sources.count, reasonLength: reasonLength)
        try buffer.rtcpRequireCapacity(size)
        buffer.rtcpWriteHeader(countOrFormat: UInt8(sources.count), packetType: packetType, packetLength: size)
        var offset = 4
        for source in sources {
            buffer.rtcpStore(source, at: offset)
            offset += 4
        }
        if let reason, let reasonLength {
            buffer[offset] = UInt8(reasonLength)
            offset += 1
            for byte in reason.utf8 {
                buffer[offset] = byte
                offset += 1
            }
            buffer.rtcpZero(offset..<size)
        }
        return size
    }

    public static func build(sources: [UInt32], reason: String? = nil) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize(sourceCount: sources.count, reasonLength: reason?.utf8.count)) { buffer throws(RTCPError) in
            try build(sources: sources, reason: reason, into: buffer)
        }
    }
}
