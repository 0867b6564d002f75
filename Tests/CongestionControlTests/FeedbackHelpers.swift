import CongestionControl
import RTP

/// transport-cc feedback as a receiver would send it: built by the RTP module's builder and
/// parsed back, so the estimator sees exactly what arrives on the wire.
func feedback(_ arrivals: [(UInt16, Int64?)], count: UInt8 = 0) throws -> [RTCPTransportFeedback] {
    var builder = RTCPTransportFeedbackBuilder(senderSSRC: 1)
    let packets = builder.build(arrivals: arrivals.map { RTCPTransportFeedbackArrival(sequenceNumber: $0.0, arrivalTimeMicroseconds: $0.1) },
                                feedbackPacketCount: count)
    return try packets.map { bytes in
        try bytes.withUnsafeBytes { raw in try RTCPTransportFeedback(parsing: try RTCPHeader.parse(raw), in: raw) }
    }
}

/// A bottleneck link: a FIFO served at `capacity` bits/s behind a queue of at most
/// `maximumQueueMicroseconds`, then `propagationMicroseconds` of delay; packets that would
/// wait longer are dropped (drop tail).
struct SimulatedLink {
    var capacity: Int
    var propagationMicroseconds: Int64 = 25_000
    var maximumQueueMicroseconds: Int64 = 300_000
    private var freeAt: Int64 = 0

    init(capacity: Int) { self.capacity = capacity }

    /// When a packet sent at `now` arrives; nil when it is dropped.
    mutating func transmit(size: Int, at now: Int64) -> Int64? {
        let start = max(freeAt, now)
        guard start - now <= maximumQueueMicroseconds else { return nil }
        freeAt = start + Int64(size) * 8 * 1_000_000 / Int64(capacity)
        return freeAt + propagationMicroseconds
    }
}

/// A sender behind the estimator: media at `min(wanted, target)` in 1,200-byte packets every
/// 5 ms, probe padding while a probe runs, through a `SimulatedLink`, with feedback every 50 ms.
struct EstimatorSimulation {
    var estimator = SendSideBandwidthEstimator(startBitrate: 1_000_000)
    var link: SimulatedLink
    var wanted: Int
    var now: Int64 = 0
    private var credit = 0.0
    private var pending: [(sequence: UInt16, arrival: Int64?)] = []
    /// Bytes that arrived, for utilization.
    private(set) var deliveredBytes = 0
    private(set) var lost = 0
    private(set) var sent = 0

    init(capacity: Int, wanted: Int) {
        link = SimulatedLink(capacity: capacity)
        self.wanted = wanted
    }

    /// Runs for `microseconds`, calling `sample` every 100 ms with the time and the target.
    mutating func run(for microseconds: Int64, sample: (Int64, Int) -> Void = { _, _ in }) throws {
        let end = now + microseconds
        while now < end {
            now += 5_000
            let target = estimator.targetBitrate(at: now)
            var rate = Double(min(wanted, target))
            if let probe = estimator.probe(at: now) ?? estimator.nextProbe(wanted: wanted, at: now) {
                rate = max(rate, Double(probe.bitsPerSecond))
            }
            credit += rate * 0.005 / 8
            while credit >= 1_200 {
                credit -= 1_200
                let sequence = estimator.packetSent(size: 1_200, at: now)
                sent += 1
                let arrival = link.transmit(size: 1_200, at: now)
                if arrival == nil { lost += 1 } else { deliveredBytes += 1_200 }
                pending.append((sequence, arrival))
            }
            if now % 50_000 == 0 {
                // Reported: what has arrived by now, and what was lost before the newest arrival.
                let newest = pending.lastIndex { ($0.arrival ?? .max) <= now }
                if let newest {
                    let reported = Array(pending[...newest])
                    pending.removeFirst(newest + 1)
                    for packet in try feedback(reported.map { ($0.sequence, $0.arrival) }) {
                        estimator.receivedFeedback(packet, at: now)
                    }
                }
            }
            if now % 100_000 == 0 { sample(now, estimator.targetBitrate(at: now)) }
        }
    }
}
