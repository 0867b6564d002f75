@testable import SFU
import Testing

@Suite struct ConnectionQualityMeterTests {
    typealias Sample = ConnectionQualityMeter.Sample

    /// Cumulative upstream counters after `intervals` intervals of `perInterval` packets with
    /// `lostPerInterval` of them missing.
    static func upstream(_ intervals: Int64, perInterval: Int64 = 100, lostPerInterval: Int64 = 0,
                         publishing: Bool = true) -> Sample {
        Sample(upstreamExpected: intervals * perInterval, upstreamReceived: intervals * (perInterval - lostPerInterval),
               publishing: publishing)
    }

    @Test func nothingIsRatedBeforeAnythingWasMeasured() {
        var meter = ConnectionQualityMeter()
        #expect(meter.evaluate(Sample(upstreamExpected: 0, upstreamReceived: 0, publishing: true)) == nil)
        #expect(meter.current == nil)
    }

    @Test func cleanMediaIsExcellentAndOnlyChangesAreReported() {
        var meter = ConnectionQualityMeter()
        #expect(meter.evaluate(Self.upstream(1)) == .excellent)
        #expect(meter.evaluate(Self.upstream(2)) == nil, "unchanged: nothing to announce")
    }

    @Test func upstreamLossOfTheIntervalNotTheTotalDecides() {
        var meter = ConnectionQualityMeter()
        #expect(meter.evaluate(Self.upstream(10)) == .excellent)
        // 5 % of this interval's packets missing.
        #expect(meter.evaluate(Sample(upstreamExpected: 1100, upstreamReceived: 1095, publishing: true)) == .good)
        // 20 % missing.
        #expect(meter.evaluate(Sample(upstreamExpected: 1200, upstreamReceived: 1175, publishing: true)) == .poor)
        // Clean again: back to excellent although the total still shows the old losses.
        #expect(meter.evaluate(Sample(upstreamExpected: 1300, upstreamReceived: 1275, publishing: true)) == .excellent)
    }

    @Test func downstreamReportsAndRoundTripCount() {
        var meter = ConnectionQualityMeter()
        var sample = Sample(upstreamExpected: 0, upstreamReceived: 0, publishing: false, downstreamLoss: 0.01)
        #expect(meter.evaluate(sample) == .excellent, "a receive-only participant is rated from its reports")
        sample.downstreamLoss = 0.10
        #expect(meter.evaluate(sample) == .poor)
        sample.downstreamLoss = 0
        sample.roundTripMicroseconds = 400_000
        #expect(meter.evaluate(sample) == .good)
        sample.roundTripMicroseconds = 900_000
        #expect(meter.evaluate(sample) == .poor)
    }

    @Test func aPublisherWhoseMediaStopsIsLostUntilItFlowsAgain() {
        var meter = ConnectionQualityMeter()
        #expect(meter.evaluate(Self.upstream(3)) == .excellent)
        #expect(meter.evaluate(Self.upstream(3)) == .lost, "nothing arrived in the interval")
        #expect(meter.evaluate(Self.upstream(3)) == nil)
        #expect(meter.evaluate(Self.upstream(4)) == .excellent)
        // Muted tracks may be silent without anything being wrong.
        var muted = ConnectionQualityMeter()
        #expect(muted.evaluate(Self.upstream(3, publishing: false)) == .excellent)
        #expect(muted.evaluate(Self.upstream(3, publishing: false)) == nil)
    }

    @Test func unpublishingATrackDoesNotLookLikeLoss() {
        var meter = ConnectionQualityMeter()
        #expect(meter.evaluate(Self.upstream(5)) == .excellent)
        // A track went away: the counters shrink; the next interval is rated on its own.
        #expect(meter.evaluate(Sample(upstreamExpected: 200, upstreamReceived: 150, publishing: true)) == nil)
        #expect(meter.current == .excellent)
        #expect(meter.evaluate(Sample(upstreamExpected: 300, upstreamReceived: 250, publishing: true)) == nil)
    }
}
