/// The sender info section of an SR (RFC 3550 §6.4.1).
public struct RTCPSenderInfo: Sendable, Equatable {
    /// 64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low).
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32

    public static let size = 20

    public init(ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32) {
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
    }

    /// Middle 32 bits of the NTP timestamp, as echoed in LSR (RFC 3550 §6.4.1).
    public var compactNTP: UInt32 { UInt32(truncatingIfNeeded: ntpTimestamp >> 16) }
}

/// Sender report, PT=200 (RFC 3550 §6.4.1).
public struct RTCPSenderReport: Sendable, Equatable {
    public static let packetType: UInt8 = 200

    public let header: RTCPHeader
    public let senderSSRC: UInt32
    public let senderInfo: RTCPSenderInfo
    public let reportBlocks: RTCPReportBlockList
    /// RFC 3550 §6.4.1: profile-specific extensions after the report blocks (usually empty).
    public let profileExtensionRange: Range<Int>

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        try header.requireType(Self.packetType, in: bytes)
        let blockCount = Int(header.countOrFormat)
        // RFC 3550 §6.4.1: SSRC + 20-byte sender info + RC blocks of 24 bytes.
        let fixed = 4 + RTCPSenderInfo.size
        try header.requirePayload(fixed + blockCount * RTCPReportBlock.size)
        let start = header.payloadRange.lowerBound
        self.header = header
        senderSSRC = bytes.rtcpUInt32(at: start)
        senderInfo = RTCPSenderInfo(
            ntpTimestamp: bytes.rtcpUInt64(at: start + 4),
            rtpTimestamp: bytes.rtcpUInt32(at: start + 12),
            packetCount: bytes.rtcpUInt32(at: start + 16),
            octetCount: bytes.rtcpUInt32(at: start + 20)
        )
        let blocksStart = start + fixed
        let blocksEnd = blocksStart + blockCount * RTCPReportBlock.size
        reportBlocks = RTCPReportBlockList(range: blocksStart..<blocksEnd, count: blockCount)
        profileExtensionRange = blocksEnd..<header.payloadRange.upperBound
    }

    public static func encodedSize(reportBlockCount: Int) -> Int {
        RTCPHeader.size + 4 + RTCPSenderInfo.size + reportBlockCount * RTCPReportBlock.size
    }

    /// Writes an SR into `buffer` and returns the number of bytes written.
    public static func build(
        senderSSRC: UInt32, senderInfo: RTCPSenderInfo, reportBlocks: [RTCPReportBlock],
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTCPError) -> Int {
        try rtcpRequireReportBlockCount(reportBlocks.count)
        let size = encodedSize(reportBlockCount: reportBlocks.count)
        try buffer.rtcpRequireCapacity(size)
        buffer.rtcpWriteHeader(countOrFormat: UInt8(reportBlocks.count), packetType: packetType, packetLength: size)
        buffer.rtcpStore(senderSSRC, at: 4)
        buffer.rtcpStore(senderInfo.ntpTimestamp, at: 8)
        buffer.rtcpStore(senderInfo.rtpTimestamp, at: 16)
        buffer.rtcpStore(senderInfo.packetCount, at: 20)
        buffer.rtcpStore(senderInfo.octetCount, at: 24)
        var offset = 28
        for block in reportBlocks {
            block.write(into: buffer, at: offset)
            offset += RTCPReportBlock.size
        }
        return size
    }

    public static func build(
        senderSSRC: UInt32, senderInfo: RTCPSenderInfo, reportBlocks: [RTCPReportBlock] = []
    ) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize(reportBlockCount: reportBlocks.count)) { buffer throws(RTCPError) in
            try build(senderSSRC: senderSSRC, senderInfo: senderInfo, reportBlocks: reportBlocks, into: buffer)
        }
    }
}
