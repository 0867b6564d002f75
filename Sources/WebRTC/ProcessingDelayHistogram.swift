import NIOCore

/// How long datagrams spent inside a media worker: from the start of the read batch that
/// brought in what caused them (the `recvmmsg` that returned the publisher's packet) to the
/// return of the `sendmmsg` that sent them. This is the delay the server itself adds to
/// forwarding, without the kernel's and the network's share, which a load generator on the
/// same machine cannot tell apart from its own scheduling.
///
/// Fixed buckets, counted in place: recording allocates nothing.
public struct ProcessingDelayHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, in microseconds; one more bucket above the last.
    /// Finer around 1–3 ms, where the forwarding target (p99 ≤ 2 ms) is judged.
    public static let upperBoundsMicroseconds: [Int64] = [
        50, 100, 200, 500, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 20_000, 50_000, 100_000,
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

/// Times a worker's read batches for its send batches: the worker marks where a read batch
/// starts and ends, and each `sendmmsg` in between counts its datagrams at the time it returns.
/// Sends outside a read batch (timers, the pacer) are not counted. Used on the worker's loop only.
final class ProcessingDelayRecorder {
    /// When the read batch being handled began (ns of the monotonic clock); nil between batches.
    private var batchStartedAt: UInt64?
    private(set) var histogram = ProcessingDelayHistogram()

    func readBatchBegins() {
        if batchStartedAt == nil { batchStartedAt = Self.now() }
    }

    func readBatchEnded() {
        batchStartedAt = nil
    }

    /// `datagrams` just left in one `sendmmsg`.
    func sent(_ datagrams: Int) {
        guard let batchStartedAt, datagrams > 0 else { return }
        histogram.record(microseconds: Int64((Self.now() &- batchStartedAt) / 1_000), datagrams: UInt64(datagrams))
    }

    private static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
