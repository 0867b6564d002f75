/// One FIR FCI entry (RFC 5104 §4.3.1.1): the SSRC asked to send a key frame and a
/// command sequence number (incremented per new request).
public struct RTCPFullIntraRequestEntry: Sendable, Equatable {
    public var ssrc: UInt32
    public var sequenceNumber: UInt8

    public init(ssrc: UInt32, sequenceNumber: UInt8) {
        self.ssrc = ssrc
        self.sequenceNumber = sequenceNumber
    }
}

/// Full intra request, PSFB FMT=4 (RFC 5104 §4.3.1).
public struct RTCPFullIntraRequest: Sendable, Equatable {
    public static let format: UInt8 = 4
    static let entrySize = 8

    public let header: RTCPHeader
    /// RFC 5104 §4.3.1.2: the media source SSRC is unused (0) in FIR.
    public let sources: RTCPFeedbackSources
    public let entriesRange: Range<Int>
    public var entryCount: Int { entriesRange.count / Self.entrySize }

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        sources = try RTCPFeedbackSources(
            parsing: header, type: RTCPFeedbackSources.payloadSpecificFeedbackType,
            format: Self.format, fciMinimum: Self.entrySize, in: bytes)
        self.header = header
        // RFC 5104 §4.3.1.1: FCI entries are SSRC (32) + Seq nr (8) + reserved (24).
        let start = header.payloadRange.lowerBound + RTCPFeedbackSources.size
        let length = (header.payloadRange.upperBound - start) / Self.entrySize * Self.entrySize
        entriesRange = start..<(start + length)
    }

    public func entry(at index: Int, in bytes: UnsafeRawBufferPointer) throws(RTCPError) -> RTCPFullIntraRequestEntry {
        guard index >= 0, index < entryCount else {
            throw .truncated(needed: (index + 1) * Self.entrySize, available: entriesRange.count)
        }
        let offset = entriesRange.lowerBound + index * Self.entrySize
        try bytes.rtcpRequire(offset, Self.entrySize, within: entriesRange.upperBound)
        return RTCPFullIntraRequestEntry(ssrc: bytes.rtcpUInt32(at: offset), sequenceNumber: bytes[offset + 4])
    }

    public static func encodedSize(entryCount: Int) -> Int {
        RTCPHeader.size + RTCPFeedbackSources.size + entryCount * entrySize
    }

    public static func build(senderSSRC: UInt32, entries: [RTCPFullIntraRequestEntry], into buffer: UnsafeMutableRawBufferPointer) throws(RTCPError) -> Int {
        let maximum = (65536 * 4 - 12) / entrySize
        if entries.count > maximum { throw .tooManyItems(count: entries.count, maximum: maximum) }
        let size = encodedSize(entryCount: entries.count)
        try buffer.rtcpRequireCapacity(size)
        RTCPFeedbackSources(senderSSRC: senderSSRC, mediaSSRC: 0)
            .write(type: RTCPFeedbackSources.payloadSpecificFeedbackType, format: format, packetLength: size, into: buffer)
        var offset = 12
        for entry in entries {
            buffer.rtcpStore(entry.ssrc, at: offset)
            buffer.rtcpStore(UInt32(entry.sequenceNumber) << 24, at: offset + 4)
            offset += entrySize
        }
        return size
    }

    public static func build(senderSSRC: UInt32, entries: [RTCPFullIntraRequestEntry]) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize(entryCount: entries.count)) { buffer throws(RTCPError) in
            try build(senderSSRC: senderSSRC, entries: entries, into: buffer)
        }
    }
}
