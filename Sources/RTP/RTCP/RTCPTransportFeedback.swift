/// The fate of one packet reported in a transport-cc feedback.
public struct RTCPTransportFeedbackPacketResult: Sendable, Equatable {
    /// Transport-wide sequence number.
    public let sequenceNumber: UInt16
    /// Receive delta in 250 µs ticks, relative to the previous received packet (or to
    /// the reference time for the first one); nil when the packet was not received.
    public let receiveDeltaTicks: Int32?
    /// Reference time plus all deltas so far, in µs in the feedback sender's clock.
    public let arrivalTimeMicroseconds: Int64?

    public var isReceived: Bool { receiveDeltaTicks != nil }

    public init(sequenceNumber: UInt16, receiveDeltaTicks: Int32?, arrivalTimeMicroseconds: Int64?) {
        self.sequenceNumber = sequenceNumber
        self.receiveDeltaTicks = receiveDeltaTicks
        self.arrivalTimeMicroseconds = arrivalTimeMicroseconds
    }
}

/// Transport-wide congestion control feedback, RTPFB FMT=15
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
///
/// Parsing allocates one array of results (feedback arrives every 50-100 ms, not per
/// media packet); its size is the packet status count, which is first checked
/// against what the packet's chunks could possibly cover.
public struct RTCPTransportFeedback: Sendable, Equatable {
    public static let format: UInt8 = 15
    /// Receive deltas are in multiples of 250 µs (§3.1.5).
    public static let deltaTickMicroseconds: Int64 = 250
    /// The reference time is in multiples of 64 ms (§3.1).
    public static let referenceTimeUnitMicroseconds: Int64 = 64_000

    public let header: RTCPHeader
    public let sources: RTCPFeedbackSources
    public let baseSequenceNumber: UInt16
    public let packetStatusCount: Int
    /// Signed 24-bit reference time in 64 ms units.
    public let referenceTime: Int32
    public let feedbackPacketCount: UInt8
    public let packets: [RTCPTransportFeedbackPacketResult]

    public var referenceTimeMicroseconds: Int64 { Int64(referenceTime) * Self.referenceTimeUnitMicroseconds }

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        sources = try RTCPFeedbackSources(
            parsing: header, type: RTCPFeedbackSources.transportLayerFeedbackType,
            format: Self.format, fciMinimum: 8, in: bytes)
        self.header = header
        let fci = header.payloadRange.lowerBound + RTCPFeedbackSources.size
        let end = header.payloadRange.upperBound
        // §3.1: base sequence number (16) | packet status count (16) | reference time (24) | fb pkt count (8).
        baseSequenceNumber = bytes.rtcpUInt16(at: fci)
        packetStatusCount = Int(bytes.rtcpUInt16(at: fci + 2))
        referenceTime = Int32(bitPattern: bytes.rtcpUInt24(at: fci + 4) << 8) >> 8
        feedbackPacketCount = bytes[fci + 7]
        packets = try Self.parseStatuses(
            bytes, chunksStart: fci + 8, end: end, base: baseSequenceNumber,
            statusCount: packetStatusCount,
            referenceMicroseconds: Int64(referenceTime) * Self.referenceTimeUnitMicroseconds)
    }

    /// Number of statuses a chunk carries (§3.1.3, §3.1.4).
    @inline(__always)
    static func chunkCapacity(_ chunk: UInt16) -> Int {
        if chunk & 0x8000 == 0 { return Int(chunk & 0x1FFF) }
        return chunk & 0x4000 == 0 ? 14 : 7
    }

    static func parseStatuses(
        _ bytes: UnsafeRawBufferPointer, chunksStart: Int, end: Int, base: UInt16,
        statusCount: Int, referenceMicroseconds: Int64
    ) throws(RTCPError) -> [RTCPTransportFeedbackPacketResult] {
        // Cap before allocating: a 2-byte run-length chunk covers at most 8191 packets.
        let chunkBytes = Swift.max(0, end - chunksStart)
        guard statusCount <= chunkBytes / 2 * 8191 else {
            throw .truncated(needed: (statusCount + 8190) / 8191 * 2, available: chunkBytes)
        }
        // Pass 1: find where the chunks end and the receive deltas begin (§3.1).
        var covered = 0
        var offset = chunksStart
        while covered < statusCount {
            try bytes.rtcpRequire(offset, 2, within: end)
            covered += chunkCapacity(bytes.rtcpUInt16(at: offset))
            offset += 2
        }
        var deltaOffset = offset
        // Pass 2: expand symbols and read one delta per received packet.
        var results: [RTCPTransportFeedbackPacketResult] = []
        results.reserveCapacity(statusCount)
        var sequenceNumber = base
        var time = referenceMicroseconds

        func append(_ symbol: UInt16) throws(RTCPError) {
            // §3.1.1: 00 not received, 01 small delta, 10 large or negative delta, 11 reserved.
            let ticks: Int32
            switch symbol {
            case 0:
                results.append(RTCPTransportFeedbackPacketResult(sequenceNumber: sequenceNumber, receiveDeltaTicks: nil, arrivalTimeMicroseconds: nil))
                sequenceNumber &+= 1
                return
            case 1:
                // §3.1.5: small delta, one unsigned octet.
                try bytes.rtcpRequire(deltaOffset, 1, within: end)
                ticks = Int32(bytes[deltaOffset])
                deltaOffset += 1
            case 2:
                // §3.1.5: large or negative delta, two octets signed.
                try bytes.rtcpRequire(deltaOffset, 2, within: end)
                ticks = Int32(Int16(bitPattern: bytes.rtcpUInt16(at: deltaOffset)))
                deltaOffset += 2
            default:
                throw .reservedTransportFeedbackSymbol
            }
            time += Int64(ticks) * deltaTickMicroseconds
            results.append(RTCPTransportFeedbackPacketResult(sequenceNumber: sequenceNumber, receiveDeltaTicks: ticks, arrivalTimeMicroseconds: time))
            sequenceNumber &+= 1
        }

        offset = chunksStart
        var remaining = statusCount
        while remaining > 0 {
            let chunk = bytes.rtcpUInt16(at: offset)
            offset += 2
            if chunk & 0x8000 == 0 {
                // §3.1.3 run length chunk: T=0 | S (2) | run length (13).
                let symbol = (chunk >> 13) & 0x3
                let run = Swift.min(Int(chunk & 0x1FFF), remaining)
                for _ in 0..<run { try append(symbol) }
                remaining -= run
            } else if chunk & 0x4000 == 0 {
                // §3.1.4 status vector chunk, S=0: fourteen 1-bit symbols.
                let used = Swift.min(14, remaining)
                for index in 0..<used { try append((chunk >> UInt16(13 - index)) & 0x1) }
                remaining -= used
            } else {
                // §3.1.4 status vector chunk, S=1: seven 2-bit symbols.
                let used = Swift.min(7, remaining)
                for index in 0..<used { try append((chunk >> UInt16(12 - 2 * index)) & 0x3) }
                remaining -= used
            }
        }
        return results
    }
}
