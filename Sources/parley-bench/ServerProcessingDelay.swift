/// The server's own processing delay over a window, from the `parley_processing_delay_seconds`
/// histogram at `GET /metrics`: how long datagrams spent between the server's read of what caused
/// them and its send. The one-way latency the bench measures adds the kernel's loopback path
/// and the bench's own scheduling, which on a machine it shares with the server dominate.
struct ServerProcessingDelay: Sendable {
    static let metricName = "parley_processing_delay_seconds"

    /// Cumulative counts by upper bound (seconds; the last is +Inf), as the server reports them.
    var buckets: [(upperBound: Double, count: Double)]

    /// The histogram in a Prometheus text exposition; nil when the server does not report it.
    init?(exposition text: String) {
        let prefix = Self.metricName + "_bucket{le=\""
        var buckets: [(Double, Double)] = []
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            guard let quote = rest.firstIndex(of: "\"") else { continue }
            let bound = rest[..<quote] == "+Inf" ? Double.infinity : Double(rest[..<quote])
            guard let bound, let count = Double(rest[rest.index(after: quote)...].drop { $0 == "}" || $0 == " " })
            else { continue }
            buckets.append((bound, count))
        }
        guard !buckets.isEmpty else { return nil }
        self.buckets = buckets.sorted { $0.0 < $1.0 }
    }

    init(buckets: [(upperBound: Double, count: Double)]) {
        self.buckets = buckets
    }

    /// What was counted after `earlier` (the same server, so the same bounds).
    func since(_ earlier: ServerProcessingDelay) -> ServerProcessingDelay? {
        guard earlier.buckets.map(\.upperBound) == buckets.map(\.upperBound) else { return nil }
        return ServerProcessingDelay(buckets: zip(buckets, earlier.buckets).map { ($0.upperBound, $0.count - $1.count) })
    }

    var count: Double { buckets.last?.count ?? 0 }

    /// The delay in milliseconds below which `percentile` (0–100) of the datagrams fall,
    /// interpolated within its bucket; a percentile in the +Inf bucket reads as the last bound.
    func percentile(_ percentile: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = count * percentile / 100
        var lowerBound = 0.0, lowerCount = 0.0
        for bucket in buckets {
            if bucket.count >= rank {
                guard bucket.upperBound.isFinite else { return lowerBound * 1000 }
                let inBucket = bucket.count - lowerCount
                let fraction = inBucket > 0 ? (rank - lowerCount) / inBucket : 1
                return (lowerBound + (bucket.upperBound - lowerBound) * fraction) * 1000
            }
            lowerBound = bucket.upperBound
            lowerCount = bucket.count
        }
        return lowerBound * 1000
    }
}
