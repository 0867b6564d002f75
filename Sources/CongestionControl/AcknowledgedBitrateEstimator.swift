/// The rate the receiver saw arriving: bytes of the packets acknowledged in transport-cc
/// feedback over the last `windowMicroseconds` of their arrival times (the receiver's clock,
/// so queueing on the path counts, not our send bursts). It is what the delay-based
/// controller decreases from and caps growth by.
public struct AcknowledgedBitrateEstimator: Sendable {
    public let windowMicroseconds: Int64
    /// Shortest span of arrivals a rate is given for: fewer would be one burst.
    public let minimumSpanMicroseconds: Int64
    private var arrivals: [Int64]
    private var sizes: [Int32]
    private var head = 0
    private var count = 0

    public init(windowMicroseconds: Int64 = 500_000, minimumSpanMicroseconds: Int64 = 150_000, capacity: Int = 4096) {
        self.windowMicroseconds = windowMicroseconds
        self.minimumSpanMicroseconds = minimumSpanMicroseconds
        arrivals = [Int64](repeating: 0, count: capacity)
        sizes = [Int32](repeating: 0, count: capacity)
    }

    /// A packet the receiver got, with its arrival time.
    public mutating func acknowledged(size: Int, arrivalMicroseconds: Int64) {
        let slot = (head + count) % arrivals.count
        arrivals[slot] = arrivalMicroseconds
        sizes[slot] = Int32(clamping: size)
        if count == arrivals.count {
            head = (head + 1) % arrivals.count
        } else {
            count += 1
        }
    }

    /// Bits per second over the window ending at the newest arrival; nil until the packets
    /// seen span `minimumSpanMicroseconds`.
    public var bitsPerSecond: Int? {
        guard count > 1 else { return nil }
        var newest = Int64.min
        for index in 0..<count { newest = max(newest, arrivals[(head + index) % arrivals.count]) }
        let start = newest - windowMicroseconds
        var bytes: Int64 = 0
        var oldest = newest
        for index in 0..<count {
            let slot = (head + index) % arrivals.count
            guard arrivals[slot] > start else { continue }
            bytes += Int64(sizes[slot])
            oldest = min(oldest, arrivals[slot])
        }
        let span = max(newest - oldest, 0)
        guard span >= minimumSpanMicroseconds else { return nil }
        return Int(bytes * 8 * 1_000_000 / span)
    }
}
