/// Receiver report, PT=201 (RFC 3550 §6.4.2).
public struct RTCPReceiverReport: Sendable, Equatable {
    public static let packetType: UInt8 = 201

    public let header: RTCPHeader
    public let senderSSRC: UInt32
    public let reportBlocks: RTCPReportBlockList
    /// RFC 3550 §6.4.2: profile-specific extensions after the report blocks (usually empty).
    public let profileExtensionRange: Range<Int>

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        try header.requireType(Self.packetType, in: bytes)
        let blockCount = Int(header.countOrFormat)
        // RFC 3550 §6.4.2: SSRC of packet sender followed by RC report blocks.
        try header.requirePayload(4 + blockCount * RTCPReportBlock.size)
        let start = header.payloadRange.lowerBound
        self.header = header
        senderSSRC = bytes.rtcpUInt32(at: start)
        let blocksEnd = start + 4 + blockCount * RTCPReportBlock.size
        reportBlocks = RTCPReportBlockList(range: (start + 4)..<blocksEnd, count: blockCount)
        profileExtensionRange = blocksEnd..<header.payloadRange.upperBound
    }

    public static func encodedSize(reportBlockCount: Int) -> Int {
        RTCPHeader.size + 4 + reportBlockCount * RTCPReportBlock.size
    }

    /// Writes an RR into `buffer` and returns the number of bytes written.
    public static func build(
        senderSSRC: UInt32, reportBlocks: [RTCPReportBlock], into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTCPError) -> Int {
        try rtcpRequireReportBlockCount(reportBlocks.count)
        let size = encodedSize(reportBlockCount: reportBlocks.count)
        try buffer.rtcpRequireCapacity(size)
        buffer.rtcpWriteHeader(countOrFormat: UInt8(reportBlocks.count), packetType: packetType, packetLength: size)
        buffer.rtcpStore(senderSSRC, at: 4)
        var offset = 8
        for block in reportBlocks {
            block.write(into: buffer, at: offset)
            offset += RTCPReportBlock.size
        }
        return size
    }

    public static func build(senderSSRC: UInt32, reportBlocks: [RTCPReportBlock] = []) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize(reportBlockCount: reportBlocks.count)) { buffer throws(RTCPError) in
            try build(senderSSRC: senderSSRC, reportBlocks: reportBlocks, into: buffer)
        }
    }
}
