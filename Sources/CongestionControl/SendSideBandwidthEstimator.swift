public import RTP

/// A probe the estimator wants sent: for `durationMicroseconds` from now, everything sent to
/// the receiver is tagged with `id`, and padding tops it up to `bitsPerSecond`.
public struct ProbeCluster: Sendable, Equatable {
    public var id: Int
    public var bitsPerSecond: Int
    public var startMicroseconds: Int64
    public var durationMicroseconds: Int64

    public func isActive(at now: Int64) -> Bool { now >= startMicroseconds && now < startMicroseconds + durationMicroseconds }
}

/// Send-side bandwidth estimation for one transport from transport-cc feedback, in the manner of
/// draft-ietf-rmcat-gcc-02 and libwebrtc's goog_cc: a delay-based estimate (packet groups →
/// trend-line overuse detector → AIMD), a loss-based limit, and the acknowledged rate, combined
/// as the lower of the two limits and of the receiver's REMB when it sends one. Probes raise it
/// quickly when more is wanted than it allows.
///
/// Driven by its owner: `packetSent` for every RTP packet (numbering it), `receivedFeedback`
/// for every transport-cc feedback, `nextProbe` on a timer. Nothing here allocates per packet.
public struct SendSideBandwidthEstimator: Sendable {
    public static let probeDurationMicroseconds: Int64 = 60_000
    /// A probe goes at most this far above the estimate (and at least 1.5 × it when one is sent).
    public static let probeMultiplier = 2.0
    /// Wait after a probe before the next, so its feedback is in; doubled (up to the maximum)
    /// after each probe that did not raise the estimate, so a link at its capacity is not
    /// probed (and briefly overfilled) every 700 ms.
    public static let probeIntervalMicroseconds: Int64 = 700_000
    /// After a probe that raised the estimate the next follows as soon as its feedback is in, so
    /// a link that came back is climbed in a few steps (libwebrtc's exponential probing).
    public static let followUpProbeIntervalMicroseconds: Int64 = 300_000
    public static let maximumProbeIntervalMicroseconds: Int64 = 2_000_000

    public private(set) var history: TransportWideSendHistory
    private var groups = PacketGroupDeltas()
    public private(set) var detector = TrendlineEstimator()
    public private(set) var delayBased: AIMDRateControl
    public private(set) var lossBased: LossBasedRateControl
    public private(set) var acknowledged = AcknowledgedBitrateEstimator()
    /// The same over the last 150 ms: while the detector says overuse the bottleneck's queue is
    /// not empty, so this is its rate, and a decrease right after the capacity fell is taken
    /// from it rather than from a window still half full of the old rate.
    public private(set) var recentlyAcknowledged = AcknowledgedBitrateEstimator(windowMicroseconds: 150_000,
                                                                                minimumSpanMicroseconds: 60_000)
    /// The rate the reported packets were sent at (by send time), to tell a path that carries
    /// less than we send from a sender that sends little.
    public private(set) var sentRate = AcknowledgedBitrateEstimator()
    private var probes = ProbeBitrateEstimator()
    private var remb: (bitsPerSecond: Int, at: Int64)?
    private var results: [TransportPacketResult] = []
    private var nextProbeID = 1
    private var lastProbeStart: Int64?
    private var activeProbe: ProbeCluster?
    private var probeInterval = SendSideBandwidthEstimator.probeIntervalMicroseconds
    /// Whether the last probe raised the estimate (nil: no result yet).
    private var lastProbeRaised: Bool?
    /// The smallest feedback round trip in the last few seconds (µs).
    public private(set) var roundTripMicroseconds: Int64 = 100_000
    private var roundTripSamples: (minimum: Int64, since: Int64)?
    public private(set) var feedbackCount = 0
    private var startedFromSendRate = false
    public private(set) var lastProbeResult: Int?
    /// A probe that filled the path (it arrived slower than it was sent) measured its capacity;
    /// for a while after, a decrease is taken from no lower than that.
    private var saturatedProbe: (bitsPerSecond: Int, at: Int64)?
    public static let saturatedProbeLifetimeMicroseconds: Int64 = 2_000_000
    public let rembLifetimeMicroseconds: Int64 = 5_000_000

