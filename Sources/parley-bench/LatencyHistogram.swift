/// Latencies in 10 µs buckets up to 1 s (anything slower lands in the last bucket): fixed
/// memory, no allocation per sample, percentiles exact to the bucket width.
struct LatencyHistogram: Sendable {
    static let bucketMicroseconds = 10
    static let bucketCount = 100_000

    private(set) var counts = [UInt32](repeating: 0, count: bucketCount)
    private(set) var sampleCount = 0

    mutating func record(microseconds: Int64) {
        let bucket = min(max(Int(microseconds) / Self.bucketMicroseconds, 0), Self.bucketCount - 1)
        counts[bucket] &+= 1
        sampleCount += 1
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        sampleCount += other.sampleCount
    }

    /// The latency below which `percentile` (0–100) of the samples fall, in milliseconds, taken
    /// as the upper edge of its bucket; nil without samples.
    func percentile(_ percentile: Double) -> Double? {
        guard sampleCount > 0 else { return nil }
        let rank = max(1, Int((percentile / 100 * Double(sampleCount)).rounded(.up)))
        var seen = 0
        for (bucket, count) in counts.enumerated() {
            seen += Int(count)
            if seen >= rank { return Double((bucket + 1) * Self.bucketMicroseconds) / 1000 }
        }
        return Double(Self.bucketCount * Self.bucketMicroseconds) / 1000
    }
}
