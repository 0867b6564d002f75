/// Picks the dominant speaker of a room from the RFC 6464 audio levels its publishers send, and
/// lists who is speaking for "active speakers" events.
///
/// Each speaker (keyed by participant or publication id) gets a smoothed loudness: an
/// exponential moving average of per-packet speech energy that decays when packets stop. The
/// dominant speaker changes only with hysteresis: a challenger must be active, louder than the
/// current dominant speaker by `switchMargin`, and stay so for `holdTime`; and changes are at
/// least `minimumSwitchInterval` apart (default: at most two per second). Through silence the
/// last dominant speaker keeps the floor unless `silenceReleaseDelay` is set.
///
/// Pure logic: time is passed in, nothing runs by itself. Feed `observe` per audio packet (it
/// allocates nothing once a speaker is known) and call `evaluate(now:)` periodically, every
/// 50–100 ms; the hold time is measured between `evaluate` calls, so it cannot be finer than
/// their spacing. Not thread-safe by itself: keep it in one actor or behind one lock.
public struct ActiveSpeakerDetector<Key: Hashable & Sendable>: Sendable {
    public let configuration: ActiveSpeakerDetectorConfiguration
    /// Who holds the floor, nil until someone has spoken (or after a release).
    public private(set) var dominantSpeaker: Key?

    private var speakers: [Key: ActiveSpeakerLoudness] = [:]
    private var lastChangeAt: ContinuousClock.Instant?
    private var dominantSilentSince: ContinuousClock.Instant?
    private let timeConstantSeconds: Double
    /// EMA weight of one packet: 1 - e^(-packetDuration/τ).
    private let packetWeight: Double
    private let silenceLevel: UInt8

    public init(configuration: ActiveSpeakerDetectorConfiguration = .init()) {
        self.configuration = configuration
        // Nonsensical durations are clamped rather than trapped on: 1 ms is the shortest τ.
        timeConstantSeconds = max(ActiveSpeakerLoudness.seconds(configuration.smoothingTimeConstant), 0.001)
        let packetSeconds = max(ActiveSpeakerLoudness.seconds(configuration.packetDuration), 0)
        packetWeight = 1 - ActiveSpeakerLoudness.exponentialDecay(packetSeconds / timeConstantSeconds)
        silenceLevel = min(max(configuration.silenceLevel, 1), 127)
    }

    /// Number of speakers tracked (observed and not removed).
    public var speakerCount: Int { speakers.count }

    /// Records one audio packet of `key`.
    /// - Parameters:
    ///   - level: RFC 6464 §3 level in -dBov, 0 loudest, 127 silence; larger values are treated
    ///     as 127.
    ///   - voiceActivity: the RFC 6464 V bit, or nil when it carries no meaning (the SDP said
    ///     `vad=off`, RFC 6464 §4; without the attribute `vad=on` is the default).
    ///   - now: arrival time of the packet.
    public mutating func observe(
        _ key: Key, level: UInt8, voiceActivity: Bool?, at now: ContinuousClock.Instant
    ) {
        let energy = speechEnergy(level: level, voiceActivity: voiceActivity)
        let weight = packetWeight
        let timeConstant = timeConstantSeconds
        // Copy out, update, write back into the existing slot: no allocation once `key` is known
        // (an in-place `modify` would allocate a coroutine frame in unoptimised builds).
        var loudness = speakers[key] ?? ActiveSpeakerLoudness(at: now)
        loudness.add(energy: energy, at: now, packetWeight: weight, timeConstantSeconds: timeConstant)
        speakers[key] = loudness
    }

    /// Forgets `key` (publication closed, participant left). If it held the floor, the floor is
    /// released at once, whatever the switch interval, and the change is returned.
    public mutating func removeSpeaker(_ key: Key, now: ContinuousClock.Instant) -> ActiveSpeakerChange<Key>? {
        speakers.removeValue(forKey: key)
        guard dominantSpeaker == key else { return nil }
        return changeDominantSpeaker(to: nil, now: now)
    }

