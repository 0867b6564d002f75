import SFU
import Testing

@Suite struct ReceiverReportBandwidthEstimatorTests {
    @Test func nothingLimitsBeforeAnyFigure() {
        let estimator = ReceiverReportBandwidthEstimator()
        #expect(estimator.availableBitrate(at: 0) == nil)
    }

    @Test func theLatestREMBIsTheEstimateUntilItGoesStale() {
        var estimator = ReceiverReportBandwidthEstimator(rembLifetimeMicroseconds: 5_000_000)
        estimator.receivedREMB(bitsPerSecond: 800_000, at: 0)
        estimator.receivedREMB(bitsPerSecond: 300_000, at: 1_000_000)
        #expect(estimator.availableBitrate(at: 2_000_000) == 300_000)
        #expect(estimator.availableBitrate(at: 6_000_000) == 300_000)
        #expect(estimator.availableBitrate(at: 6_000_001) == nil, "a REMB 5 s old no longer counts")
    }

    @Test func heavyLossCutsToWhatWasSentLessHalfTheLoss() {
        var estimator = ReceiverReportBandwidthEstimator()
        estimator.receivedREMB(bitsPerSecond: 2_000_000, at: 0)
        estimator.receivedLossReport(fractionLost: 0.2, sendingBitsPerSecond: 1_000_000, at: 0)
        #expect(estimator.availableBitrate(at: 0) == 900_000)
        // Moderate loss holds; it does not raise or cut.
        estimator.receivedLossReport(fractionLost: 0.05, sendingBitsPerSecond: 900_000, at: 1)
        #expect(estimator.availableBitrate(at: 1) == 900_000)
        // Further heavy loss cuts again, never raising the limit.
        estimator.receivedLossReport(fractionLost: 0.5, sendingBitsPerSecond: 900_000, at: 2)
        #expect(estimator.availableBitrate(at: 2) == 675_000)
    }

    @Test func lossWithNothingMeasuredGoingOutIsIgnored() {
        var estimator = ReceiverReportBandwidthEstimator()
        estimator.receivedLossReport(fractionLost: 0.5, sendingBitsPerSecond: 0, at: 0)
        #expect(estimator.availableBitrate(at: 0) == nil)
    }

    @Test func lowLossGrowsTheLimitUntilItNoLongerLimits() {
        var estimator = ReceiverReportBandwidthEstimator()
        estimator.receivedLossReport(fractionLost: 0.3, sendingBitsPerSecond: 1_000_000, at: 0)
        #expect(estimator.availableBitrate(at: 0) == 850_000)
        estimator.receivedLossReport(fractionLost: 0, sendingBitsPerSecond: 850_000, at: 1)
        #expect(estimator.availableBitrate(at: 1) == 918_000, "8 % growth per clean report")
        var reports = 0
        while estimator.availableBitrate(at: 2) != nil && reports < 100 {
            estimator.receivedLossReport(fractionLost: 0.01, sendingBitsPerSecond: 850_000, at: 2)
            reports += 1
        }
        #expect(reports > 5 && reports < 20, "past twice what is sent the limit is dropped (\(reports) reports)")
    }

    @Test func theLowerOfREMBAndTheLossLimitWins() {
        var estimator = ReceiverReportBandwidthEstimator()
        estimator.receivedLossReport(fractionLost: 0.4, sendingBitsPerSecond: 1_000_000, at: 0)
        estimator.receivedREMB(bitsPerSecond: 500_000, at: 0)
        #expect(estimator.availableBitrate(at: 0) == 500_000)
        estimator.receivedREMB(bitsPerSecond: 5_000_000, at: 1)
        #expect(estimator.availableBitrate(at: 1) == 800_000)
    }
}
