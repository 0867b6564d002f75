public import RTP

extension ActiveSpeakerDetector {
    /// Records one audio packet from its parsed RFC 6464 header extension.
    /// - Parameter voiceActivityFlagInUse: false when the publisher's SDP declared the extension
    ///   with `vad=off` (RFC 6464 §4; the default is `vad=on`), so the V bit is ignored.
    public mutating func observe(
        _ key: Key, audioLevel: AudioLevelExtension, voiceActivityFlagInUse: Bool = true,
        at now: ContinuousClock.Instant
    ) {
        observe(
            key, level: audioLevel.level,
            voiceActivity: voiceActivityFlagInUse ? audioLevel.voiceActivity : nil, at: now)
    }
}
