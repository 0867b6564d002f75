/// One report block of an XR packet (RFC 3611 §3): its type and where it lies.
/// Unknown block types are yielded too, so callers can skip them.
public struct RTCPExtendedReportBlock: Sendable, Equatable {
    public let blockType: UInt8
    public let typeSpecific: UInt8
    /// The whole block, 4-byte block header included.
    public let range: Range<Int>
    /// The block contents after the block header.
    public var contentRange: Range<Int> { (range.lowerBound + 4)..<range.upperBound }
}

/// Extended report, PT=207 (RFC 3611 §2). Blocks are validated while parsing.
public struct RTCPExtendedReport: Sendable, Equatable {
    public static let packetType: UInt8 = 207

    public let header: RTCPHeader
    public let senderSSRC: UInt32
    public let blocksRange: Range<Int>

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        try header.requireType(Self.packetType, in: bytes)
        try header.requirePayload(4)
        self.header = header
        let start = header.payloadRange.lowerBound
        senderSSRC = bytes.rtcpUInt32(at: start)
        blocksRange = (start + 4)..<header.payloadRange.upperBound
        var offset = blocksRange.lowerBound
        while offset < blocksRange.upperBound {
            offset = try Self.readBlock(bytes, at: offset, end: blocksRange.upperBound).range.upperBound
        }
    }

    public func blocks(in bytes: UnsafeRawBufferPointer) -> RTCPExtendedReportBlockIterator {
        RTCPExtendedReportBlockIterator(bytes: bytes, range: blocksRange)
    }

    static func readBlock(_ bytes: UnsafeRawBufferPointer, at offset: Int, end: Int) throws(RTCPError) -> RTCPExtendedReportBlock {
        // RFC 3611 §3: BT (8) | type-specific (8) | block length in 32-bit words after this header (16).
        try bytes.rtcpRequire(offset, 4, within: end)
        let length = 4 + Int(bytes.rtcpUInt16(at: offset + 2)) * 4
        try bytes.rtcpRequire(offset, length, within: end)
        return RTCPExtendedReportBlock(blockType: bytes[offset], typeSpecific: bytes[offset + 1], range: offset..<(offset + length))
    }

    /// Writes an XR with the given blocks; returns bytes written.
    public static func build(senderSSRC: UInt32, blocks: [RTCPExtendedReportBlockContent], into buffer: UnsafeMutableRawBufferPointer) throws(RTCPError) -> Int {
        let size = try encodedSize(blocks: blocks)
        try buffer.rtcpRequireCapacity(size)
        buffer.rtcpWriteHeader(countOrFormat: 0, packetType: packetType, packetLength: size)
        buffer.rtcpStore(senderSSRC, at: 4)
        var offset = 8
        for block in blocks {
            offset += block.write(into: buffer, at: offset)
        }
        return size
    }

    public static func build(senderSSRC: UInt32, blocks: [RTCPExtendedReportBlockContent]) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize(blocks: blocks)) { buffer throws(RTCPError) in
            try build(senderSSRC: senderSSRC, blocks: blocks, into: buffer)
        }
    }

    public static func encodedSize(blocks: [RTCPExtendedReportBlockContent]) throws(RTCPError) -> Int {
        var size = RTCPHeader.size + 4
        for block in blocks {
            if case .delaySinceLastReceiverReport(let subBlocks) = block, subBlocks.count > 21845 {
                throw .tooManyItems(count: subBlocks.count, maximum: 21845)
            }
            size += block.encodedSize
        }
        if size > 65536 * 4 { throw .packetTooLarge(size: size, maximum: 65536 * 4) }
        return size
    }
}

/// Yields the blocks of a parsed XR packet from a borrowed buffer.
public struct RTCPExtendedReportBlockIterator: IteratorProtocol, Sequence {
    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    private var offset: Int

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.end = range.upperBound
        self.offset = range.lowerBound
    }

    public mutating func next() -> RTCPExtendedReportBlock? {
        guard offset < end else { return nil }
        do throws(RTCPError) {
            let block = try RTCPExtendedReport.readBlock(bytes, at: offset, end: end)
            offset = block.range.upperBound
            return block
        } catch {
            offset = end
            return nil
        }
    }
}

/// Blocks this module can build into an XR packet.
public enum RTCPExtendedReportBlockContent: Sendable, Equatable {
    /// RRTR, BT=4 (RFC 3611 §4.4).
    case receiverReferenceTime(ntpTimestamp: UInt64)
    /// DLRR, BT=5 (RFC 3611 §4.5).
    case delaySinceLastReceiverReport([RTCPDLRRSubBlock])

