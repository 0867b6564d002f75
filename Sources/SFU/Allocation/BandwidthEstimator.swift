/// How many bits per second a subscriber's downlink can take: the figure the layer allocator
/// splits between its subscriptions. One per subscriber transport. Kept small so a send-side
/// estimator (transport-cc feedback, delay-based) can take this one's place.
public protocol BandwidthEstimator: Sendable {
    /// A REMB from the subscriber (draft-alvestrand-rmcat-remb): its receive-side estimate.
    mutating func receivedREMB(bitsPerSecond: UInt64, at now: Int64)
    /// The loss a receiver report block shows (fraction 0…1) while `sendingBitsPerSecond`
    /// were going out to the subscriber.
    mutating func receivedLossReport(fractionLost: Double, sendingBitsPerSecond: Int, at now: Int64)
    /// The estimate at `now`; nil when nothing limits the subscriber (no figure yet).
    func availableBitrate(at now: Int64) -> Int?
}

/// An estimate from what the subscriber tells us in RTCP: its latest REMB, lowered by a
/// loss-based controller on receiver reports (draft-ietf-rmcat-gcc-02 §6): above 10 % loss the
/// rate drops to `sending × (1 − loss/2)`, below 2 % it grows by 8 % per report, in between it
/// holds. A REMB older than `rembLifetimeMicroseconds` no longer counts.
public struct ReceiverReportBandwidthEstimator: BandwidthEstimator {
    public static let highLoss = 0.10
    public static let lowLoss = 0.02
    public let rembLifetimeMicroseconds: Int64

    private var remb: (bitsPerSecond: Int, at: Int64)?
    /// The loss-based limit; nil while loss has not called for one (or it grew past use).
    private var lossBasedLimit: Int?

    public init(rembLifetimeMicroseconds: Int64 = 5_000_000) {
        self.rembLifetimeMicroseconds = rembLifetimeMicroseconds
    }

    public mutating func receivedREMB(bitsPerSecond: UInt64, at now: Int64) {
        remb = (Int(clamping: bitsPerSecond), now)
    }

    public mutating func receivedLossReport(fractionLost: Double, sendingBitsPerSecond: Int, at now: Int64) {
        // Before anything was measured going out, loss says nothing about a rate.
        guard sendingBitsPerSecond > 0 else { return }
        if fractionLost > Self.highLoss {
            let reduced = Int(Double(sendingBitsPerSecond) * (1 - fractionLost / 2))
            lossBasedLimit = min(lossBasedLimit ?? .max, reduced)
        } else if fractionLost < Self.lowLoss, let limit = lossBasedLimit {
            let grown = limit + max(limit * 8 / 100, 8_000)
            // Far above what is being sent, the limit no longer limits anything.
            lossBasedLimit = grown > 2 * max(sendingBitsPerSecond, 1) ? nil : grown
        }
    }

    public func availableBitrate(at now: Int64) -> Int? {
        let fromREMB = remb.flatMap { now - $0.at <= rembLifetimeMicroseconds ? $0.bitsPerSecond : nil }
        switch (fromREMB, lossBasedLimit) {
        case let (remb?, loss?): return min(remb, loss)
        case let (remb?, nil): return remb
        case let (nil, loss?): return loss
        case (nil, nil): return nil
        }
    }
}
