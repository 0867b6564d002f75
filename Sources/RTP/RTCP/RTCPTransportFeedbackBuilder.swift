/// One packet to report in a transport-cc feedback: its transport-wide sequence
/// number and its arrival time in µs (any monotonic receiver clock), or nil if lost.
public struct RTCPTransportFeedbackArrival: Sendable, Equatable {
    public var sequenceNumber: UInt16
    public var arrivalTimeMicroseconds: Int64?

    public init(sequenceNumber: UInt16, arrivalTimeMicroseconds: Int64?) {
        self.sequenceNumber = sequenceNumber
        self.arrivalTimeMicroseconds = arrivalTimeMicroseconds
    }
}

/// Builds transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
///
/// Arrivals may come in any order, with gaps (reported as not received) and duplicates
/// (first one wins); sequence numbers are ordered wrap-aware. Runs of equal symbols become
/// run-length chunks, mixed stretches status-vector chunks. A new feedback packet is
/// started whenever a delta does not fit 16 bits, the status count would overflow, or
/// the packet would exceed `maximumPacketSize`.
///
/// Keep one builder per stream and reuse it: its scratch storage is kept between builds.
public struct RTCPTransportFeedbackBuilder: Sendable {
    public var sources: RTCPFeedbackSources
    public var maximumPacketSize: Int

    /// Timeline markers: never filled in, and explicitly reported as not received.
    static let unset = Int64.min
    static let notReceived = Int64.min + 1
    static let fixedSize = 20

