public import RTP

/// Reception statistics of one incoming stream, for the report blocks of our RRs/SRs
/// (RFC 3550 §6.4.1, algorithms of §A.1, §A.3 and §A.8).
///
/// Sequence tracking follows §A.1: a source is valid after `minimumSequential` packets in
/// sequence; a jump of more than `maximumDropout` ahead, or more than `maximumMisorder`
/// behind, is taken as a restart only when the packet after it confirms it. Duplicates count
/// as received (so cumulative loss can go negative, as §6.4.1 allows). Jitter (§A.8) is
/// updated for in-order original packets only: late and retransmitted packets say nothing
/// about the network's current jitter.
public struct ReceiveStatistics: Sendable {
    /// §A.1 MAX_DROPOUT, MAX_MISORDER.
    public static let maximumDropout: UInt16 = 3000
    public static let maximumMisorder: UInt16 = 100
    private static let sequenceModulus: UInt32 = 1 << 16

    public let ssrc: UInt32
    public let clockRate: Int64
    public let minimumSequential: Int

    private var hasPacket = false
    private var baseSequence: UInt16 = 0
    private var maximumSequence: UInt16 = 0
    /// Shifted count of sequence number cycles (§A.1 `cycles`).
    private var cycles: UInt32 = 0
    /// Sequence number expected next after a suspected restart; > 0xFFFF when none.
    private var badSequence: UInt32 = 1 << 16 + 1
    private var probation = 0
    public private(set) var packetsReceived: Int64 = 0
    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0
    private var jitterEstimator = InterarrivalJitterEstimator()

    private var lastSenderReportCompact: UInt32 = 0
    private var lastSenderReportArrival: Int64?

    /// - Parameters:
    ///   - clockRate: the payload's RTP clock rate in Hz (jitter is in its units).
    ///   - minimumSequential: §A.1 MIN_SEQUENTIAL; 1 accepts the first packet (SRTP already
    ///     authenticated it), the RFC's 2 waits for a second one in sequence.
    public init(ssrc: UInt32, clockRate: Int, minimumSequential: Int = 1) {
        self.ssrc = ssrc
        self.clockRate = Int64(max(clockRate, 1))
        self.minimumSequential = max(minimumSequential, 1)
    }

    /// §A.1 init_seq.
    private mutating func restart(at sequenceNumber: UInt16) {
        baseSequence = sequenceNumber
        maximumSequence = sequenceNumber
        badSequence = Self.sequenceModulus + 1
        cycles = 0
        packetsReceived = 0
        expectedPrior = 0
        receivedPrior = 0
    }

    /// Records one arriving packet. `arrivalMicroseconds` is the receiver's monotonic clock.
    /// Set `isRetransmission` for packets recovered via RTX (counted, but not used for jitter).
    /// Returns false when the packet was not counted (probation, or a suspected restart).
    @discardableResult
    public mutating func received(
        sequenceNumber: UInt16, rtpTimestamp: UInt32, arrivalMicroseconds: Int64,
        isRetransmission: Bool = false
    ) -> Bool {
        guard hasPacket else {
            hasPacket = true
            // §A.1: init_seq(seq); max_seq = seq - 1; probation = MIN_SEQUENTIAL.
            restart(at: sequenceNumber)
            maximumSequence = sequenceNumber &- 1
            probation = minimumSequential
            return received(sequenceNumber: sequenceNumber, rtpTimestamp: rtpTimestamp,
                            arrivalMicroseconds: arrivalMicroseconds, isRetransmission: isRetransmission)
        }
        let delta = sequenceNumber &- maximumSequence
        var isNewest = false
        if probation > 0 {
            // §A.1: the source is valid only after MIN_SEQUENTIAL packets in sequence.
            guard sequenceNumber == maximumSequence &+ 1 else {
                probation = minimumSequential - 1
                maximumSequence = sequenceNumber
                return false
            }
            probation -= 1
            maximumSequence = sequenceNumber
            guard probation == 0 else { return false }
            restart(at: sequenceNumber)
            isNewest = true
        } else if delta < Self.maximumDropout {
            // §A.1: in order, with a permissible gap; count a wrap of the 16-bit number.
            if delta == 0 {
                isNewest = false
            } else {
                if sequenceNumber < maximumSequence { cycles &+= Self.sequenceModulus }
                maximumSequence = sequenceNumber
                isNewest = true
            }
        } else if UInt32(delta) <= Self.sequenceModulus - UInt32(Self.maximumMisorder) {
            // §A.1: a very large jump; believe it only if the next packet follows on.
            guard UInt32(sequenceNumber) == badSequence else {
                badSequence = (UInt32(sequenceNumber) + 1) & (Self.sequenceModulus - 1)
                return false
            }
            restart(at: sequenceNumber)
            jitterEstimator = InterarrivalJitterEstimator()
            isNewest = true
        }
        // else §A.1: duplicate or reordered packet, counted as received.
        packetsReceived += 1
        if isNewest, !isRetransmission {
            jitterEstimator.update(rtpTimestamp: rtpTimestamp, arrival: rtpUnits(arrivalMicroseconds))
        }
        return true
    }

