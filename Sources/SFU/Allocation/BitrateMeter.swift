/// The rate a stream arrives at, from the bytes counted on the data path and sampled on the
/// room's timer: the data path only adds, so it costs one addition per packet.
struct BitrateMeter {
    private var bytesSinceSample = 0
    private var lastSampleMicroseconds: Int64?
    /// Bits per second over the last sampling interval, smoothed; nil before two samples.
    private(set) var bitsPerSecond: Int?

    mutating func add(bytes: Int) { bytesSinceSample &+= bytes }

    /// Closes an interval. Smoothing follows a rising rate at once and a falling one by halves,
    /// so one quiet interval between key frames does not make a layer look cheap.
    mutating func sample(at now: Int64) {
        defer {
            bytesSinceSample = 0
            lastSampleMicroseconds = now
        }
        guard let last = lastSampleMicroseconds, now > last else { return }
        let measured = Int(Int64(bytesSinceSample) * 8 * 1_000_000 / (now - last))
        if let previous = bitsPerSecond, measured < previous {
            bitsPerSecond = (previous + measured) / 2
        } else {
            bitsPerSecond = measured
        }
    }
}
