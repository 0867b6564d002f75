/// Token bucket for client messages: holds up to `burst` tokens, refills at `ratePerSecond`,
/// and each message takes one. Pure — the caller passes the time — so it is deterministic in
/// tests and needs no lock (one limiter per session, owned by the session).
public struct MessageRateLimiter: Sendable {
    public let ratePerSecond: Double
    public let burst: Double
    private var tokens: Double
    private var lastRefill: ContinuousClock.Instant

    /// Starts full, so a client may send `burst` messages right after connecting.
    public init(ratePerSecond: Int, burst: Int, now: ContinuousClock.Instant) {
        self.ratePerSecond = Double(max(ratePerSecond, 0))
        self.burst = Double(max(burst, 1))
        self.tokens = self.burst
        self.lastRefill = now
    }

    public init(limits: SignalingLimits, now: ContinuousClock.Instant) {
        self.init(ratePerSecond: limits.maxMessagesPerSecond, burst: limits.messageBurst, now: now)
    }

    /// Takes a token for one message at `now`; false means reject it with `rate_limited`.
    /// A `now` earlier than a previous call is treated as no time passing.
    public mutating func allowMessage(at now: ContinuousClock.Instant) -> Bool {
        refill(at: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// How long from `now` until the next message would be allowed (zero if it would be now).
    public func waitTime(at now: ContinuousClock.Instant) -> Duration {
        var copy = self
        copy.refill(at: now)
        guard copy.tokens < 1 else { return .zero }
        guard ratePerSecond > 0 else { return .seconds(Int64.max) }
        let seconds = (1 - copy.tokens) / ratePerSecond
        return .nanoseconds(Int64((seconds * 1e9).rounded(.up)))
    }

    private mutating func refill(at now: ContinuousClock.Instant) {
        guard now > lastRefill else { return }
        let elapsed = lastRefill.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        tokens = min(burst, tokens + seconds * ratePerSecond)
        lastRefill = now
    }
}
