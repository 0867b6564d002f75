/// How well a participant's connection carries media, as shown to everyone in the room.
public enum ConnectionQuality: Sendable, Equatable, CaseIterable {
    case excellent, good, poor
    /// It publishes (unmuted) but nothing arrived for a whole interval.
    case lost
}

/// Rates one participant's connection from what its two legs measured over an interval: the
/// share of its published packets that never arrived (upstream), the loss its receiver reports
/// say our streams to it suffer (downstream), and the round trip from those reports.
///
/// Thresholds follow common practice for interactive video (LiveKit and Jitsi rate similarly):
/// up to 2 % loss and 300 ms round trip is excellent, up to 8 % and 600 ms good, worse is poor.
struct ConnectionQualityMeter {
    static let excellentLoss = 0.02, goodLoss = 0.08
    static let excellentRoundTripMicroseconds: Int64 = 300_000, goodRoundTripMicroseconds: Int64 = 600_000

    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0
    private(set) var current: ConnectionQuality?

    /// What one interval measured. Upstream counts are cumulative over the participant's
    /// publication layers (they may shrink when a track is unpublished).
    struct Sample {
        var upstreamExpected: Int64
        var upstreamReceived: Int64
        /// It has unmuted publications, so silence upstream means trouble.
        var publishing: Bool
        /// Worst loss fraction (0…1) in the latest receiver reports about streams sent to it.
        var downstreamLoss: Double?
        var roundTripMicroseconds: Int64?
    }

    /// Rates the interval since the last call; returns the rating when it differs from the last.
    /// Nothing is rated before anything was measured (a participant still connecting).
    mutating func evaluate(_ sample: Sample) -> ConnectionQuality? {
        let expected = sample.upstreamExpected - expectedPrior
        let received = sample.upstreamReceived - receivedPrior
        // Counters shrink when a track is unpublished: that interval says nothing about upstream.
        let comparable = expected >= 0 && received >= 0
        let mediaArrivedBefore = receivedPrior > 0
        expectedPrior = sample.upstreamExpected
        receivedPrior = sample.upstreamReceived
        guard sample.upstreamReceived > 0 || sample.downstreamLoss != nil else { return nil }
        let rating: ConnectionQuality
        if sample.publishing, comparable, mediaArrivedBefore, received == 0 {
            rating = .lost
        } else {
            let upstreamLoss = comparable && expected > 0 ? Double(max(0, expected - received)) / Double(expected) : 0
            rating = Self.rate(loss: max(upstreamLoss, sample.downstreamLoss ?? 0),
                               roundTripMicroseconds: sample.roundTripMicroseconds)
        }
        guard rating != current else { return nil }
        current = rating
        return rating
    }

    static func rate(loss: Double, roundTripMicroseconds: Int64?) -> ConnectionQuality {
        let roundTrip = roundTripMicroseconds ?? 0
        if loss <= excellentLoss, roundTrip <= excellentRoundTripMicroseconds { return .excellent }
        if loss <= goodLoss, roundTrip <= goodRoundTripMicroseconds { return .good }
        return .poor
    }
}
