/// What a probe cluster showed the path carries (libwebrtc's ProbeBitrateEstimator): the send
/// rate over the cluster's send times and the receive rate over its arrivals; the lower one,
/// or 95 % of the receive rate when it fell clearly below the send rate (the bottleneck spread
/// the packets out: that is its capacity).
public struct ProbeBitrateEstimator: Sendable {
    /// A cluster needs this many packets reported received, and this share of those sent.
    public static let minimumReceivedPackets = 4
    public static let minimumReceivedShare = 0.8
    /// Rates shorter than this are a burst, not a measurement.
    public static let minimumIntervalMicroseconds: Int64 = 1_000

    struct Cluster {
        var id: Int
        var sent: Int
        var received = 0
        var firstSend = Int64.max, lastSend = Int64.min, lastSendSize = 0
        var firstArrival = Int64.max, lastArrival = Int64.min, firstArrivalSize = 0
        var bytes = 0
        /// Sending is over: what arrives now can be measured against all of it.
        var finished = false
    }

    private var clusters: [Cluster] = []

    public init() {}

    /// A cluster begins; its packets are counted as they are sent.
    public mutating func started(cluster id: Int) {
        clusters.removeAll { $0.id == id }
        if clusters.count >= 8 { clusters.removeFirst() }
        clusters.append(Cluster(id: id, sent: 0))
    }

    /// The cluster's sending is over.
    public mutating func finished(cluster id: Int) {
        guard let index = clusters.lastIndex(where: { $0.id == id }) else { return }
        clusters[index].finished = true
    }

    /// One more packet of a cluster left.
    public mutating func sent(cluster id: Int) {
        guard let index = clusters.lastIndex(where: { $0.id == id }) else { return }
        clusters[index].sent += 1
    }

    /// One received packet of a cluster.
    public mutating func received(_ result: TransportPacketResult) {
        guard let id = result.probeCluster, let arrival = result.arrivalMicroseconds,
              let index = clusters.firstIndex(where: { $0.id == id }) else { return }
        var cluster = clusters[index]
        cluster.received += 1
        cluster.bytes += result.size
        if result.sendMicroseconds < cluster.firstSend { cluster.firstSend = result.sendMicroseconds }
        if result.sendMicroseconds >= cluster.lastSend {
            cluster.lastSend = result.sendMicroseconds
            cluster.lastSendSize = result.size
        }
        if arrival < cluster.firstArrival {
            cluster.firstArrival = arrival
            cluster.firstArrivalSize = result.size
        }
        if arrival > cluster.lastArrival { cluster.lastArrival = arrival }
        clusters[index] = cluster
    }

    /// The rate of the finished clusters that enough of arrived (the highest if several), which
    /// are then forgotten; nil when none is ready.
    public mutating func measureFinished() -> Int? {
        var best: Int?
        clusters.removeAll { cluster in
            guard cluster.finished, cluster.received >= Self.minimumReceivedPackets,
                  Double(cluster.received) >= Self.minimumReceivedShare * Double(cluster.sent),
                  let rate = Self.rate(of: cluster) else { return false }
            best = max(best ?? 0, rate)
            return true
        }
        return best
    }

    private static func rate(of cluster: Cluster) -> Int? {
        let sendInterval = cluster.lastSend - cluster.firstSend
        let receiveInterval = cluster.lastArrival - cluster.firstArrival
        guard sendInterval >= minimumIntervalMicroseconds, receiveInterval >= minimumIntervalMicroseconds else { return nil }
        // The last packet sent took no send time; the first received took no receive time.
        let sendRate = Double(cluster.bytes - cluster.lastSendSize) * 8 * 1_000_000 / Double(sendInterval)
        let receiveRate = Double(cluster.bytes - cluster.firstArrivalSize) * 8 * 1_000_000 / Double(receiveInterval)
        if receiveRate < 0.9 * sendRate { return Int(0.95 * receiveRate) }
        return Int(min(sendRate, receiveRate))
    }
}