    /// Remembers the publisher's latest SR (its NTP timestamp) and when it arrived, for
    /// LSR/DLSR (RFC 3550 §6.4.1).
    public mutating func receivedSenderReport(ntpTimestamp: UInt64, arrivalMicroseconds: Int64) {
        lastSenderReportCompact = UInt32(truncatingIfNeeded: ntpTimestamp >> 16)
        lastSenderReportArrival = arrivalMicroseconds
    }

    /// §A.1: extended highest sequence number received (cycles + max_seq).
    public var extendedHighestSequenceNumber: UInt32 { cycles | UInt32(maximumSequence) }

    /// §A.3: expected = extended max − base + 1 (0 before the first counted packet).
    public var packetsExpected: Int64 {
        guard hasPacket, probation == 0 else { return 0 }
        return Int64(extendedHighestSequenceNumber) - Int64(baseSequence) + 1
    }

    /// §A.3: expected − received, which duplicates can make negative.
    public var cumulativeLost: Int64 { packetsExpected - packetsReceived }

    /// Interarrival jitter in RTP timestamp units (§A.8).
    public var jitter: UInt32 { jitterEstimator.jitter }

    /// The report block for this source at `now`, or nil before the source is valid.
    /// Starts a new interval for the fraction lost (§A.3).
    public mutating func makeReportBlock(nowMicroseconds: Int64) -> RTCPReportBlock? {
        guard hasPacket, probation == 0 else { return nil }
        let expected = packetsExpected
        // §A.3: fraction lost over the interval since the previous report.
        let expectedInterval = expected - expectedPrior
        let receivedInterval = packetsReceived - receivedPrior
        expectedPrior = expected
        receivedPrior = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        let fraction: UInt8
        if expectedInterval == 0 || lostInterval <= 0 {
            fraction = 0
        } else {
            fraction = UInt8(clamping: (lostInterval << 8) / expectedInterval)
        }
        // §6.4.1: cumulative lost is a signed 24-bit field; clamp rather than wrap.
        let lost = Int32(min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF))
        var delay: UInt32 = 0
        if let arrival = lastSenderReportArrival {
            // §6.4.1 DLSR: time since that SR, in 1/65536 s.
            delay = CompactNTP.fromNanoseconds((nowMicroseconds - arrival) * 1000)
        }
        return RTCPReportBlock(
            ssrc: ssrc, fractionLost: fraction, cumulativeLost: lost,
            extendedHighestSequenceNumber: extendedHighestSequenceNumber, jitter: jitter,
            lastSenderReport: lastSenderReportArrival == nil ? 0 : lastSenderReportCompact,
            delaySinceLastSenderReport: delay)
    }

    /// µs → RTP clock units without overflowing for any realistic clock value.
    private func rtpUnits(_ microseconds: Int64) -> Int64 {
        let seconds = microseconds / 1_000_000
        let rest = microseconds % 1_000_000
        return seconds &* clockRate &+ rest * clockRate / 1_000_000
    }
}
