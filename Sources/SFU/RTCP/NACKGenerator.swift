import RTP

/// What one arriving packet meant to a `NACKGenerator`.
public enum NACKGeneratorArrival: Sendable, Hashable {
    /// The first packet of the stream.
    case first
    /// The next packet in order.
    case inOrder
    /// A newer packet after a gap; the skipped packets are now missing and will be NACKed.
    case gap(missing: Int)
    /// A packet that was missing arrived (late or retransmitted); it is no longer NACKed.
    case recovered
    /// An older packet that was not missing: a duplicate, or one already given up on.
    case duplicateOrStale
    /// The gap was too large to NACK (more than `maximumMissing`): the missing list was
    /// cleared and the caller should ask the publisher for a key frame (PLI/FIR) instead.
    case keyFrameRequired
}

/// Decides which packets of one incoming stream to NACK, and when (RFC 4585 §6.2.1).
///
/// Feed every arriving sequence number (media and decapsulated RTX) to `received`, and call
/// `poll` from a timer. A missing packet is NACKed at the first poll at least
/// `initialDelayMicroseconds` after its gap was seen (reordering usually fixes small gaps
/// by then), then again at most every max(RTT, `minimumIntervalMicroseconds`), at most
/// `maximumRequests` times, and dropped after `maximumAgeMicroseconds`. The missing list is
/// preallocated and bounded by `maximumMissing`; when a gap overflows it the oldest entries
/// go first, and a single gap larger than the bound asks for a key frame instead.
public struct NACKGenerator: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var maximumMissing: Int
        public var maximumRequests: Int
        public var initialDelayMicroseconds: Int64
        public var minimumIntervalMicroseconds: Int64
        public var maximumAgeMicroseconds: Int64

        public init(
            maximumMissing: Int = 1000, maximumRequests: Int = 10,
            initialDelayMicroseconds: Int64 = 0, minimumIntervalMicroseconds: Int64 = 5_000,
            maximumAgeMicroseconds: Int64 = 1_000_000
        ) {
            self.maximumMissing = max(1, min(maximumMissing, 30_000))
            self.maximumRequests = max(1, maximumRequests)
            self.initialDelayMicroseconds = max(0, initialDelayMicroseconds)
            self.minimumIntervalMicroseconds = max(0, minimumIntervalMicroseconds)
            self.maximumAgeMicroseconds = maximumAgeMicroseconds
        }
    }

    /// One missing packet.
    struct Missing: Sendable, Hashable {
        var extendedSequenceNumber: Int64
        var detectedAt: Int64
        /// When it was last NACKed; nil before the first request.
        var lastRequestedAt: Int64?
        var requests: Int
    }

    public let configuration: Configuration
    private var highest: Int64?
    /// Sorted by extended sequence number (gaps are always found above everything listed).
    private var missing: [Missing] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        missing.reserveCapacity(configuration.maximumMissing)
    }

    /// Sequence numbers currently missing, oldest first.
    public var missingSequenceNumbers: [UInt16] {
        missing.map { UInt16(truncatingIfNeeded: $0.extendedSequenceNumber) }
    }

    public var missingCount: Int { missing.count }

    /// Records an arriving packet at `now` (µs, monotonic).
    @discardableResult
    public mutating func received(sequenceNumber: UInt16, nowMicroseconds: Int64) -> NACKGeneratorArrival {
        guard let highest else {
            self.highest = Int64(sequenceNumber)
            return .first
        }
        let extended = highest + Int64(SerialNumberArithmetic.distance(
            from: UInt16(truncatingIfNeeded: highest), to: sequenceNumber))
        if extended <= highest {
            guard let index = indexOfMissing(extended) else { return .duplicateOrStale }
            missing.remove(at: index)
            return .recovered
        }
        self.highest = extended
        let gap = extended - highest - 1
        if gap == 0 { return .inOrder }
        guard gap <= Int64(configuration.maximumMissing) else {
            missing.removeAll(keepingCapacity: true)
            return .keyFrameRequired
        }
        let overflow = missing.count + Int(gap) - configuration.maximumMissing
        if overflow > 0 { missing.removeFirst(overflow) }
        for value in (highest + 1)..<extended {
            missing.append(Missing(extendedSequenceNumber: value, detectedAt: nowMicroseconds, lastRequestedAt: nil, requests: 0))
        }
        return .gap(missing: Int(gap))
    }

    /// Appends to `output` the sequence numbers to NACK now, oldest first, and drops those
    /// that were requested `maximumRequests` times or are older than `maximumAgeMicroseconds`.
    /// `output` is not cleared; keep one array and reuse it to avoid allocating.
    public mutating func poll(nowMicroseconds: Int64, roundTripTimeMicroseconds: Int64, into output: inout [UInt16]) {
        let interval = max(roundTripTimeMicroseconds, configuration.minimumIntervalMicroseconds)
        var kept = 0
        for index in missing.indices {
            var entry = missing[index]
            // Gave up: asked often enough, or so old a retransmission is useless now.
            if entry.requests >= configuration.maximumRequests
                || nowMicroseconds - entry.detectedAt > configuration.maximumAgeMicroseconds {
                continue
            }
            let due: Bool
            if let last = entry.lastRequestedAt {
                // Not before the previous request and its retransmission could make the round trip.
                due = nowMicroseconds - last >= interval
            } else {
                due = nowMicroseconds - entry.detectedAt >= configuration.initialDelayMicroseconds
            }
            if due {
                output.append(UInt16(truncatingIfNeeded: entry.extendedSequenceNumber))
                entry.requests += 1
                entry.lastRequestedAt = nowMicroseconds
            }
            missing[kept] = entry
            kept += 1
        }
        missing.removeLast(missing.count - kept)
    }

    /// Allocating convenience for tests and slow paths.
    public mutating func poll(nowMicroseconds: Int64, roundTripTimeMicroseconds: Int64) -> [UInt16] {
        var output: [UInt16] = []
        poll(nowMicroseconds: nowMicroseconds, roundTripTimeMicroseconds: roundTripTimeMicroseconds, into: &output)
        return output
    }

    /// Stops NACKing packets older than `sequenceNumber`, e.g. once a key frame made them useless.
    public mutating func removeMissing(olderThan sequenceNumber: UInt16) {
        guard let highest else { return }
        let extended = highest + Int64(SerialNumberArithmetic.distance(
            from: UInt16(truncatingIfNeeded: highest), to: sequenceNumber))
        let firstKept = missing.firstIndex { $0.extendedSequenceNumber >= extended } ?? missing.count
        missing.removeFirst(firstKept)
    }

    /// Forgets the stream's history (e.g. after an SSRC change).
    public mutating func reset() {
        highest = nil
        missing.removeAll(keepingCapacity: true)
    }

    private func indexOfMissing(_ extended: Int64) -> Int? {
        var low = 0
        var high = missing.count
        while low < high {
            let middle = (low + high) / 2
            if missing[middle].extendedSequenceNumber < extended { low = middle + 1 } else { high = middle }
        }
        return low < missing.count && missing[low].extendedSequenceNumber == extended ? low : nil
    }
}
