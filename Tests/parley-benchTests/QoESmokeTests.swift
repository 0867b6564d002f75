import Foundation
import Testing

/// The qoe scenario's short form: 20 s with one simulcast publisher and one subscriber behind
/// the link emulator (5,000 kbit/s, 500 from 8 s, 5,000 again from 14 s; 50 ms RTT, 1 % loss),
/// checking issue #9's down-switch (≤ 1 s) and no-freeze (≤ 300 ms) targets.
///
/// It measures timing, so `make test` runs it alone after the other suites
/// (`PARLEY_QOE_SMOKE=1 swift test --filter QoESmokeTests`); in the parallel run it is skipped.
/// Debug binaries on a shared two-core machine stall now and then (the whole machine: both bench
/// loops at once) for up to a few hundred milliseconds, and a stall of the bench delays the
/// frames it sees by as much; so the freeze is checked less the bench's longest stall, which the
/// report measures. A run that misses a target (or whose estimate is not below the 500 kbit/s
/// link two seconds after the drop) is repeated, up to three runs in all.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PARLEY_QOE_SMOKE"] != nil))
struct QoESmokeTests {
    static let arguments = ["qoe", "--duration", "20", "--link-schedule", "8:500,14:5000"]

    struct Outcome {
        var downswitch: Double?
        var freeze: Double
        var stall: Double
        /// The server's estimate in seconds 10–13, while the link carries 500 kbit/s.
        var limitedEstimates: [Double] = []
        var estimatedBelowCapacity: Bool { !limitedEstimates.isEmpty && limitedEstimates.allSatisfy { $0 < 500 } }
        var met: Bool { (downswitch ?? .infinity) <= 1 && freeze - stall <= 300 && estimatedBelowCapacity }
    }

    @Test func theSubscriberDropsToALayerThatFitsWithinASecondWithoutFreezing() async throws {
        var report: [String: Any] = [:]
        var outcome = Outcome(downswitch: nil, freeze: .infinity, stall: 0)
        for attempt in 1...3 {
            report = try await BenchSmokeTests.runBench(Self.arguments, dev: true, timeout: .seconds(120))
            let series = report["series"] as? [[String: Any]] ?? []
            outcome = Outcome(downswitch: report["downswitch_s"] as? Double,
                              freeze: report["max_freeze_ms"] as? Double ?? .infinity,
                              stall: report["longest_stall_ms"] as? Double ?? 0,
                              limitedEstimates: series.count >= 14
                                ? series[10..<14].compactMap { $0["estimate_kbps"] as? Double } : [])
            print("qoe smoke run \(attempt): down-switch \(outcome.downswitch.map { "\($0) s" } ?? "never"), "
                  + "longest freeze \(outcome.freeze) ms, longest bench stall \(outcome.stall) ms, "
                  + "estimates at 500 kbit/s \(outcome.limitedEstimates) kbit/s")
            if outcome.met { break }
        }
        let series = try #require(report["series"] as? [[String: Any]])
        #expect(series.count == 20)
        // The capacity followed the schedule, and the server estimated below it once it fell.
        #expect(series.first?["capacity_kbps"] as? Double == 5_000 && series[9]["capacity_kbps"] as? Double == 500)
        #expect(outcome.estimatedBelowCapacity, "\(outcome.limitedEstimates)")
        // The targets.
        let downswitch = try #require(outcome.downswitch, "never switched to a layer that fits")
        #expect(downswitch <= 1, "down-switch took \(downswitch) s")
        #expect(outcome.freeze - outcome.stall <= 300, "a \(outcome.freeze) ms freeze (bench stalled \(outcome.stall) ms)")
        // Video kept flowing at the low rate, and the loss from overshooting stayed small.
        #expect(series[10..<14].allSatisfy { ($0["layer"] as? Int) == 0 })
        #expect(try #require(report["overshoot_loss_percent"] as? Double) < 5)
    }
}
