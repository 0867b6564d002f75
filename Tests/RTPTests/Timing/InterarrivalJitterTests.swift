import RTP
import Testing

@Test func constantTransitGivesZeroJitter() {
    var estimator = InterarrivalJitterEstimator()
    // 90 kHz video, 30 fps, fixed 1234-tick network delay, timestamps crossing the 32-bit wrap.
    var timestamp = UInt32.max - 30_000
    var arrival: Int64 = 5_000_000
    for _ in 0..<200 {
        estimator.update(rtpTimestamp: timestamp, arrival: arrival + 1234)
        timestamp &+= 3000
        arrival += 3000
    }
    #expect(estimator.jitter == 0)
    #expect(estimator.preciseJitter == 0)
}

@Test func firstDifferenceAddsOneSixteenth() {
    var estimator = InterarrivalJitterEstimator()
    estimator.update(rtpTimestamp: 0, arrival: 0)
    #expect(estimator.jitter == 0)
    estimator.update(rtpTimestamp: 160, arrival: 320)  // D = 160
    #expect(estimator.preciseJitter == 10)
    #expect(estimator.jitter == 10)
}

@Test func alternatingDelayConvergesToTheDelayStep() {
    var estimator = InterarrivalJitterEstimator()
    let step: Int64 = 80
    for index in 0..<500 {
        let timestamp = UInt32(index * 160)
        let extra = index.isMultiple(of: 2) ? 0 : step
        estimator.update(rtpTimestamp: timestamp, arrival: Int64(index * 160) + 40 + extra)
    }
    // |D| = 80 every packet, so J → 80 (A.8's integer rounding can leave it one below).
    #expect((79...80).contains(estimator.jitter))
    #expect(abs(estimator.preciseJitter - 80) < 1)
}
