import RTP
import SFU
import Testing

private let t0: Int64 = 7_000_000

@Test(arguments: [
    // (clock rate, last timestamp, elapsed µs, expected timestamp)
    (90_000, UInt32(90_000), Int64(100_000), UInt32(99_000)),
    (48_000, UInt32(48_000), Int64(20_000), UInt32(48_960)),
    (48_000, UInt32(0xFFFF_FF00), Int64(100_000), UInt32(0xFFFF_FF00) &+ 4_800),
    (90_000, UInt32(90_000), Int64(0), UInt32(90_000)),
    (90_000, UInt32(90_000), Int64(-10_000), UInt32(89_100)),
])
func srTimestampIsExtrapolatedFromTheLastSentPacket(
    clockRate: Int, lastTimestamp: UInt32, elapsed: Int64, expected: UInt32
) throws {
    var generator = SenderReportGenerator(ssrc: 5, clockRate: clockRate)
    generator.recordSent(payloadBytes: 100, rtpTimestamp: lastTimestamp, sendMicroseconds: t0)
    #expect(generator.rtpTimestamp(atMicroseconds: t0 + elapsed) == expected)
}

@Test func theFirstPacketOfAFrameAnchorsTheMapping() {
    var generator = SenderReportGenerator(ssrc: 5, clockRate: 90_000)
    generator.recordSent(payloadBytes: 1000, rtpTimestamp: 90_000, sendMicroseconds: t0)
    generator.recordSent(payloadBytes: 1000, rtpTimestamp: 90_000, sendMicroseconds: t0 + 5_000)
    #expect(generator.rtpTimestamp(atMicroseconds: t0 + 100_000) == 99_000)
}

@Test func newerOutputTimestampsMoveTheAnchorButOlderOnesDoNot() {
    var generator = SenderReportGenerator(ssrc: 5, clockRate: 90_000)
    generator.recordSent(payloadBytes: 1000, rtpTimestamp: 90_000, sendMicroseconds: t0)
    // After a simulcast switch the forwarder continues the OUTPUT timeline: 93 000 at +33 ms.
    generator.recordSent(payloadBytes: 1000, rtpTimestamp: 93_000, sendMicroseconds: t0 + 33_000)
    // A reordered packet of the previous frame changes nothing.
    generator.recordSent(payloadBytes: 1000, rtpTimestamp: 90_000, sendMicroseconds: t0 + 40_000)
    // 93 000 + 67 ms × 90 kHz.
    let timestamp = generator.rtpTimestamp(atMicroseconds: t0 + 100_000)
    #expect(timestamp == 99_030)
}

@Test func senderInfoCarriesCountsAndNowInBothClocks() throws {
    var generator = SenderReportGenerator(ssrc: 0x1111, clockRate: 90_000)
    let ntp = NTPTimestamp(seconds: 0xE800_0000, fraction: 0x8000_0000)
    #expect(generator.senderInfo(nowMicroseconds: t0, ntpNow: ntp) == nil)
    generator.recordSent(payloadBytes: 1200, rtpTimestamp: 1_000, sendMicroseconds: t0)
    generator.recordSent(payloadBytes: 800, rtpTimestamp: 1_000, sendMicroseconds: t0)
    generator.recordSent(payloadBytes: 300, rtpTimestamp: 4_000, sendMicroseconds: t0 + 33_000)
    let info = try #require(generator.senderInfo(nowMicroseconds: t0 + 50_000, ntpNow: ntp))
    #expect(info.packetCount == 3)
    #expect(info.octetCount == 2_300)
    #expect(info.ntpTimestamp == ntp.rawValue)
    #expect(info.rtpTimestamp == 4_000 + 1_530)
    // It builds into an SR that parses back unchanged.
    let bytes = try RTCPSenderReport.build(senderSSRC: 0x1111, senderInfo: info)
    let parsed = try bytes.withUnsafeBytes { raw in
        try RTCPSenderReport(parsing: try RTCPHeader.parse(raw), in: raw).senderInfo
    }
    #expect(parsed == info)
}

private func block(ssrc: UInt32, lsr: UInt32, dlsr: UInt32) -> RTCPReportBlock {
    RTCPReportBlock(ssrc: ssrc, fractionLost: 0, cumulativeLost: 0, extendedHighestSequenceNumber: 0,
                    jitter: 0, lastSenderReport: lsr, delaySinceLastSenderReport: dlsr)
}

@Test func roundTripTimeIsArrivalMinusLSRMinusDLSR() throws {
    var generator = SenderReportGenerator(ssrc: 0x1111, clockRate: 90_000)
    #expect(generator.roundTripTimeMicroseconds == nil)
    // SR sent at NTP 3000.25 s (compact 0x0BB8_4000); RR arrives at 3000.75 s after the
    // subscriber held it 0.25 s (DLSR 0x4000): RTT = 0.25 s.
    let sent = NTPTimestamp(seconds: 3000, fraction: 0x4000_0000)
    let arrival = NTPTimestamp(seconds: 3000, fraction: 0xC000_0000)
    let rtt = generator.receivedReportBlock(block(ssrc: 0x1111, lsr: sent.compact, dlsr: 0x4000), arrival: arrival)
    #expect(rtt == 250_000)
    #expect(generator.roundTripTimeMicroseconds == 250_000)
}

@Test func reportBlocksWithoutLSRAboutOtherStreamsOrNegativeRTTAreIgnored() {
    var generator = SenderReportGenerator(ssrc: 0x1111, clockRate: 90_000)
    let arrival = NTPTimestamp(seconds: 3000, fraction: 0xC000_0000)
    #expect(generator.receivedReportBlock(block(ssrc: 0x1111, lsr: 0, dlsr: 0), arrival: arrival) == nil)
    #expect(generator.receivedReportBlock(block(ssrc: 0x2222, lsr: arrival.compact &- 10, dlsr: 0), arrival: arrival) == nil)
    #expect(generator.receivedReportBlock(block(ssrc: 0x1111, lsr: arrival.compact, dlsr: 0x1_0000), arrival: arrival) == nil)
    #expect(generator.roundTripTimeMicroseconds == nil)
}
