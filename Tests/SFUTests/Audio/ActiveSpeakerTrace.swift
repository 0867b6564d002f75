import SFU

/// Drives an `ActiveSpeakerDetector` through simulated time in 20 ms ticks (one Opus packet per
/// speaking participant per tick), calling `evaluate` every tick and recording its events.
struct ActiveSpeakerTrace {
    static let tick: Duration = .milliseconds(20)

    var detector: ActiveSpeakerDetector<String>
    let start = ContinuousClock.now
    var elapsed: Duration = .zero
    var changes: [ActiveSpeakerChange<String>] = []

    init(configuration: ActiveSpeakerDetectorConfiguration = .init()) {
        detector = ActiveSpeakerDetector(configuration: configuration)
    }

    var now: ContinuousClock.Instant { start + elapsed }

    /// When the last tick's packets arrived.
    var lastTick: ContinuousClock.Instant { now - Self.tick }

    /// Elapsed trace time of each change.
    var changeTimes: [Duration] { changes.map { $0.at - start } }

    /// Runs `duration` of trace. `packets` gives, for a tick at trace time t, the packets sent
    /// then: speaker, level (-dBov) and V bit (nil: not negotiated). Absent speakers send nothing.
    /// `inspect` sees the detector after each tick's evaluation.
    mutating func run(
        for duration: Duration,
        _ packets: (Duration) -> [(String, UInt8, Bool?)],
        inspect: (ActiveSpeakerDetector<String>, ContinuousClock.Instant) -> Void = { _, _ in }
    ) {
        let end = elapsed + duration
        while elapsed < end {
            for (speaker, level, voiceActivity) in packets(elapsed) {
                detector.observe(speaker, level: level, voiceActivity: voiceActivity, at: now)
            }
            if let change = detector.evaluate(now: now) {
                changes.append(change)
            }
            inspect(detector, now)
            elapsed += Self.tick
        }
    }

    /// Most changes inside any half-open window of `window` length.
    func mostChanges(within window: Duration) -> Int {
        let times = changeTimes
        var most = 0
        for (index, first) in times.enumerated() {
            let count = times[index...].prefix { $0 < first + window }.count
            most = max(most, count)
        }
        return most
    }
}
