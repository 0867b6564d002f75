/// The loss-based controller (draft-ietf-rmcat-gcc-02 §6, libwebrtc's classic
/// SendSideBandwidthEstimation): the share of packets transport-cc reported lost, over at
/// least `minimumPackets`, moves a limit. Above 10 % it drops to `rate × (1 − loss/2)`, at most
/// once per round trip + 300 ms; below 2 % it grows by 8 % a second; in between it holds.
/// Random loss under 2 % (wireless, the 1 % of the qoe scenario) therefore costs nothing.
public struct LossBasedRateControl: Sendable {
    public static let lowLoss = 0.02
    public static let highLoss = 0.10
    public static let minimumPackets = 20

    public private(set) var bitrate: Int
    /// The loss fraction of the last completed sample (0…1).
    public private(set) var lossFraction = 0.0
    private var lost = 0
    private var total = 0
    private var lastDecrease: Int64?
    private var lastUpdate: Int64?

    public init(startBitrate: Int) {
        bitrate = startBitrate
    }

    /// A measured rate (a probe's result) replaces the limit.
    public mutating func setBitrate(_ value: Int) {
        bitrate = value
    }

    /// Packets reported in one feedback; `current` is the combined estimate now (what a
    /// decrease is taken from, and what growth may not leave far behind); `acknowledged` what
    /// the receiver measured getting through (a decrease never goes below 85 % of it: loss the
    /// delay-based controller's own overshoot caused says nothing about a lower capacity).
    public mutating func update(lost newlyLost: Int, received: Int, current: Int, acknowledged: Int? = nil,
                                roundTripMicroseconds: Int64, at now: Int64) {
        lost += newlyLost
        total += newlyLost + received
        guard total >= Self.minimumPackets else { return }
        let elapsed = secondsSince(lastUpdate, now: now)
        lastUpdate = now
        lossFraction = Double(lost) / Double(total)
        lost = 0
        total = 0
        if lossFraction > Self.highLoss {
            if let lastDecrease, now - lastDecrease < roundTripMicroseconds + 300_000 { return }
            let floor = acknowledged.map { $0 * 85 / 100 } ?? 10_000
            bitrate = max(Int(Double(min(bitrate, current)) * (1 - lossFraction / 2)), floor, 10_000)
            lastDecrease = now
        } else if lossFraction < Self.lowLoss {
            // 8 % a second, at least up to the combined estimate (low loss limits nothing), and
            // never far above it: a limit far above would take long to come down when loss returns.
            let grown = Int(Double(bitrate) * (1 + 0.08 * elapsed) + 1_000 * elapsed)
            bitrate = min(max(grown, current), Int(Double(current) * 1.5) + 10_000)
        }
    }
}
