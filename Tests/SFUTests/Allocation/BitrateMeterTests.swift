@testable import SFU
import Testing

@Suite struct BitrateMeterTests {
    @Test func measuresBitsPerSecondAndFallsByHalves() {
        var meter = BitrateMeter()
        meter.sample(at: 0)
        #expect(meter.bitsPerSecond == nil, "one sample is no interval")
        meter.add(bytes: 50_000)
        meter.sample(at: 500_000)
        #expect(meter.bitsPerSecond == 800_000)
        meter.add(bytes: 100_000)
        meter.sample(at: 1_000_000)
        #expect(meter.bitsPerSecond == 1_600_000, "a rise counts at once")
        meter.sample(at: 1_500_000)
        #expect(meter.bitsPerSecond == 800_000, "a quiet interval halves it")
        meter.sample(at: 2_000_000)
        #expect(meter.bitsPerSecond == 400_000)
    }
}
