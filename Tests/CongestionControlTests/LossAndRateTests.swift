import CongestionControl
import Testing

struct LossAndRateTests {
    @Test func highLossCutsTheLimitOncePerRoundTripAndLowLossLetsItGrow() {
        var control = LossBasedRateControl(startBitrate: 2_000_000)
        // 20 % loss over 50 packets.
        control.update(lost: 10, received: 40, current: 2_000_000, roundTripMicroseconds: 100_000, at: 0)
        #expect(control.bitrate == 1_800_000)
        #expect(control.lossFraction == 0.2)
        // Again 100 ms later: within round trip + 300 ms, no second cut.
        control.update(lost: 10, received: 40, current: 1_800_000, roundTripMicroseconds: 100_000, at: 100_000)
        #expect(control.bitrate == 1_800_000)
        control.update(lost: 10, received: 40, current: 1_800_000, roundTripMicroseconds: 100_000, at: 500_000)
        #expect(control.bitrate == 1_620_000)
        // 5 %: holds.
        control.update(lost: 1, received: 19, current: 1_620_000, roundTripMicroseconds: 100_000, at: 1_500_000)
        #expect(control.bitrate == 1_620_000)
        // 1 % (random loss): grows.
        control.update(lost: 1, received: 99, current: 1_620_000, roundTripMicroseconds: 100_000, at: 2_500_000)
        #expect(control.bitrate > 1_620_000)
    }

    @Test func fewerThanTwentyPacketsAreNotASample() {
        var control = LossBasedRateControl(startBitrate: 1_000_000)
        control.update(lost: 5, received: 5, current: 1_000_000, roundTripMicroseconds: 50_000, at: 0)
        #expect(control.bitrate == 1_000_000)
        control.update(lost: 5, received: 5, current: 1_000_000, roundTripMicroseconds: 50_000, at: 10_000)
        #expect(control.bitrate == 750_000)
    }

    @Test func acknowledgedRateIsBytesOverTheArrivalWindow() {
        var acked = AcknowledgedBitrateEstimator()
        #expect(acked.bitsPerSecond == nil)
        // 1,000 bytes every 10 ms: 800 kbit/s, for two seconds.
        for index in 0..<200 { acked.acknowledged(size: 1_000, arrivalMicroseconds: Int64(index) * 10_000) }
        let rate = acked.bitsPerSecond ?? 0
        #expect(abs(rate - 800_000) < 20_000, "\(rate)")
    }

    @Test func aProbeThatTheBottleneckSpreadsOutMeasuresTheBottleneck() {
        var probes = ProbeBitrateEstimator()
        probes.started(cluster: 1)
        for _ in 0..<10 { probes.sent(cluster: 1) }
        // Sent at 2 Mbit/s (1,250 bytes every 5 ms), arriving at 1 Mbit/s (every 10 ms).
        for index in 0..<10 {
            probes.received(TransportPacketResult(sequenceNumber: Int64(index), sendMicroseconds: Int64(index) * 5_000,
                                                  arrivalMicroseconds: 50_000 + Int64(index) * 10_000, size: 1_250,
                                                  probeCluster: 1))
        }
        #expect(probes.measureFinished() == nil, "not measured while the cluster may still be sending")
        probes.finished(cluster: 1)
        let rate = probes.measureFinished() ?? 0
        #expect(rate > 900_000 && rate < 1_000_000, "\(rate)")
        #expect(probes.measureFinished() == nil, "measured once")
    }
}
