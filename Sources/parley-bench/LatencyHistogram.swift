/// Latencies in 10 µs buckets up to 1 s (anything slower lands in the last bucket): fixed
/// memory, no allocation per sample, percentiles exact to the bucket width.
struct LatencyHistogram: Sendable, Codable {
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

    // Sparse on the wire: [[bucket, count], …] for the buckets in use.
    init(from decoder: any Decoder) throws {
        for pair in try decoder.singleValueContainer().decode([[Int]].self) {
            guard pair.count == 2, counts.indices.contains(pair[0]), pair[1] >= 0 else { continue }
            counts[pair[0]] &+= UInt32(clamping: pair[1])
            sampleCount += pair[1]
        }
    }

    init() {}

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(counts.enumerated().filter { $0.element > 0 }.map { [$0.offset, Int($0.element)] })
    }
}
