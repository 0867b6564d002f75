/// One NACK FCI entry (RFC 4585 §6.2.1): a lost packet ID and a bitmask of the 16 after it.
public struct RTCPNACKPair: Sendable, Equatable {
    public var packetID: UInt16
    /// Bit i set means packetID + i + 1 is lost too.
    public var bitmaskOfLostPackets: UInt16

    public init(packetID: UInt16, bitmaskOfLostPackets: UInt16) {
        self.packetID = packetID
        self.bitmaskOfLostPackets = bitmaskOfLostPackets
    }
}

/// Generic NACK, RTPFB FMT=1 (RFC 4585 §6.2.1).
public struct RTCPGenericNACK: Sendable, Equatable {
    public static let format: UInt8 = 1

    public let header: RTCPHeader
    public let sources: RTCPFeedbackSources
    /// The PID/BLP pairs, 4 bytes each.
    public let pairsRange: Range<Int>
    public var pairCount: Int { pairsRange.count / 4 }

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        sources = try RTCPFeedbackSources(
            parsing: header, type: RTCPFeedbackSources.transportLayerFeedbackType,
            format: Self.format, fciMinimum: 4, in: bytes)
        self.header = header
        // RFC 4585 §6.2.1: the FCI holds one or more 32-bit PID/BLP entries.
        let start = header.payloadRange.lowerBound + RTCPFeedbackSources.size
        let fciLength = (header.payloadRange.upperBound - start) & ~3
        pairsRange = start..<(start + fciLength)
    }

    public func pairs(in bytes: UnsafeRawBufferPointer) -> RTCPNACKPairIterator {
        RTCPNACKPairIterator(bytes: bytes, range: pairsRange)
    }

    /// Every sequence number the packet reports lost, in PID/BLP order.
    public func lostSequenceNumbers(in bytes: UnsafeRawBufferPointer) -> RTCPNACKLostSequenceNumberIterator {
        RTCPNACKLostSequenceNumberIterator(pairs: pairs(in: bytes))
    }

    /// Packs lost sequence numbers into PID/BLP pairs. Input is ordered wrap-aware from
    /// its lowest element (within ±32767 of the first, so 65534, 65535, 0, 1 stay
    /// together) and de-duplicated.
    public static func pairs(packing lostSequenceNumbers: [UInt16]) -> [RTCPNACKPair] {
        guard let first = lostSequenceNumbers.first else { return [] }
        var lowest: Int16 = 0
        for sequenceNumber in lostSequenceNumbers {
            lowest = Swift.min(lowest, Int16(bitPattern: sequenceNumber &- first))
        }
        let base = first &+ UInt16(bitPattern: lowest)
        var ordered = lostSequenceNumbers
        var isOrdered = true
        for index in ordered.indices.dropFirst() where ordered[index] &- base <= ordered[index - 1] &- base {
            isOrdered = false
            break
        }
        if !isOrdered { ordered.sort { $0 &- base < $1 &- base } }
        var result: [RTCPNACKPair] = []
        result.reserveCapacity(ordered.count)
        for sequenceNumber in ordered {
            if var last = result.last {
                let distance = sequenceNumber &- last.packetID
                if distance == 0 { continue }
                if distance <= 16 {
                    last.bitmaskOfLostPackets |= 1 << (distance - 1)
                    result[result.count - 1] = last
                    continue
                }
            }
            result.append(RTCPNACKPair(packetID: sequenceNumber, bitmaskOfLostPackets: 0))
        }
        return result
    }

    public static func encodedSize(pairCount: Int) -> Int {
        RTCPHeader.size + RTCPFeedbackSources.size + pairCount * 4
    }

    /// Writes a NACK holding `pairs`; returns bytes written.
    public static func build(sources: RTCPFeedbackSources, pairs: [RTCPNACKPair], into buffer: UnsafeMutableRawBufferPointer) throws(RTCPError) -> Int {
        let maximum = (65536 * 4 - RTCPHeader.size - RTCPFeedbackSources.size) / 4
        if pairs.count > maximum { throw .tooManyItems(count: pairs.count, maximum: maximum) }
        let size = encodedSize(pairCount: pairs.count)
        try buffer.rtcpRequireCapacity(size)
        sources.write(type: RTCPFeedbackSources.transportLayerFeedbackType, format: format, packetLength: size, into: buffer)
        var offset = 12
        for pair in pairs {
            buffer.rtcpStore(pair.packetID, at: offset)
            buffer.rtcpStore(pair.bitmaskOfLostPackets, at: offset + 2)
            offset += 4
        }
        return size
    }

    /// Builds a NACK from a list of lost sequence numbers (see `pairs(packing:)`).
    public static func build(sources: RTCPFeedbackSources, lostSequenceNumbers: [UInt16]) throws(RTCPError) -> [UInt8] {
        let packed = pairs(packing: lostSequenceNumbers)
        return try rtcpBuildArray(capacity: encodedSize(pairCount: packed.count)) { buffer throws(RTCPError) in
            try build(sources: sources, pairs: packed, into: buffer)
        }
    }
}

/// Yields PID/BLP pairs from a borrowed buffer.
public struct RTCPNACKPairIterator: IteratorProtocol, Sequence {
    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    private var offset: Int

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.end = Swift.min(range.upperBound, bytes.count)
        self.offset = range.lowerBound
    }

    public mutating func next() -> RTCPNACKPair? {
        guard offset >= 0, offset + 4 <= end else { return nil }
        defer { offset += 4 }
        return RTCPNACKPair(packetID: bytes.rtcpUInt16(at: offset), bitmaskOfLostPackets: bytes.rtcpUInt16(at: offset + 2))
    }
}

/// Expands PID/BLP pairs into sequence numbers (RFC 4585 §6.2.1), wrapping at 65535.
public struct RTCPNACKLostSequenceNumberIterator: IteratorProtocol, Sequence {
    private var pairs: RTCPNACKPairIterator
    private var current: RTCPNACKPair?
    /// 0 = the PID itself, 1...16 = BLP bit (n - 1).
    private var position = 0

    init(pairs: RTCPNACKPairIterator) {
        self.pairs = pairs
    }

    public mutating func next() -> UInt16? {
        while true {
            if current == nil {
                guard let pair = pairs.next() else { return nil }
                current = pair
                position = 0
            }
            guard let pair = current else { return nil }
            if position == 0 {
                position = 1
                return pair.packetID
            }
            while position <= 16 {
                let bit = position - 1
                position += 1
                if pair.bitmaskOfLostPackets & (1 << bit) != 0 {
                    return pair.packetID &+ UInt16(bit + 1)
                }
            }
            current = nil
        }
    }
}