    var encodedSize: Int {
        switch self {
        case .receiverReferenceTime: 12
        case .delaySinceLastReceiverReport(let subBlocks): 4 + subBlocks.count * RTCPDLRRSubBlock.size
        }
    }

    func write(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        switch self {
        case .receiverReferenceTime(let ntpTimestamp):
            buffer[offset] = RTCPReceiverReferenceTime.blockType
            buffer[offset + 1] = 0
            buffer.rtcpStore(UInt16(2), at: offset + 2)
            buffer.rtcpStore(ntpTimestamp, at: offset + 4)
        case .delaySinceLastReceiverReport(let subBlocks):
            buffer[offset] = RTCPDelaySinceLastReceiverReport.blockType
            buffer[offset + 1] = 0
            buffer.rtcpStore(UInt16(truncatingIfNeeded: subBlocks.count * 3), at: offset + 2)
            var subOffset = offset + 4
            for subBlock in subBlocks {
                buffer.rtcpStore(subBlock.ssrc, at: subOffset)
                buffer.rtcpStore(subBlock.lastReceiverReport, at: subOffset + 4)
                buffer.rtcpStore(subBlock.delaySinceLastReceiverReport, at: subOffset + 8)
                subOffset += RTCPDLRRSubBlock.size
            }
        }
        return encodedSize
    }
}

/// Receiver reference time report block, BT=4 (RFC 3611 §4.4).
public struct RTCPReceiverReferenceTime: Sendable, Equatable {
    public static let blockType: UInt8 = 4
    public let ntpTimestamp: UInt64

    public init(parsing block: RTCPExtendedReportBlock, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        guard block.blockType == Self.blockType else {
            throw .unexpectedExtendedReportBlockType(expected: Self.blockType, found: block.blockType)
        }
        // RFC 3611 §4.4: block length 2, then a 64-bit NTP timestamp.
        try bytes.rtcpRequire(block.contentRange.lowerBound, 8, within: block.range.upperBound)
        ntpTimestamp = bytes.rtcpUInt64(at: block.contentRange.lowerBound)
    }
}

/// One DLRR sub-block (RFC 3611 §4.5).
public struct RTCPDLRRSubBlock: Sendable, Equatable {
    public var ssrc: UInt32
    /// Middle 32 bits of the RRTR's NTP timestamp (LRR).
    public var lastReceiverReport: UInt32
    /// Delay since that RRTR in 1/65536 s (DLRR).
    public var delaySinceLastReceiverReport: UInt32

    public static let size = 12

    public init(ssrc: UInt32, lastReceiverReport: UInt32, delaySinceLastReceiverReport: UInt32) {
        self.ssrc = ssrc
        self.lastReceiverReport = lastReceiverReport
        self.delaySinceLastReceiverReport = delaySinceLastReceiverReport
    }
}

/// DLRR report block, BT=5 (RFC 3611 §4.5): sub-blocks read on demand.
public struct RTCPDelaySinceLastReceiverReport: Sendable, Equatable {
    public static let blockType: UInt8 = 5
    public let subBlocksRange: Range<Int>
    public var subBlockCount: Int { subBlocksRange.count / RTCPDLRRSubBlock.size }

    public init(parsing block: RTCPExtendedReportBlock, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        guard block.blockType == Self.blockType else {
            throw .unexpectedExtendedReportBlockType(expected: Self.blockType, found: block.blockType)
        }
        let content = block.contentRange
        try bytes.rtcpRequire(content.lowerBound, content.count, within: block.range.upperBound)
        // RFC 3611 §4.5: block length is 3 × number of sub-blocks; ignore a ragged tail.
        let length = content.count / RTCPDLRRSubBlock.size * RTCPDLRRSubBlock.size
        subBlocksRange = content.lowerBound..<(content.lowerBound + length)
    }

    public func subBlock(at index: Int, in bytes: UnsafeRawBufferPointer) throws(RTCPError) -> RTCPDLRRSubBlock {
        guard index >= 0, index < subBlockCount else {
            throw .truncated(needed: (index + 1) * RTCPDLRRSubBlock.size, available: subBlocksRange.count)
        }
        let offset = subBlocksRange.lowerBound + index * RTCPDLRRSubBlock.size
        try bytes.rtcpRequire(offset, RTCPDLRRSubBlock.size, within: subBlocksRange.upperBound)
        return RTCPDLRRSubBlock(
            ssrc: bytes.rtcpUInt32(at: offset),
            lastReceiverReport: bytes.rtcpUInt32(at: offset + 4),
            delaySinceLastReceiverReport: bytes.rtcpUInt32(at: offset + 8))
    }
}
