/// How long datagrams spent inside a media worker: from the start of the read batch that
/// brought in what caused them (the `recvmmsg` that returned the publisher's packet) to the
/// `sendmmsg` that sent them. This is the delay the server itself adds to forwarding, without
/// the kernel's and the network's share, which a load generator on the same machine cannot
/// tell apart from its own scheduling (LiveKit reports the same as its forward latency).
///
/// Fixed buckets, counted in place: recording allocates nothing.
public struct ProcessingDelayHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, in microseconds; one more bucket above the last.
    public static let upperBoundsMicroseconds: [Int64] = [
        50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000,
    ]

    /// Datagrams per bucket (not cumulative); the last is above every bound.
    public private(set) var counts: [UInt64]
    /// Total delay of every datagram counted, in microseconds.
    public private(set) var sumMicroseconds: UInt64 = 0

    public init() {
        counts = [UInt64](repeating: 0, count: Self.upperBoundsMicroseconds.count + 1)
    }

    public var count: UInt64 { counts.reduce(0, &+) }

    /// Counts `datagrams` that each spent `microseconds` in the worker.
    public mutating func record(microseconds: Int64, datagrams: UInt64) {
        guard datagrams > 0 else { return }
        let delay = max(microseconds, 0)
        var bucket = 0
        while bucket < Self.upperBoundsMicroseconds.count, delay > Self.upperBoundsMicroseconds[bucket] { bucket += 1 }
        counts[bucket] &+= datagrams
        sumMicroseconds &+= UInt64(delay) &* datagrams
    }

    /// Adds another worker's counts.
    public mutating func add(_ other: ProcessingDelayHistogram) {
        for bucket in counts.indices { counts[bucket] &+= other.counts[bucket] }
        sumMicroseconds &+= other.sumMicroseconds
    }
}
