import RTP

/// The RTCP a benchmark subscriber sends back, as a browser's receiver does: a receiver report
/// with a block per incoming SSRC every second (RFC 3550 §6.4.2), REMB with its bandwidth when
/// negotiated, a generic NACK as soon as a gap of up to 16 packets shows in a video stream
/// (RFC 4585 §6.2.1), and a PLI when a gap is too long to repair (§6.3.1).
struct ReceiverFeedback {
    /// RFC 3550 §6.4.1 bookkeeping for one incoming SSRC.
    struct Source {
        let isVideo: Bool
        let baseSequence: Int64
        var highest: Int64
        var received = 1
        var expectedPrior = 0
        var receivedPrior = 0

        init(sequence: UInt16, isVideo: Bool) {
            self.isVideo = isVideo
            baseSequence = Int64(sequence)
            highest = Int64(sequence)
        }

        /// Extends `sequence` against the highest so far (RFC 3550 Appendix A.1).
        func extend(_ sequence: UInt16) -> Int64 {
            highest + Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: highest)))
        }

        mutating func reportBlock(ssrc: UInt32) -> RTCPReportBlock {
            let expected = Int(highest - baseSequence + 1)
            let lost = expected - received
            let expectedInterval = expected - expectedPrior
            let lostInterval = expectedInterval - (received - receivedPrior)
            expectedPrior = expected
            receivedPrior = received
            let fraction = expectedInterval > 0 && lostInterval > 0 ? min(255, lostInterval * 256 / expectedInterval) : 0
            return RTCPReportBlock(
                ssrc: ssrc, fractionLost: UInt8(fraction),
                cumulativeLost: Int32(clamping: max(-0x80_0000, min(0x7F_FFFF, lost))),
                extendedHighestSequenceNumber: UInt32(truncatingIfNeeded: highest), jitter: 0,
                lastSenderReport: 0, delaySinceLastSenderReport: 0)
        }
    }

    /// Longest gap a NACK asks to repair; a longer one asks for a key frame instead.
    static let nackableGap = 16
    static let reportInterval: Int64 = 1_000_000

    let ssrc: UInt32
    /// Bits/s to report in REMB; nil when REMB was not negotiated.
    var estimate: UInt64?
    private(set) var sources: [UInt32: Source] = [:]
    private var nextReportAt: Int64 = 0
    private(set) var nacksSent = 0
    private(set) var plisSent = 0

    init(ssrc: UInt32) { self.ssrc = ssrc }

    /// Accounts for an RTP packet; returns feedback to send now (a NACK or a PLI), if any.
    mutating func received(ssrc mediaSSRC: UInt32, sequence: UInt16, isVideo: Bool) -> [UInt8]? {
        guard var source = sources[mediaSSRC] else {
            sources[mediaSSRC] = Source(sequence: sequence, isVideo: isVideo)
            return nil
        }
        let extended = source.extend(sequence)
        var feedback: [UInt8]?
        if extended > source.highest {
            let gap = Int(extended - source.highest - 1)
            if gap > 0, source.isVideo {
                let highest = source.highest
                feedback = repairRequest(gap <= Self.nackableGap
                                         ? .nack((1...gap).map { UInt16(truncatingIfNeeded: highest + Int64($0)) })
                                         : .keyFrame,
                                         ssrc: mediaSSRC)
            }
            source.highest = extended
        }
        source.received += 1
        sources[mediaSSRC] = source
        return feedback
    }

    /// Packets expected and received over every source (RFC 3550 §6.4.1's counts).
    var totals: (expected: Int, received: Int) {
        sources.values.reduce((0, 0)) { ($0.0 + Int($1.highest - $1.baseSequence + 1), $0.1 + $1.received) }
    }

    /// A NACK or a PLI about a video stream (for a gap just seen, or what its render tracker
    /// still misses), counted.
    mutating func repairRequest(_ repair: VideoRenderTracker.Repair, ssrc mediaSSRC: UInt32) -> [UInt8]? {
        let sources = RTCPFeedbackSources(senderSSRC: ssrc, mediaSSRC: mediaSSRC)
        switch repair {
        case .nack(let sequenceNumbers):
            nacksSent += 1
            return try? RTCPGenericNACK.build(sources: sources, lostSequenceNumbers: sequenceNumbers)
        case .keyFrame:
            plisSent += 1
            return try? RTCPPictureLossIndication.build(sources: sources)
        }
    }

    /// The periodic compound packet (RR, then REMB) when one is due at `now`.
    mutating func periodicReport(now: Int64) -> [UInt8]? {
        guard now >= nextReportAt, !sources.isEmpty else { return nil }
        nextReportAt = now + Self.reportInterval
        var blocks: [RTCPReportBlock] = []
        for key in sources.keys.sorted().prefix(31) {
            guard var source = sources[key] else { continue }
            blocks.append(source.reportBlock(ssrc: key))
            sources[key] = source
        }
        guard var packet = try? RTCPReceiverReport.build(senderSSRC: ssrc, reportBlocks: blocks) else { return nil }
        let video = sources.filter(\.value.isVideo).keys.sorted()
        if let estimate, !video.isEmpty,
           let remb = try? RTCPReceiverEstimatedMaximumBitrate.build(senderSSRC: ssrc, bitrate: estimate,
                                                                    feedbackSSRCs: Array(video.prefix(255))) {
            packet += remb
        }
        return packet
    }
}
