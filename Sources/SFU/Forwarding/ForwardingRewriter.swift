import RTP

/// Turns the packets a subscription receives from one or more publisher sources (simulcast
/// layers: different SSRCs, sequence spaces and timestamp bases) into ONE continuous RTP stream
/// with the subscription's own SSRC (RFC 7667 §3.7: a switching RTP middlebox must keep each
/// outgoing stream's sequence numbers and timestamps consistent).
///
/// - Sequence numbers: packets the router drops on purpose leave no hole (the next forwarded
///   packet takes the next number), but upstream loss does, so the subscriber can NACK it
///   (RFC 4585 §6.2.1). A loss between two dropped packets of the same frame is known to be
///   part of that dropped frame and leaves no hole; any other loss (the rewriter cannot tell
///   which frame a lost packet belonged to) keeps its numbers open, erring towards a NACK. Late packets map through a window of remembered mappings; a
///   retransmission of a forwarded packet gets its original number.
/// - Timestamps: within one source, the source's own spacing is kept (offset only). On a switch
///   the new source's first packet follows the last forwarded one by the wall-clock time elapsed
///   between them, in clock-rate units (at least 1), so the output stays monotonic.
///
/// One instance per subscription (per outgoing stream). Pure state: no I/O, no per-packet
/// allocation (the mapping window is allocated once in `init`).
public struct ForwardingRewriter: Sendable {
    /// Default number of recent sequence numbers whose mapping is remembered (~1.5 s of 1 Mbit/s video).
    public static let defaultWindowSize = 512

    /// Outgoing SSRC of the subscription.
    public let ssrc: UInt32
    /// RTP clock rate of the forwarded codec (90000 for video, 48000 for Opus).
    public let clockRate: UInt32

    /// How one input sequence number of the current source was handled.
    enum SequenceSlot: Sendable {
        case forwarded(output: Int64)
        /// Not seen yet (upstream loss or reordering); its output number is held open.
        case missing(output: Int64)
        case dropped
    }

    private var window: ForwardingHistoryRing<SequenceSlot>
    /// SSRC whose packets are being forwarded; nil before the first forwarded packet.
    public private(set) var currentSource: UInt32?
    private var unwrapper = SequenceNumberUnwrapper()
    /// Highest extended input sequence number of the current source seen so far.
    private var highestInput: Int64 = 0
    /// Timestamp of the packet with the highest input number, and whether it was forwarded.
    private var highestInputTimestamp: UInt32 = 0
    private var highestInputForwarded = true
    /// Extended input sequence number where the current source started to be forwarded.
    private var segmentStart: Int64 = 0
    /// Output extended sequence = input extended sequence + offset.
    private var sequenceOffset: Int64 = 0
    /// Output timestamp = input timestamp &+ offset (mod 2^32).
    private var timestampOffset: UInt32 = 0
    /// Output timestamp of the newest forwarded packet, and when it arrived.
    private var lastOutputTimestamp: UInt32 = 0
    private var lastForwardArrivalMicroseconds: Int64 = 0
    private var hasForwarded = false
    /// True when the newest forwarded packet carried the RTP marker (end of a video frame,
    /// RFC 7741 §4.1), i.e. the subscriber's stream is at a frame boundary — where a router may
    /// insert padding-only probe packets.
    public private(set) var isAtFrameBoundary = true
    private let initialSequenceNumber: UInt16?
    private let initialTimestamp: UInt32?

    /// - Parameters:
    ///   - initialSequenceNumber / initialTimestamp: the first forwarded packet's output values;
    ///     nil keeps the first source's own values (RFC 3550 §5.1 recommends random initial
    ///     values, which the publisher has already chosen).
    ///   - windowSize: how many recent input sequence numbers keep their mapping for late packets.
    public init(ssrc: UInt32, clockRate: UInt32, initialSequenceNumber: UInt16? = nil,
                initialTimestamp: UInt32? = nil, windowSize: Int = ForwardingRewriter.defaultWindowSize) {
        self.ssrc = ssrc
        self.clockRate = clockRate
        self.initialSequenceNumber = initialSequenceNumber
        self.initialTimestamp = initialTimestamp
        self.window = ForwardingHistoryRing(capacity: max(windowSize, 2), filler: .dropped)
    }

    /// The next output sequence number the subscription will get (extended).
    private var nextOutputSequence: Int64 { highestInput + sequenceOffset + 1 }