    /// Smoothed loudness of `key` at `now`, 0...1; 0 for an unknown speaker.
    public func level(of key: Key, now: ContinuousClock.Instant) -> Double {
        guard let loudness = speakers[key] else { return 0 }
        return clampedLevel(loudness.value(at: now, timeConstantSeconds: timeConstantSeconds))
    }

    /// Speakers at or above `activeThreshold`, loudest first.
    public func activeSpeakers(now: ContinuousClock.Instant) -> [ActiveSpeakerLevel<Key>] {
        var result: [ActiveSpeakerLevel<Key>] = []
        activeSpeakers(now: now, into: &result)
        return result
    }

    /// Like `activeSpeakers(now:)`, but refills `result`, reusing its storage.
    public func activeSpeakers(now: ContinuousClock.Instant, into result: inout [ActiveSpeakerLevel<Key>]) {
        result.removeAll(keepingCapacity: true)
        for (key, loudness) in speakers {
            let level = clampedLevel(loudness.value(at: now, timeConstantSeconds: timeConstantSeconds))
            if level >= configuration.activeThreshold {
                result.append(ActiveSpeakerLevel(key: key, level: level))
            }
        }
        result.sort { $0.level > $1.level }
    }

    /// Decides who holds the floor at `now`; returns an event only when that changed.
    public mutating func evaluate(now: ContinuousClock.Instant) -> ActiveSpeakerChange<Key>? {
        let dominantLoudness = dominantSpeaker
            .flatMap { speakers[$0] }
            .map { $0.value(at: now, timeConstantSeconds: timeConstantSeconds) } ?? 0
        // A challenger must be active and clearly louder than the floor holder.
        let bar = max(configuration.activeThreshold, dominantLoudness + configuration.switchMargin)

        var winner: Key?
        var winnerLoudness = -Double.infinity
        var index = speakers.startIndex
        while index != speakers.endIndex {
            let key = speakers.keys[index]
            if key != dominantSpeaker {
                let loudness = speakers.values[index].value(at: now, timeConstantSeconds: timeConstantSeconds)
                if loudness >= bar {
                    let since = speakers.values[index].leadingSince ?? now
                    speakers.values[index].leadingSince = since
                    if now - since >= configuration.holdTime, loudness > winnerLoudness {
                        winner = key
                        winnerLoudness = loudness
                    }
                } else {
                    // The lead must be held without interruption (as sampled by `evaluate`).
                    speakers.values[index].leadingSince = nil
                }
            }
            speakers.formIndex(after: &index)
        }

        if dominantSpeaker != nil, dominantLoudness < configuration.activeThreshold {
            dominantSilentSince = dominantSilentSince ?? now
        } else {
            dominantSilentSince = nil
        }

        if let lastChangeAt, now - lastChangeAt < configuration.minimumSwitchInterval {
            return nil
        }
        if let winner {
            return changeDominantSpeaker(to: winner, now: now)
        }
        if let delay = configuration.silenceReleaseDelay, let silentSince = dominantSilentSince,
           now - silentSince >= delay {
            return changeDominantSpeaker(to: nil, now: now)
        }
        return nil
    }

    private mutating func changeDominantSpeaker(to key: Key?, now: ContinuousClock.Instant) -> ActiveSpeakerChange<Key> {
        let change = ActiveSpeakerChange(previous: dominantSpeaker, current: key, at: now)
        dominantSpeaker = key
        lastChangeAt = now
        dominantSilentSince = nil
        // Leads were measured against the old floor holder; everyone starts over against the new.
        var index = speakers.startIndex
        while index != speakers.endIndex {
            speakers.values[index].leadingSince = nil
            speakers.formIndex(after: &index)
        }
        return change
    }

    /// Speech energy of one packet, 0...1, linear in dB from `silenceLevel` (0) to 0 dBov (1).
    private func speechEnergy(level: UInt8, voiceActivity: Bool?) -> Double {
        if configuration.honoursVoiceActivityFlag, voiceActivity == false {
            return 0
        }
        // RFC 6464 §3: the level is 0...127 -dBov; anything larger is malformed, take as silence.
        guard level < silenceLevel else { return 0 }
        return Double(silenceLevel - level) / Double(silenceLevel)
    }

    private func clampedLevel(_ value: Double) -> Double {
        min(max(value, 0), 1)
    }
}
