import RTP
import Testing

@Test func unixEpochIsNTPSeconds2208988800() {
    let epoch = NTPTimestamp(unixNanoseconds: 0)
    #expect(epoch.seconds == 2_208_988_800)
    #expect(epoch.fraction == 0)
    #expect(epoch.unixNanoseconds == 0)
    #expect(NTPTimestamp(unixSeconds: 0.0) == epoch)
    #expect(NTPTimestamp.unixEpochOffsetSeconds == 2_208_988_800)
}

@Test func halfSecondIsHalfTheFraction() {
    let value = NTPTimestamp(unixNanoseconds: 1_700_000_000_500_000_000)
    #expect(value.seconds == 3_908_988_800)
    #expect(value.fraction == 0x8000_0000)
    #expect(value.rawValue == UInt64(3_908_988_800) << 32 | 0x8000_0000)
    #expect(value.unixSeconds == 1_700_000_000.5)
    #expect(NTPTimestamp(unixSeconds: 1_700_000_000.25).fraction == 0x4000_0000)
}

@Test(arguments: [Int64(0), 1, 999_999_999, 1_763_767_338_123_456_789, -1, -1_500_000_000, 2_085_978_496_000_000_001])
func nanosecondsRoundTrip(nanoseconds: Int64) {
    #expect(NTPTimestamp(unixNanoseconds: nanoseconds).unixNanoseconds == nanoseconds)
}

@Test func secondsAfterFebruary2036UseEraOne() {
    // 2036-02-07 06:28:16 UTC is where the 32-bit NTP seconds wrap to 0.
    let wrap = NTPTimestamp(unixNanoseconds: 2_085_978_496_000_000_000)
    #expect(wrap.seconds == 0)
    #expect(NTPTimestamp(seconds: 0, fraction: 0).unixNanoseconds == 2_085_978_496_000_000_000)
    #expect(NTPTimestamp(seconds: 0x8000_0000, fraction: 0) < NTPTimestamp(seconds: 0, fraction: 0))
}

@Test func compactIsTheMiddleThirtyTwoBits() {
    let value = NTPTimestamp(seconds: 0xB44D_B705, fraction: 0x2000_0000)
    #expect(value.compact == 0xB705_2000)
}

@Test func compactDurationsConvertToNanoseconds() {
    #expect(CompactNTP.fromNanoseconds(1_000_000_000) == 65536)
    #expect(CompactNTP.fromNanoseconds(5_250_000_000) == 0x0005_4000)
    #expect(CompactNTP.fromNanoseconds(-5) == 0)
    #expect(CompactNTP.fromNanoseconds(.max) == .max)
    #expect(CompactNTP.toNanoseconds(32768) == 500_000_000)
    #expect(CompactNTP.toNanoseconds(1) == 15259)
}

@Test func roundTripTimeMatchesRFC3550Example() {
    // RFC 3550 §6.4.1: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 → 0x0006:2000.
    #expect(CompactNTP.roundTripTime(arrival: 0xB710_8000, lastSenderReport: 0xB705_2000, delaySinceLastSenderReport: 0x0005_4000) == 0x0006_2000)
    #expect(CompactNTP.roundTripTime(arrival: 0xB710_8000, lastSenderReport: 0, delaySinceLastSenderReport: 0) == nil)
    #expect(CompactNTP.roundTripTime(arrival: 0x0000_0010, lastSenderReport: 0x0000_0020, delaySinceLastSenderReport: 0) == nil)
    // Across the compact wrap.
    #expect(CompactNTP.roundTripTime(arrival: 0x0000_1000, lastSenderReport: 0xFFFF_F000, delaySinceLastSenderReport: 0x800) == 0x1800)
}

@Test(arguments: [Double.nan, .infinity, -.infinity, 1e300])
func unrepresentableSecondsGiveZeroInsteadOfTrapping(seconds: Double) {
    #expect(NTPTimestamp(unixSeconds: seconds).rawValue == 0)
}
