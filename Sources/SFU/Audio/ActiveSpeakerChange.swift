/// The dominant speaker changed: what `ActiveSpeakerDetector.evaluate(now:)` reports, once per
/// change. `current` is nil when the floor was released (speaker removed, or silence with
/// `silenceReleaseDelay` set).
public struct ActiveSpeakerChange<Key: Hashable & Sendable>: Sendable, Hashable {
    public var previous: Key?
    public var current: Key?
    public var at: ContinuousClock.Instant

    public init(previous: Key?, current: Key?, at: ContinuousClock.Instant) {
        self.previous = previous
        self.current = current
        self.at = at
    }
}

/// One entry of the "active speakers" list sent to clients.
public struct ActiveSpeakerLevel<Key: Hashable & Sendable>: Sendable, Hashable {
    public var key: Key
    /// Smoothed loudness, 0...1 (1 = 0 dBov; linear in dB down to the silence level).
    public var level: Double

    public init(key: Key, level: Double) {
        self.key = key
        self.level = level
    }
}
