/// One speaker's smoothed loudness: an exponential moving average of per-packet speech energy,
/// kept as the value at `updatedAt` and decayed lazily, so a speaker who stops sending (DTX,
/// mute, left) fades to silence without any timer.
struct ActiveSpeakerLoudness: Sendable {
    var smoothed: Double
    var updatedAt: ContinuousClock.Instant
    /// Since when this speaker has been louder than the dominant one by the switch margin.
    var leadingSince: ContinuousClock.Instant?

    init(at now: ContinuousClock.Instant) {
        smoothed = 0
        updatedAt = now
        leadingSince = nil
    }

    /// Loudness at `now`, assuming no packet since `updatedAt`.
    func value(at now: ContinuousClock.Instant, timeConstantSeconds: Double) -> Double {
        smoothed * Self.decayFactor(elapsed: now - updatedAt, timeConstantSeconds: timeConstantSeconds)
    }

    /// Adds one packet of `energy` (0...1). The old value decays over the real elapsed time and
    /// the packet adds `packetWeight` (the EMA weight of one packet duration), so packets after a
    /// DTX gap count once, not for the whole gap. A burst of packets at one instant (batched
    /// reads, or a hostile sender) can never push the loudness above its loudest input.
    mutating func add(
        energy: Double, at now: ContinuousClock.Instant, packetWeight: Double, timeConstantSeconds: Double
    ) {
        // Arrival times that go backwards (reordering between sockets) do not decay the value.
        let decayed = now > updatedAt ? value(at: now, timeConstantSeconds: timeConstantSeconds) : smoothed
        smoothed = min(decayed + packetWeight * energy, max(decayed, energy))
        if now > updatedAt {
            updatedAt = now
        }
    }

    /// e^(-elapsed/τ).
    static func decayFactor(elapsed: Duration, timeConstantSeconds: Double) -> Double {
        exponentialDecay(seconds(elapsed) / timeConstantSeconds)
    }

    static func seconds(_ duration: Duration) -> Double {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// e^(-x) for x ≥ 0 using only the standard library (no Foundation/libm): halve x until it
    /// is below 1/32, take the Taylor series to the 5th power (error < 2e-12), then square back.
    /// Relative error stays below 1e-8, far finer than audio levels need.
    static func exponentialDecay(_ x: Double) -> Double {
        guard x > 0 else { return 1 }  // also catches NaN
        guard x < 60 else { return 0 }
        var y = x
        var squarings = 0
        while y > 1.0 / 32 {
            y *= 0.5
            squarings += 1
        }
        var result = 1 - y * (1 - y / 2 * (1 - y / 3 * (1 - y / 4 * (1 - y / 5))))
        for _ in 0..<squarings {
            result *= result
        }
        return result
    }
}
