@testable import parley_bench
import Testing

/// A generator with a fixed sequence, so loss decisions are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The link emulator's model in virtual time: rate, queue, delay, jitter and loss.
struct LinkShaperTests {
    @Test func aRateLimitSpacesPacketsAndItsQueueDropsTheExcess() {
        var conditions = LinkConditions()
        conditions.rateBitsPerSecond = 800_000 // 1,000 bytes take 10 ms
        conditions.delayMicroseconds = 25_000
        conditions.queueMicroseconds = 50_000
        var shaper = LinkShaper(conditions: conditions)
        // Ten packets at once: each leaves 10 ms after the one before, plus the delay; the
        // queue holds 50 ms, so the packets that would wait longer are dropped.
        let outcomes = (0..<10).map { _ in shaper.admit(size: 1_000, at: 0, rate: conditions.rate(atElapsed: 0)) }
        let delivered = outcomes.compactMap { try? $0.get() }
        #expect(delivered == [35_000, 45_000, 55_000, 65_000, 75_000, 85_000])
        #expect(outcomes.filter { (try? $0.get()) == nil }.count == 4)
        #expect(outcomes.last == .failure(LinkDropError(reason: .queueFull)))
        // Once the queue drained, packets go through again.
        #expect((try? shaper.admit(size: 1_000, at: 200_000, rate: 800_000).get()) == 235_000)
    }

    @Test func theScheduleChangesTheRateAtItsTimes() throws {
        var conditions = LinkConditions()
        conditions.rateBitsPerSecond = 5_000_000
        conditions.schedule = try #require(LinkConditions.parseSchedule("20:500,40:5000"))
        #expect(conditions.rate(atElapsed: 19_999_999) == 5_000_000)
        #expect(conditions.rate(atElapsed: 20_000_000) == 500_000)
        #expect(conditions.rate(atElapsed: 45_000_000) == 5_000_000)
        #expect(LinkConditions.parseSchedule("20-500") == nil)
        #expect(LinkConditions.parseSchedule("20:1") == nil)
    }

    @Test func randomLossIsAboutItsRateAndJitterKeepsOrder() {
        var conditions = LinkConditions()
        conditions.randomLoss = 0.05
        conditions.delayMicroseconds = 10_000
        conditions.jitterMicroseconds = 8_000
        var shaper = LinkShaper(conditions: conditions, random: SeededGenerator(state: 7))
        var lost = 0
        var last: Int64 = 0
        for index in 0..<10_000 {
            switch shaper.admit(size: 200, at: Int64(index) * 1_000, rate: nil) {
            case .success(let at):
                #expect(at >= last && at >= Int64(index) * 1_000 + 10_000 && at <= Int64(index) * 1_000 + 18_000)
                last = at
            case .failure(let drop):
                #expect(drop.reason == .random)
                lost += 1
            }
        }
        #expect((400...600).contains(lost), "\(lost) of 10,000 at 5 %")
    }

    @Test func burstsLoseRunsOfPackets() {
        var conditions = LinkConditions()
        conditions.burstEnter = 0.01
        conditions.burstLeave = 0.25
        var shaper = LinkShaper(conditions: conditions, random: SeededGenerator(state: 11))
        var runs: [Int] = []
        var run = 0
        for index in 0..<20_000 {
            if case .failure = shaper.admit(size: 200, at: Int64(index), rate: nil) {
                run += 1
            } else if run > 0 {
                runs.append(run)
                run = 0
            }
        }
        // About 1 % of packets start a burst, which lasts 4 packets on average (1 / 0.25).
        let mean = Double(runs.reduce(0, +)) / Double(max(runs.count, 1))
        #expect(mean > 3 && mean < 5.5, "\(mean)")
        #expect(runs.count > 100)
    }
}