    /// Maps one publisher packet. `forward` is the router's decision (layer selection); a
    /// dropped packet of the current source still advances state so numbering stays gap-free.
    public mutating func process(
        sourceSSRC: UInt32, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool = false,
        arrivalMicroseconds: Int64, forward: Bool
    ) -> ForwardingResult {
        guard let current = currentSource, current == sourceSSRC else {
            // A packet of another source only matters when the router selects it: that is a switch.
            guard forward else { return .drop(currentSource == nil ? .notSelected : .notCurrentSource) }
            isAtFrameBoundary = marker
            return startSource(sourceSSRC, sequenceNumber: sequenceNumber, timestamp: timestamp,
                               arrivalMicroseconds: arrivalMicroseconds)
        }

        // RFC 3550 §A.1: extend the 16-bit number relative to the highest seen.
        let input = unwrapper.peek(sequenceNumber)
        if input > highestInput {
            // Numbers skipped upstream keep their output numbers so the gap reaches the subscriber,
            // unless they lie inside a frame being dropped: a frame's packets have consecutive
            // numbers, so between two dropped packets of one frame there is only that frame.
            let insideDroppedFrame = !forward && !highestInputForwarded && timestamp == highestInputTimestamp
            var missing = max(highestInput + 1, input - Int64(window.capacity) + 1)
            while missing < input {
                window.set(missing, insideDroppedFrame ? .dropped : .missing(output: missing + sequenceOffset))
                missing += 1
            }
            if insideDroppedFrame { sequenceOffset -= input - highestInput - 1 }
            highestInput = input
            highestInputTimestamp = timestamp
            highestInputForwarded = forward
            _ = unwrapper.unwrap(sequenceNumber)
            guard forward else {
                // A deliberate drop: the next forwarded packet takes this packet's number.
                window.set(input, .dropped)
                sequenceOffset -= 1
                return .drop(.notSelected)
            }
            let output = input + sequenceOffset
            window.set(input, .forwarded(output: output))
            let outputTimestamp = timestamp &+ timestampOffset
            if !hasForwarded || SerialNumberArithmetic.isNewer(outputTimestamp, than: lastOutputTimestamp) {
                lastOutputTimestamp = outputTimestamp
            }
            lastForwardArrivalMicroseconds = arrivalMicroseconds
            hasForwarded = true
            isAtFrameBoundary = marker
            return .forward(header(output, outputTimestamp, .inOrder, startsNewSource: false))
        }

        // A late packet (reordered, retransmitted or duplicated).
        guard input >= segmentStart else { return .drop(.olderThanSwitch) }
        guard input > highestInput - Int64(window.capacity), let slot = window.value(for: input) else {
            return .drop(.outsideWindow)
        }
        let outputTimestamp = timestamp &+ timestampOffset
        switch slot {
        case .dropped:
            return .drop(.droppedEarlier)
        case .forwarded(let output):
            guard forward else { return .drop(.notSelected) }
            return .forward(header(output, outputTimestamp, .repeated, startsNewSource: false))
        case .missing(let output):
            // If the router does not want it, the number stays open (the subscriber's NACK
            // will go unanswered); a later copy may still fill it.
            guard forward else { return .drop(.notSelected) }
            window.set(input, .forwarded(output: output))
            return .forward(header(output, outputTimestamp, .fillsGap, startsNewSource: false))
        }
    }

    /// Starts forwarding `source` from this packet: new offsets so that the output continues
    /// with the next sequence number and a timestamp advanced by the elapsed wall-clock time.
    private mutating func startSource(
        _ source: UInt32, sequenceNumber: UInt16, timestamp: UInt32, arrivalMicroseconds: Int64
    ) -> ForwardingResult {
        let outputSequence: Int64
        let outputTimestamp: UInt32
        if hasForwarded {
            outputSequence = nextOutputSequence
        } else {
            outputSequence = Int64(initialSequenceNumber ?? sequenceNumber)
        }
        if hasForwarded {
            // RTP timestamps count sampling instants (RFC 3550 §5.1); the wall-clock time between
            // the two packets is the best estimate of their distance. At least one tick so the
            // new frame never shares (or precedes) the previous frame's timestamp.
            let elapsed = max(0, arrivalMicroseconds - lastForwardArrivalMicroseconds)
            let cappedElapsed = min(elapsed, 3_600_000_000)  // an hour keeps the product far from overflow
            let ticks = max(1, cappedElapsed * Int64(clockRate) / 1_000_000)
            outputTimestamp = lastOutputTimestamp &+ UInt32(truncatingIfNeeded: min(ticks, Int64(Int32.max)))
        } else {
            outputTimestamp = initialTimestamp ?? timestamp
        }

        currentSource = source
        unwrapper = SequenceNumberUnwrapper()
        let input = unwrapper.unwrap(sequenceNumber)
        highestInput = input
        highestInputTimestamp = timestamp
        highestInputForwarded = true
        segmentStart = input
        sequenceOffset = outputSequence - input
        timestampOffset = outputTimestamp &- timestamp
        window.removeAll()
        window.set(input, .forwarded(output: outputSequence))
        lastOutputTimestamp = outputTimestamp
        lastForwardArrivalMicroseconds = arrivalMicroseconds
        hasForwarded = true
        return .forward(header(outputSequence, outputTimestamp, .inOrder, startsNewSource: true))
    }

    private func header(_ output: Int64, _ timestamp: UInt32, _ order: ForwardedPacketOrder,
                        startsNewSource: Bool) -> ForwardedRTPHeader {
        ForwardedRTPHeader(ssrc: ssrc, sequenceNumber: UInt16(truncatingIfNeeded: output), timestamp: timestamp,
                           order: order, startsNewSource: startsNewSource)
    }

    /// Parses the RTP header in `packet`, maps it, and when forwarded rewrites SSRC, sequence
    /// number and timestamp in place (RFC 3550 §5.1 offsets 2, 4 and 8). A dropped packet's
    /// bytes are left unchanged.
    public mutating func rewrite(
        in packet: UnsafeMutableRawBufferPointer, arrivalMicroseconds: Int64, forward: Bool
    ) throws(ForwardingRewriteError) -> ForwardingResult {
        let parsed: RTPHeader
        do throws(RTPHeaderError) {
            parsed = try RTPHeader.parse(UnsafeRawBufferPointer(packet))
        } catch {
            throw .invalidHeader(error)
        }
        let result = process(
            sourceSSRC: parsed.ssrc, sequenceNumber: parsed.sequenceNumber, timestamp: parsed.timestamp,
            marker: parsed.marker, arrivalMicroseconds: arrivalMicroseconds, forward: forward)
        if case .forward(let header) = result {
            do throws(RTPHeaderWriteError) {
                try RTPHeader.rewrite(ssrc: header.ssrc, sequenceNumber: header.sequenceNumber,
                                      timestamp: header.timestamp, in: packet)
            } catch {
                throw .write(error)
            }
        }
        return result
    }
}