    public init(startBitrate: Int = 300_000, minimumBitrate: Int = 30_000, maximumBitrate: Int = 20_000_000) {
        history = TransportWideSendHistory()
        delayBased = AIMDRateControl(startBitrate: startBitrate, minimumBitrate: minimumBitrate,
                                     maximumBitrate: maximumBitrate)
        lossBased = LossBasedRateControl(startBitrate: maximumBitrate)
        results.reserveCapacity(1024)
    }

    /// The rate to allocate: the lowest of the delay-based estimate, the loss-based limit and
    /// a recent REMB.
    public func targetBitrate(at now: Int64) -> Int {
        var target = min(delayBased.bitrate, lossBased.bitrate)
        if let remb, now - remb.at <= rembLifetimeMicroseconds { target = min(target, remb.bitsPerSecond) }
        return max(target, delayBased.minimumBitrate)
    }

    /// The detector's verdict, or overuse while queueing delay is past the guard.
    public var usage: BandwidthUsage { queueingDelayExceeded ? .overusing : detector.usage }

    /// Queueing delay (one-way delay above the lowest seen lately) this long is congestion
    /// whatever the trend filter says yet: a bottleneck suddenly far slower than what is sent
    /// fills its queue faster than the smoothed trend rises, and every millisecond of that
    /// queue is drops and freezes to come.
    public static let queueingDelayGuardMicroseconds: Int64 = 80_000
    /// The lowest one-way delay is kept over windows of this length (the newest two count).
    public static let baseDelayWindowMicroseconds: Int64 = 5_000_000
    private var baseDelay: (current: Int64, previous: Int64, since: Int64)?
    /// Queueing delay above this means the bottleneck's queue is not empty.
    public static let standingQueueMicroseconds: Int64 = 20_000
    public private(set) var queueingDelayMicroseconds: Int64 = 0
    /// Feedback reports in a row whose newest packet was past the guard: one alone may be the
    /// receiver (or the path) pausing for a moment, two are a queue.
    private var reportsPastGuard = 0
    private var queueingDelayExceeded: Bool { reportsPastGuard >= 2 }
    public var lossFraction: Double { lossBased.lossFraction }

    /// Numbers a packet about to leave (its transport-wide sequence number), in the probe
    /// cluster active now if there is one.
    public mutating func packetSent(size: Int, at now: Int64) -> UInt16 {
        var cluster: Int?
        if let probe = activeProbe {
            if probe.isActive(at: now) {
                cluster = probe.id
                probes.sent(cluster: probe.id)
            } else {
                probes.finished(cluster: probe.id)
            }
        }
        return history.packetSent(size: size, at: now, probeCluster: cluster)
    }

    public mutating func receivedREMB(bitsPerSecond: Int, at now: Int64) {
        remb = (bitsPerSecond, now)
    }

    /// One transport-cc feedback from the receiver.
    public mutating func receivedFeedback(_ feedback: RTCPTransportFeedback, at now: Int64) {
        if let probe = activeProbe, !probe.isActive(at: now) { probes.finished(cluster: probe.id) }
        results.removeAll(keepingCapacity: true)
        history.results(of: feedback, into: &results)
        guard !results.isEmpty else { return }
        feedbackCount += 1
        // Send order, so packet groups see packets as they left.
        results.sort { $0.sequenceNumber < $1.sequenceNumber }
        var lost = 0, received = 0
        var newestSend: Int64?
        for result in results {
            sentRate.acknowledged(size: result.size, arrivalMicroseconds: result.sendMicroseconds)
            guard let arrival = result.arrivalMicroseconds else {
                lost += 1
                continue
            }
            received += 1
            newestSend = max(newestSend ?? .min, result.sendMicroseconds)
            noteDelay(arrival - result.sendMicroseconds, at: now)
            acknowledged.acknowledged(size: result.size, arrivalMicroseconds: arrival)
            recentlyAcknowledged.acknowledged(size: result.size, arrivalMicroseconds: arrival)
            probes.received(result)
            if let delta = groups.add(sendMicroseconds: result.sendMicroseconds, arrivalMicroseconds: arrival) {
                detector.update(delta)
            }
        }
        if let newestSend { noteRoundTrip(now - newestSend, at: now) }
        reportsPastGuard = queueingDelayMicroseconds > Self.queueingDelayGuardMicroseconds ? reportsPastGuard + 1 : 0
        if !startedFromSendRate, let sent = sentRate.bitsPerSecond {
            // What already flows when estimation starts is taken to fit until the path says it
            // does not: starting below it would cut layers the subscriber is receiving well.
            startedFromSendRate = true
            if sent > delayBased.bitrate { delayBased.setBitrate(sent, at: now) }
        }
        let probeResult = probes.measureFinished()
        let acked = acknowledged.bitsPerSecond
        if let probeResult {
            lastProbeResult = probeResult
            // A probe only ever raises the estimate; congestion lowers it through the detector.
            let raises = probeResult > delayBased.bitrate + delayBased.bitrate / 10 && usage != .overusing
            if raises {
                delayBased.setBitrate(probeResult, at: now)
                lossBased.setBitrate(max(lossBased.bitrate, probeResult))
            }
            lastProbeRaised = raises
            if !raises { saturatedProbe = (probeResult, now) }
        }
        var throughput = acked
        // The recent arrival rate is the bottleneck's only while its queue is not empty.
        if usage == .overusing, queueingDelayMicroseconds > Self.standingQueueMicroseconds,
           let recent = recentlyAcknowledged.bitsPerSecond {
            throughput = min(throughput ?? recent, recent)
        }
        if let probe = saturatedProbe, now - probe.at <= Self.saturatedProbeLifetimeMicroseconds {
            throughput = max(throughput ?? 0, probe.bitsPerSecond)
        }
        delayBased.update(usage: usage, acknowledged: throughput, sent: sentRate.bitsPerSecond,
                          roundTripMicroseconds: roundTripMicroseconds, at: now)
        lossBased.update(lost: lost, received: received, current: min(delayBased.bitrate, lossBased.bitrate),
                         acknowledged: acked, roundTripMicroseconds: roundTripMicroseconds, at: now)
    }

