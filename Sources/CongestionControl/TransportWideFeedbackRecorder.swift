public import RTP

/// Records when each packet of one publisher transport arrived, by its transport-wide
/// sequence number, and turns the records into transport-cc feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) for the publisher's
/// congestion controller.
///
/// Storage is a ring of `capacity` arrival times allocated at init, so recording never
/// allocates. Each `poll` reports everything from the first not-yet-reported sequence
/// number to the newest; a packet arriving after its number was reported (reordering)
/// moves the window back so the next feedback reports it again, as received, as long as
/// it is within the ring and no older than `maximumAgeMicroseconds`. Duplicates keep the
/// first arrival.
public struct TransportWideFeedbackRecorder: Sendable {
    public let capacity: Int
    public let maximumAgeMicroseconds: Int64
    /// The "SSRC of media source" the feedback carries. libwebrtc hands feedback to its
    /// congestion controller only when this is one of the SSRCs it sends (its RTCP receiver
    /// drops feedback for SSRC 0), so set it to a stream the sender uses, as mediasoup does.
    public var mediaSSRC: UInt32 {
        get { builder.sources.mediaSSRC }
        set { builder.sources.mediaSSRC = newValue }
    }
    /// Feedback packet count of the next feedback packet (§3.1, wraps at 255).
    public private(set) var nextFeedbackPacketCount: UInt8 = 0

    private let mask: Int
    /// Extended sequence number held by each slot (`Int64.min` = empty) and its arrival.
    private var tags: [Int64]
    private var arrivals: [Int64]
    private var highest: Int64?
    /// First extended sequence number not reported yet.
    private var windowStart: Int64 = 0
    /// Lowest extended sequence number still worth re-reporting.
    private var retainedStart: Int64 = 0
    private var builder: RTCPTransportFeedbackBuilder
    private var scratch: [RTCPTransportFeedbackArrival] = []

    private static let empty = Int64.min

    /// - Parameter capacity: sequence numbers remembered, rounded up to a power of two in
    ///   64...16384 (the builder orders numbers within half the 16-bit space).
    public init(
        senderSSRC: UInt32, mediaSSRC: UInt32 = 0, capacity: Int = 4096,
        maximumAgeMicroseconds: Int64 = 500_000, maximumPacketSize: Int = 1200
    ) {
        var slots = 64
        while slots < min(max(capacity, 64), 16384) { slots <<= 1 }
        self.capacity = slots
        self.mask = slots - 1
        self.maximumAgeMicroseconds = maximumAgeMicroseconds
        tags = [Int64](repeating: Self.empty, count: slots)
        arrivals = [Int64](repeating: 0, count: slots)
        builder = RTCPTransportFeedbackBuilder(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, maximumPacketSize: maximumPacketSize)
        scratch.reserveCapacity(slots)
    }

    /// Records one arriving packet's transport-wide sequence number and arrival time (µs,
    /// the receiver's monotonic clock).
    public mutating func record(sequenceNumber: UInt16, arrivalMicroseconds: Int64) {
        guard let highest else {
            let extended = Int64(sequenceNumber)
            self.highest = extended
            windowStart = extended
            // Packets reordered before this one are still welcome, as far back as the ring reaches.
            retainedStart = extended - Int64(capacity) + 1
            store(extended, arrivalMicroseconds)
            return
        }
        let extended = highest + Int64(SerialNumberArithmetic.distance(
            from: UInt16(truncatingIfNeeded: highest), to: sequenceNumber))
        if extended > highest {
            if extended - highest >= Int64(capacity) {
                // A jump beyond the ring: nothing in between can be reported; start over.
                windowStart = extended
                retainedStart = extended - Int64(capacity) + 1
            }
            self.highest = extended
            // Keep the window and retained range inside the ring.
            let lowestInRing = extended - Int64(capacity) + 1
            retainedStart = max(retainedStart, lowestInRing)
            windowStart = max(windowStart, lowestInRing)
        } else if extended < retainedStart {
            return // Too old to report again.
        }
        let slot = Int(extended & Int64(mask))
        if tags[slot] == extended { return } // Duplicate: the first arrival counts.
        store(extended, arrivalMicroseconds)
        // A late packet whose number was already reported as lost: report it again.
        if extended < windowStart { windowStart = extended }
    }

    private mutating func store(_ extended: Int64, _ arrival: Int64) {
        let slot = Int(extended & Int64(mask))
        tags[slot] = extended
        arrivals[slot] = arrival
    }

    private func arrival(_ extended: Int64) -> Int64? {
        let slot = Int(extended & Int64(mask))
        return tags[slot] == extended ? arrivals[slot] : nil
    }

    /// Whether there is something new to report.
    public var hasUnreported: Bool {
        guard let highest else { return false }
        return windowStart <= highest
    }

    /// Collects the unreported window and forgets records older than the age limit.
    private mutating func prepareWindow(nowMicroseconds: Int64) -> Bool {
        guard let highest, windowStart <= highest else { return false }
        scratch.removeAll(keepingCapacity: true)
        for extended in windowStart...highest {
            scratch.append(RTCPTransportFeedbackArrival(
                sequenceNumber: UInt16(truncatingIfNeeded: extended), arrivalTimeMicroseconds: arrival(extended)))
        }
        windowStart = highest + 1
        // Keep what arrived recently so a late neighbour can be re-reported with it.
        while retainedStart < windowStart {
            if let time = arrival(retainedStart), nowMicroseconds - time <= maximumAgeMicroseconds { break }
            retainedStart += 1
        }
        return true
    }

    /// The feedback packets for everything not reported yet (empty if nothing is new), each
    /// numbered with the next feedback packet count. Call every 50-100 ms.
    public mutating func poll(nowMicroseconds: Int64) -> [[UInt8]] {
        guard prepareWindow(nowMicroseconds: nowMicroseconds) else { return [] }
        let packets = builder.build(arrivals: scratch, feedbackPacketCount: nextFeedbackPacketCount)
        nextFeedbackPacketCount &+= UInt8(truncatingIfNeeded: packets.count)
        return packets
    }

    /// Writes the feedback packets back to back into `buffer`; returns bytes written and how
    /// many packets they are. On error nothing is consumed: the window is reported next time.
    public mutating func poll(
        nowMicroseconds: Int64, into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTCPError) -> (bytesWritten: Int, packetCount: Int) {
        let savedWindow = windowStart
        let savedRetained = retainedStart
        guard prepareWindow(nowMicroseconds: nowMicroseconds) else { return (0, 0) }
        do throws(RTCPError) {
            let result = try builder.build(arrivals: scratch, feedbackPacketCount: nextFeedbackPacketCount, into: buffer)
            nextFeedbackPacketCount &+= UInt8(truncatingIfNeeded: result.packetCount)
            return result
        } catch {
            windowStart = savedWindow
            retainedStart = savedRetained
            throw error
        }
    }
}