    private var timeline: [Int64] = []
    private var symbols: [UInt8] = []
    private var deltas: [Int16] = []
    private var chunks: [UInt16] = []
    private var packetBase: UInt16 = 0
    private var packetReferenceTime: Int64 = 0

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, maximumPacketSize: Int = 1200) {
        sources = RTCPFeedbackSources(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC)
        self.maximumPacketSize = Swift.max(maximumPacketSize, 32)
    }

    /// Builds one or more feedback packets, numbered from `feedbackPacketCount` upward.
    public mutating func build(arrivals: [RTCPTransportFeedbackArrival], feedbackPacketCount: UInt8) -> [[UInt8]] {
        guard let base = prepareTimeline(arrivals) else { return [] }
        var result: [[UInt8]] = []
        var start = 0
        var count = feedbackPacketCount
        while start < timeline.count {
            let used = preparePacket(from: start, base: base)
            let size = preparedPacketSize
            var packet = [UInt8](repeating: 0, count: size)
            packet.withUnsafeMutableBytes { writePreparedPacket(into: $0, feedbackPacketCount: count) }
            result.append(packet)
            start += used
            count &+= 1
        }
        return result
    }

    /// Builds the feedback packets back to back into `buffer`.
    /// Returns bytes written and how many feedback packets they hold.
    public mutating func build(
        arrivals: [RTCPTransportFeedbackArrival], feedbackPacketCount: UInt8,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTCPError) -> (bytesWritten: Int, packetCount: Int) {
        guard let base = prepareTimeline(arrivals) else { return (0, 0) }
        var start = 0
        var offset = 0
        var packets = 0
        while start < timeline.count {
            let used = preparePacket(from: start, base: base)
            let size = preparedPacketSize
            if buffer.count - offset < size { throw .bufferTooSmall(needed: offset + size, available: buffer.count) }
            writePreparedPacket(
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + size)]),
                feedbackPacketCount: feedbackPacketCount &+ UInt8(truncatingIfNeeded: packets))
            offset += size
            start += used
            packets += 1
        }
        return (offset, packets)
    }

    /// Lays the arrivals out by sequence number from the wrap-aware lowest one;
    /// returns that base sequence number.
    private mutating func prepareTimeline(_ arrivals: [RTCPTransportFeedbackArrival]) -> UInt16? {
        guard let first = arrivals.first?.sequenceNumber else { return nil }
        var lowest: Int16 = 0
        var highest: Int16 = 0
        for arrival in arrivals {
            let offset = Int16(bitPattern: arrival.sequenceNumber &- first)
            lowest = Swift.min(lowest, offset)
            highest = Swift.max(highest, offset)
        }
        let base = first &+ UInt16(bitPattern: lowest)
        let span = Int(highest) - Int(lowest) + 1
        timeline.removeAll(keepingCapacity: true)
        timeline.append(contentsOf: repeatElement(Self.unset, count: span))
        for arrival in arrivals {
            let index = Int(arrival.sequenceNumber &- base)
            // Duplicates: the first report of a sequence number wins.
            guard index < span, timeline[index] == Self.unset else { continue }
            timeline[index] = Swift.max(arrival.arrivalTimeMicroseconds ?? Self.notReceived, Self.notReceived)
        }
        return base
    }

    @inline(__always)
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }

    /// Chooses symbols and deltas for one feedback packet starting at `start`;
    /// returns how many timeline entries it covers.
    private mutating func preparePacket(from start: Int, base: UInt16) -> Int {
        symbols.removeAll(keepingCapacity: true)
        deltas.removeAll(keepingCapacity: true)
        packetBase = base &+ UInt16(truncatingIfNeeded: start)
        // §3.1: reference time in 64 ms units, taken from the first received packet so its delta fits.
        var referenceTime: Int64 = 0
        for index in start..<timeline.count where timeline[index] > Self.notReceived {
            referenceTime = Self.floorDivide(timeline[index], RTCPTransportFeedback.referenceTimeUnitMicroseconds)
            break
        }
        packetReferenceTime = referenceTime
        var previousTicks = referenceTime * 256
        var deltaBytes = 0
        var index = start
        while index < timeline.count, symbols.count < 0xFFFF {
            let time = timeline[index]
            var symbol: UInt8 = 0
            var delta: Int64 = 0
            var extraBytes = 0
            if time > Self.notReceived {
                let ticks = Self.floorDivide(time, RTCPTransportFeedback.deltaTickMicroseconds)
                delta = ticks - previousTicks
                if delta >= 0, delta <= 255 {
                    symbol = 1
                    extraBytes = 1
                } else if delta >= Int64(Int16.min), delta <= Int64(Int16.max) {
                    symbol = 2
                    extraBytes = 2
                } else {
                    break // §3.1.5: delta does not fit; continue in a new feedback packet.
                }
            }
            // Worst case every chunk carries 7 symbols.
            let chunkBound = (symbols.count + 1 + 6) / 7 * 2
            if !symbols.isEmpty, rtcpPaddedTo32Bits(Self.fixedSize + chunkBound + deltaBytes + extraBytes) > maximumPacketSize {
                break
            }
            symbols.append(symbol)
            if symbol != 0 {
                deltas.append(Int16(truncatingIfNeeded: delta))
                previousTicks += delta
                deltaBytes += extraBytes
            }
            index += 1
        }
        encodeChunks()
        return symbols.count
    }

    /// Greedy chunk choice (§3.1.3, §3.1.4): run-length for long runs, 1-bit vectors
    /// when the next 14 symbols have no large delta, 2-bit vectors otherwise.
    private mutating func encodeChunks() {
        chunks.removeAll(keepingCapacity: true)
        let count = symbols.count
        var index = 0
        while index < count {
            let symbol = symbols[index]
            var run = 1
            while index + run < count, run < 0x1FFF, symbols[index + run] == symbol { run += 1 }
            if run >= 14 || (run == count - index && run > 1) {
                chunks.append(UInt16(symbol) << 13 | UInt16(run))
                index += run
                continue
            }
            let oneBitCount = Swift.min(14, count - index)
            var fitsOneBit = true
            for offset in 0..<oneBitCount where symbols[index + offset] > 1 {
                fitsOneBit = false
                break
            }
            if fitsOneBit {
                var chunk: UInt16 = 0x8000
                for offset in 0..<oneBitCount { chunk |= UInt16(symbols[index + offset]) << UInt16(13 - offset) }
                chunks.append(chunk)
                index += oneBitCount
            } else if run >= 7 {
                chunks.append(UInt16(symbol) << 13 | UInt16(run))
                index += run
            } else {
                let twoBitCount = Swift.min(7, count - index)
                var chunk: UInt16 = 0xC000
                for offset in 0..<twoBitCount { chunk |= UInt16(symbols[index + offset]) << UInt16(12 - 2 * offset) }
                chunks.append(chunk)
                index += twoBitCount
            }
        }
    }

    private var preparedPacketSize: Int {
        var deltaBytes = 0
        for symbol in symbols where symbol != 0 { deltaBytes += Int(symbol) }
        return rtcpPaddedTo32Bits(Self.fixedSize + chunks.count * 2 + deltaBytes)
    }

    private func writePreparedPacket(into buffer: UnsafeMutableRawBufferPointer, feedbackPacketCount: UInt8) {
        let size = buffer.count
        sources.write(type: RTCPFeedbackSources.transportLayerFeedbackType, format: RTCPTransportFeedback.format, packetLength: size, into: buffer)
        buffer.rtcpStore(packetBase, at: 12)
        buffer.rtcpStore(UInt16(symbols.count), at: 14)
        buffer.rtcpStore24(UInt32(truncatingIfNeeded: packetReferenceTime) & 0xFF_FFFF, at: 16)
        buffer[19] = feedbackPacketCount
        var offset = 20
        for chunk in chunks {
            buffer.rtcpStore(chunk, at: offset)
            offset += 2
        }
        var deltaIndex = 0
        for symbol in symbols where symbol != 0 {
            let delta = deltas[deltaIndex]
            deltaIndex += 1
            if symbol == 1 {
                buffer[offset] = UInt8(truncatingIfNeeded: delta)
                offset += 1
            } else {
                buffer.rtcpStore(UInt16(bitPattern: delta), at: offset)
                offset += 2
            }
        }
        // RFC 3550 §6.4.1 padding: zeros, last octet holds the count, P bit set.
        if offset < size {
            buffer.rtcpZero(offset..<size)
            buffer[size - 1] = UInt8(size - offset)
            buffer[0] |= 0x20
        }
    }
}
