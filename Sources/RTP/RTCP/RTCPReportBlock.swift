/// One reception report block of an SR or RR (RFC 3550 §6.4.1), 24 bytes on the wire.
public struct RTCPReportBlock: Sendable, Equatable {
    /// SSRC of the source this block reports on.
    public var ssrc: UInt32
    /// Fraction of packets lost since the last report, as a fixed-point number /256.
    public var fractionLost: UInt8
    /// Cumulative number of packets lost: a signed 24-bit value (negative with duplicates).
    public var cumulativeLost: Int32
    public var extendedHighestSequenceNumber: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR received (LSR).
    public var lastSenderReport: UInt32
    /// Delay since that SR in 1/65536 s (DLSR).
    public var delaySinceLastSenderReport: UInt32

    public static let size = 24
    static let cumulativeLostRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    public init(
        ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32,
        extendedHighestSequenceNumber: UInt32, jitter: UInt32,
        lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Reads a block at `offset`; the caller has checked that 24 bytes are there.
    init(reading bytes: UnsafeRawBufferPointer, at offset: Int) {
        ssrc = bytes.rtcpUInt32(at: offset)
        let lossWord = bytes.rtcpUInt32(at: offset + 4)
        fractionLost = UInt8(truncatingIfNeeded: lossWord >> 24)
        // RFC 3550 §6.4.1: cumulative number of packets lost is a signed 24-bit integer.
        let raw = Int32(bitPattern: lossWord << 8) >> 8
        cumulativeLost = raw
        extendedHighestSequenceNumber = bytes.rtcpUInt32(at: offset + 8)
        jitter = bytes.rtcpUInt32(at: offset + 12)
        lastSenderReport = bytes.rtcpUInt32(at: offset + 16)
        delaySinceLastSenderReport = bytes.rtcpUInt32(at: offset + 20)
    }

    /// Writes the block; cumulative loss outside the 24-bit range is clamped.
    func write(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.rtcpStore(ssrc, at: offset)
        let clamped = min(max(cumulativeLost, Self.cumulativeLostRange.lowerBound), Self.cumulativeLostRange.upperBound)
        let lossWord = UInt32(fractionLost) << 24 | (UInt32(bitPattern: clamped) & 0xFF_FFFF)
        buffer.rtcpStore(lossWord, at: offset + 4)
        buffer.rtcpStore(extendedHighestSequenceNumber, at: offset + 8)
        buffer.rtcpStore(jitter, at: offset + 12)
        buffer.rtcpStore(lastSenderReport, at: offset + 16)
        buffer.rtcpStore(delaySinceLastSenderReport, at: offset + 20)
    }
}

/// Where the report blocks of a parsed SR/RR lie in the caller's buffer.
/// Blocks are read on demand, so parsing allocates nothing.
public struct RTCPReportBlockList: Sendable, Equatable {
    public let range: Range<Int>
    public let count: Int

    /// The block at `index`, read from the same buffer the packet was parsed from.
    public func block(at index: Int, in bytes: UnsafeRawBufferPointer) throws(RTCPError) -> RTCPReportBlock {
        guard index >= 0, index < count else {
            throw .truncated(needed: (index + 1) * RTCPReportBlock.size, available: range.count)
        }
        let offset = range.lowerBound + index * RTCPReportBlock.size
        try bytes.rtcpRequire(offset, RTCPReportBlock.size, within: range.upperBound)
        return RTCPReportBlock(reading: bytes, at: offset)
    }

    /// Iterates the blocks in `bytes` (the buffer the packet was parsed from).
    public func blocks(in bytes: UnsafeRawBufferPointer) -> RTCPReportBlockIterator {
        RTCPReportBlockIterator(bytes: bytes, list: self)
    }
}

/// Yields report blocks from a borrowed buffer; stops early if the buffer is shorter
/// than the parsed packet (wrong buffer passed).
public struct RTCPReportBlockIterator: IteratorProtocol, Sequence {
    private let bytes: UnsafeRawBufferPointer
    private let list: RTCPReportBlockList
    private var index = 0

    init(bytes: UnsafeRawBufferPointer, list: RTCPReportBlockList) {
        self.bytes = bytes
        self.list = list
    }

    public mutating func next() -> RTCPReportBlock? {
        guard index < list.count else { return nil }
        let offset = list.range.lowerBound + index * RTCPReportBlock.size
        guard offset >= 0, offset + RTCPReportBlock.size <= Swift.min(list.range.upperBound, bytes.count) else { return nil }
        index += 1
        return RTCPReportBlock(reading: bytes, at: offset)
    }
}

/// RFC 3550 §6.4.1: at most 31 report blocks fit the 5-bit count.
func rtcpRequireReportBlockCount(_ count: Int) throws(RTCPError) {
    if count > 31 { throw .tooManyItems(count: count, maximum: 31) }
}