    /// One-way delay in the two clocks' offset: only its rise above the lowest seen means
    /// anything (queueing).
    private mutating func noteDelay(_ delay: Int64, at now: Int64) {
        if var base = baseDelay {
            if now - base.since >= Self.baseDelayWindowMicroseconds {
                base = (delay, base.current, now)
            } else {
                base.current = min(base.current, delay)
            }
            baseDelay = base
        } else {
            baseDelay = (delay, delay, now)
        }
        let lowest = min(baseDelay?.current ?? delay, baseDelay?.previous ?? delay)
        queueingDelayMicroseconds = delay - lowest
    }

    /// Feedback arrives up to a feedback interval after the packet it reports, so the round trip
    /// is the smallest such gap seen over a 5 s window.
    private mutating func noteRoundTrip(_ sample: Int64, at now: Int64) {
        guard sample >= 0 else { return }
        if let samples = roundTripSamples, now - samples.since < 5_000_000 {
            roundTripSamples = (min(samples.minimum, sample), samples.since)
        } else {
            roundTripSamples = (sample, now)
        }
        roundTripMicroseconds = roundTripSamples?.minimum ?? sample
    }

    /// A probe to send now, if `wanted` (what the allocation would use) is above the estimate
    /// and the path looks clear; nil when nothing more is wanted or a probe is in flight.
    public mutating func nextProbe(wanted: Int, at now: Int64) -> ProbeCluster? {
        if let probe = activeProbe {
            if probe.isActive(at: now) { return nil }
            probes.finished(cluster: probe.id)
            activeProbe = nil
        }
        let target = targetBitrate(at: now)
        guard wanted > target + target / 20,
              usage == .normal, lossBased.lossFraction < LossBasedRateControl.highLoss,
              lastProbeStart.map({ now - $0 >= probeInterval }) ?? true else { return nil }
        if lastProbeStart != nil {
            probeInterval = lastProbeRaised == true ? Self.followUpProbeIntervalMicroseconds
                : min(max(probeInterval, Self.probeIntervalMicroseconds) * 2, Self.maximumProbeIntervalMicroseconds)
            lastProbeRaised = nil
        }
        let rate = Int(min(Double(wanted) * 1.1, Double(target) * Self.probeMultiplier))
        let probe = ProbeCluster(id: nextProbeID, bitsPerSecond: max(rate, target * 3 / 2),
                                 startMicroseconds: now, durationMicroseconds: Self.probeDurationMicroseconds)
        nextProbeID += 1
        lastProbeStart = now
        activeProbe = probe
        probes.started(cluster: probe.id)
        return probe
    }

    /// The probe being sent now, if any.
    public func probe(at now: Int64) -> ProbeCluster? {
        guard let activeProbe, activeProbe.isActive(at: now) else { return nil }
        return activeProbe
    }
}
