/// Receiver estimated maximum bitrate, PSFB FMT=15 (draft-alvestrand-rmcat-remb-03 §2.2).
public struct RTCPReceiverEstimatedMaximumBitrate: Sendable, Equatable {
    public static let format: UInt8 = 15
    /// "REMB" in ASCII.
    static let identifier: UInt32 = 0x5245_4D42
    static let maximumMantissa: UInt64 = 0x3_FFFF

    public let header: RTCPHeader
    public let senderSSRC: UInt32
    /// 6-bit exponent and 18-bit mantissa as on the wire.
    public let exponent: UInt8
    public let mantissa: UInt32
    public let feedbackSSRCs: RTCPSSRCList

    /// mantissa · 2^exponent bits per second, saturating at UInt64.max.
    public var bitrate: UInt64 {
        let value = UInt64(mantissa)
        guard value != 0 else { return 0 }
        if Int(exponent) >= value.leadingZeroBitCount { return UInt64.max }
        return value << UInt64(exponent)
    }

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        let sources = try RTCPFeedbackSources(
            parsing: header, type: RTCPFeedbackSources.payloadSpecificFeedbackType,
            format: Self.format, fciMinimum: 8, in: bytes)
        self.header = header
        senderSSRC = sources.senderSSRC
        let fci = header.payloadRange.lowerBound + RTCPFeedbackSources.size
        // draft-alvestrand-rmcat-remb §2.2: unique identifier 'R' 'E' 'M' 'B'.
        guard bytes.rtcpUInt32(at: fci) == Self.identifier else { throw .missingREMBIdentifier }
        // Num SSRC (8) | BR Exp (6) | BR Mantissa (18).
        let word = bytes.rtcpUInt32(at: fci + 4)
        let count = Int(word >> 24)
        exponent = UInt8((word >> 18) & 0x3F)
        mantissa = word & 0x3_FFFF
        try bytes.rtcpRequire(fci + 8, count * 4, within: header.payloadRange.upperBound)
        feedbackSSRCs = RTCPSSRCList(range: (fci + 8)..<(fci + 8 + count * 4), count: count)
    }

    /// The smallest exponent whose mantissa fits 18 bits; rounds the bitrate down.
    public static func exponentAndMantissa(for bitrate: UInt64) -> (exponent: UInt8, mantissa: UInt32) {
        var exponent: UInt8 = 0
        var mantissa = bitrate
        while mantissa > maximumMantissa {
            mantissa >>= 1
            exponent += 1
        }
        return (exponent, UInt32(mantissa))
    }

    public static func encodedSize(ssrcCount: Int) -> Int {
        RTCPHeader.size + RTCPFeedbackSources.size + 8 + ssrcCount * 4
    }

    public static func build(
        senderSSRC: UInt32, bitrate: UInt64, feedbackSSRCs: [UInt32], into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTCPError) -> Int {
        if feedbackSSRCs.count > 255 { throw .tooManyItems(count: feedbackSSRCs.count, maximum: 255) }
        let size = encodedSize(ssrcCount: feedbackSSRCs.count)
        try buffer.rtcpRequireCapacity(size)
        // draft-alvestrand-rmcat-remb §2.2: media source SSRC is always 0.
        RTCPFeedbackSources(senderSSRC: senderSSRC, mediaSSRC: 0)
            .write(type: RTCPFeedbackSources.payloadSpecificFeedbackType, format: format, packetLength: size, into: buffer)
        buffer.rtcpStore(identifier, at: 12)
        let (exponent, mantissa) = exponentAndMantissa(for: bitrate)
        buffer.rtcpStore(UInt32(feedbackSSRCs.count) << 24 | UInt32(exponent) << 18 | mantissa, at: 16)
        var offset = 20
        for ssrc in feedbackSSRCs {
            buffer.rtcpStore(ssrc, at: offset)
            offset += 4
        }
        return size
    }

    public static func build(senderSSRC: UInt32, bitrate: UInt64, feedbackSSRCs: [UInt32]) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize(ssrcCount: feedbackSSRCs.count)) { buffer throws(RTCPError) in
            try build(senderSSRC: senderSSRC, bitrate: bitrate, feedbackSSRCs: feedbackSSRCs, into: buffer)
        }
    }
}
