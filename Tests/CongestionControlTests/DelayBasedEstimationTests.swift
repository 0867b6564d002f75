import CongestionControl
import Testing

/// The delay-based detector on synthetic one-way delay traces.
struct DelayBasedEstimationTests {
    /// Groups every `interval` µs; group `index` arrives `extraDelay(index)` µs later than sent.
    static func trace(groups: Int, interval: Int64 = 20_000, extraDelay: (Int) -> Int64) -> [PacketGroupDelta] {
        var grouper = PacketGroupDeltas()
        var deltas: [PacketGroupDelta] = []
        for index in 0..<groups {
            let send = Int64(index) * interval
            // Three packets per group, 1 ms apart, as a frame's burst.
            for packet in 0..<3 {
                let packetSend = send + Int64(packet) * 1_000
                if let delta = grouper.add(sendMicroseconds: packetSend,
                                           arrivalMicroseconds: packetSend + 30_000 + extraDelay(index)) {
                    deltas.append(delta)
                }
            }
        }
        return deltas
    }

    @Test func packetsSentWithinFiveMillisecondsFormOneGroup() {
        let deltas = Self.trace(groups: 5) { _ in 0 }
        // Five groups make four deltas, each one group interval on both sides.
        #expect(deltas.count == 3)
        #expect(deltas.allSatisfy { $0.sendDeltaMicroseconds == 20_000 && $0.arrivalDeltaMicroseconds == 20_000 })
    }

    @Test func steadyDelayIsNormal() {
        var detector = TrendlineEstimator()
        let states = Self.trace(groups: 200) { index in Int64(index % 3) * 300 }.map { detector.update($0) }
        #expect(!states.contains(.overusing))
        #expect(detector.usage == .normal)
    }

    @Test func growingDelayIsOveruse() {
        var detector = TrendlineEstimator()
        // A queue building 2 ms per 20 ms group: sending 10 % above capacity.
        let states = Self.trace(groups: 60) { index in index < 20 ? 0 : Int64(index - 20) * 2_000 }.map { detector.update($0) }
        let first = states.firstIndex(of: .overusing)
        #expect(first != nil)
        // Within 20 groups (400 ms) of the queue starting to build.
        #expect((first ?? 99) < 20 + 20)
        #expect(!states.prefix(20).contains(.overusing))
    }

    @Test func drainingQueueIsUnderuse() {
        var detector = TrendlineEstimator()
        let states = Self.trace(groups: 80) { index in
            index < 30 ? 0 : max(0, 200_000 - Int64(index - 30) * 5_000)
        }.map { detector.update($0) }
        #expect(states.dropFirst(32).contains(.underusing))
    }

    @Test func oneLateGroupIsNotOveruse() {
        var detector = TrendlineEstimator()
        let states = Self.trace(groups: 100) { index in index == 50 ? 40_000 : 0 }.map { detector.update($0) }
        #expect(!states.contains(.overusing))
    }

    @Test func aimdDecreasesToBetaTimesAcknowledgedOnOveruse() {
        var control = AIMDRateControl(startBitrate: 2_000_000)
        let rate = control.update(usage: .overusing, acknowledged: 1_000_000, roundTripMicroseconds: 50_000, at: 0)
        #expect(rate == 850_000)
        #expect(control.linkCapacityKbps == 1_000)
        // Underuse holds.
        #expect(control.update(usage: .underusing, acknowledged: 900_000, roundTripMicroseconds: 50_000, at: 100_000) == 850_000)
    }

    @Test func aimdGrowsEightPercentASecondFarFromCapacityAndSlowerNearIt() {
        var free = AIMDRateControl(startBitrate: 1_000_000)
        for step in 0...10 { free.update(usage: .normal, acknowledged: 1_000_000, roundTripMicroseconds: 50_000, at: Int64(step) * 100_000) }
        // One second of normal: about 8 % more.
        #expect((1_070_000...1_090_000).contains(free.bitrate))

        var near = AIMDRateControl(startBitrate: 1_000_000)
        near.update(usage: .overusing, acknowledged: 1_000_000, roundTripMicroseconds: 50_000, at: 0)
        let afterDecrease = near.bitrate
        for step in 1...11 { near.update(usage: .normal, acknowledged: 860_000, roundTripMicroseconds: 50_000, at: Int64(step) * 100_000) }
        let growth = near.bitrate - afterDecrease
        // Additive: about one packet per response time a second, far less than 8 %.
        #expect(growth > 0 && growth < afterDecrease * 8 / 100)
    }

    @Test func aimdNeverGrowsPastOneAndAHalfTimesWhatWasAcknowledged() {
        var control = AIMDRateControl(startBitrate: 300_000)
        for step in 0...100 { control.update(usage: .normal, acknowledged: 200_000, roundTripMicroseconds: 50_000, at: Int64(step) * 100_000) }
        #expect(control.bitrate == 310_000)
    }
}
