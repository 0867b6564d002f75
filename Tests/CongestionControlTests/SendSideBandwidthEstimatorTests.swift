import CongestionControl
import Testing

/// The whole estimator against a simulated bottleneck (`SimulatedLink`), the way the qoe
/// scenario runs it against the link emulator, only in virtual time.
struct SendSideBandwidthEstimatorTests {
    @Test func settlesBelowABottleneckItStartedAbove() throws {
        var simulation = EstimatorSimulation(capacity: 600_000, wanted: 3_000_000)
        var samples: [(Int64, Int)] = []
        try simulation.run(for: 10_000_000) { samples.append(($0, $1)) }
        let settled = samples.filter { $0.0 >= 3_000_000 }.map(\.1)
        // After the first seconds the estimate stays near the capacity and mostly under it.
        #expect(settled.allSatisfy { $0 < 800_000 }, "\(settled)")
        #expect(settled.filter { $0 <= 600_000 }.count * 2 >= settled.count, "\(settled)")
        // And it uses the link: at least 70 % delivered over the last 7 seconds.
        let average = settled.reduce(0, +) / max(settled.count, 1)
        #expect(average > 420_000, "\(average)")
    }

    @Test func dropsWithinASecondWhenTheCapacityFalls() throws {
        var simulation = EstimatorSimulation(capacity: 5_000_000, wanted: 2_200_000)
        try simulation.run(for: 5_000_000)
        #expect(simulation.estimator.targetBitrate(at: simulation.now) >= 2_000_000)
        simulation.link.capacity = 500_000
        var samples: [(Int64, Int)] = []
        try simulation.run(for: 3_000_000) { samples.append(($0, $1)) }
        let afterOneSecond = samples.first { $0.0 >= simulation.now - 2_000_000 }?.1 ?? .max
        #expect(afterOneSecond <= 550_000, "\(samples.map(\.1))")
    }

    @Test func probesBackUpWithinFiveSecondsWhenTheCapacityReturns() throws {
        var simulation = EstimatorSimulation(capacity: 500_000, wanted: 2_200_000)
        try simulation.run(for: 6_000_000)
        #expect(simulation.estimator.targetBitrate(at: simulation.now) < 700_000)
        simulation.link.capacity = 5_000_000
        var samples: [(Int64, Int)] = []
        let start = simulation.now
        try simulation.run(for: 5_000_000) { samples.append(($0, $1)) }
        let reached = samples.first { $0.1 >= 2_000_000 }
        #expect(reached != nil, "\(samples.map(\.1))")
        #expect((reached?.0 ?? .max) - start <= 5_000_000)
        #expect(simulation.estimator.lastProbeResult != nil)
    }

    @Test func doesNotProbeWhenNothingMoreIsWanted() throws {
        var simulation = EstimatorSimulation(capacity: 5_000_000, wanted: 400_000)
        try simulation.run(for: 3_000_000)
        #expect(simulation.estimator.lastProbeResult == nil)
        #expect(simulation.estimator.nextProbe(wanted: 400_000, at: simulation.now) == nil)
    }
}
