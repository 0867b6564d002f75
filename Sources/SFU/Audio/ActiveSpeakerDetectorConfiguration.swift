/// Tuning of `ActiveSpeakerDetector`. Loudness values (`activeThreshold`, `switchMargin`) are on
/// the detector's normalised scale: 0 is `silenceLevel` or quieter, 1 is 0 dBov, linear in dB
/// in between (so with the default `silenceLevel` of 70, 0.1 is 7 dB).
public struct ActiveSpeakerDetectorConfiguration: Sendable, Hashable {
    /// RFC 6464 level (-dBov) at or above which (i.e. this quiet or quieter) a packet counts as
    /// silence. Background noise of an idle microphone is usually below -70 dBov once the
    /// browser's noise suppression has run. Clamped to 1...127.
    public var silenceLevel: UInt8
    /// Time constant of the exponential moving average of each speaker's loudness: after this
    /// long without packets (DTX, muted) the loudness has decayed to 1/e of its value.
    public var smoothingTimeConstant: Duration
    /// How much audio one packet stands for. WebRTC Opus sends 20 ms packets; set 40/60 ms if
    /// the publisher negotiated a longer ptime, so its loudness is not under-weighted.
    public var packetDuration: Duration
    /// Smoothed loudness from which a speaker is "active": listed by `activeSpeakers(now:)` and
    /// eligible to become dominant.
    public var activeThreshold: Double
    /// How much louder than the dominant speaker a challenger must be (hysteresis).
    public var switchMargin: Double
    /// How long a challenger must stay louder by `switchMargin` before it takes the floor, so a
    /// cough or door slam does not steal it.
    public var holdTime: Duration
    /// Least time between two changes of the dominant speaker: 500 ms means at most two changes
    /// per second, which keeps video layouts from flickering.
    public var minimumSwitchInterval: Duration
    /// When set, a dominant speaker who has been below `activeThreshold` this long is dropped and
    /// the detector reports "no dominant speaker". When nil (the default, as LiveKit and Jitsi
    /// do) the last dominant speaker keeps the floor through silence until someone else speaks.
    public var silenceReleaseDelay: Duration?
    /// Whether a packet whose RFC 6464 V bit says "no voice" counts as silence whatever its
    /// level. Only applies when the caller passes a voice-activity flag.
    public var honoursVoiceActivityFlag: Bool

    public init(
        silenceLevel: UInt8 = 70,
        smoothingTimeConstant: Duration = .milliseconds(400),
        packetDuration: Duration = .milliseconds(20),
        activeThreshold: Double = 0.1,
        switchMargin: Double = 0.1,
        holdTime: Duration = .milliseconds(400),
        minimumSwitchInterval: Duration = .milliseconds(500),
        silenceReleaseDelay: Duration? = nil,
        honoursVoiceActivityFlag: Bool = true
    ) {
        self.silenceLevel = silenceLevel
        self.smoothingTimeConstant = smoothingTimeConstant
        self.packetDuration = packetDuration
        self.activeThreshold = activeThreshold
        self.switchMargin = switchMargin
        self.holdTime = holdTime
        self.minimumSwitchInterval = minimumSwitchInterval
        self.silenceReleaseDelay = silenceReleaseDelay
        self.honoursVoiceActivityFlag = honoursVoiceActivityFlag
    }
}
