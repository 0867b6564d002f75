import RTP
import SFU
import Testing

private func feed(_ statistics: inout ReceiveStatistics, _ sequenceNumbers: [UInt16]) {
    for sequenceNumber in sequenceNumbers {
        statistics.received(sequenceNumber: sequenceNumber, rtpTimestamp: 0, arrivalMicroseconds: 0)
    }
}

@Test func lossAcrossTheSequenceNumberWrapMatchesAHandComputedReport() throws {
    var statistics = ReceiveStatistics(ssrc: 0xABCD, clockRate: 90_000)
    // 65532, 1 and 4 are lost; the 16-bit number wraps after 65535.
    feed(&statistics, [65530, 65531, 65533, 65534, 65535, 0, 2, 3, 5])
    let firstReport = statistics.makeReportBlock(nowMicroseconds: 0)
    let first = try #require(firstReport)
    // Extended highest = 1 cycle (65536) + 5 = 65541; expected = 65541 - 65530 + 1 = 12.
    #expect(first.ssrc == 0xABCD)
    #expect(first.extendedHighestSequenceNumber == 65541)
    #expect(first.cumulativeLost == 3)
    // RFC 3550 §A.3: fraction = 256 × lost / expected = 256 × 3 / 12 = 64.
    #expect(first.fractionLost == 64)
    #expect(statistics.packetsExpected == 12)
    #expect(statistics.packetsReceived == 9)

    // Next interval: 6 and 9 arrive, 7 and 8 are lost: 256 × 2 / 4 = 128.
    feed(&statistics, [6, 9])
    let secondReport = statistics.makeReportBlock(nowMicroseconds: 0)
    let second = try #require(secondReport)
    #expect(second.extendedHighestSequenceNumber == 65545)
    #expect(second.fractionLost == 128)
    #expect(second.cumulativeLost == 5)

    // Then 7 arrives late and 9 twice more: nothing new expected, no interval loss; the
    // extra copies count as received (RFC 3550 §6.4.1 lets cumulative loss shrink).
    feed(&statistics, [7, 9, 9])
    let thirdReport = statistics.makeReportBlock(nowMicroseconds: 0)
    let third = try #require(thirdReport)
    #expect(third.fractionLost == 0)
    #expect(third.cumulativeLost == 2)
    #expect(third.extendedHighestSequenceNumber == 65545)
}

@Test func duplicatesMakeCumulativeLossNegative() throws {
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 8_000)
    feed(&statistics, [10, 10, 10, 10])
    let blockReport = statistics.makeReportBlock(nowMicroseconds: 0)
    let block = try #require(blockReport)
    #expect(block.cumulativeLost == -3)
    #expect(block.fractionLost == 0)
}

@Test func cumulativeLossIsClampedTo24BitsSigned() throws {
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 8_000)
    var sequenceNumber: UInt16 = 0
    // Steps of 2999 (below MAX_DROPOUT) lose 2998 packets each: 3000 × 2998 > 2^23 - 1.
    for _ in 0..<3000 {
        statistics.received(sequenceNumber: sequenceNumber, rtpTimestamp: 0, arrivalMicroseconds: 0)
        sequenceNumber &+= 2999
    }
    #expect(statistics.cumulativeLost == 2999 * 2998)
    let blockReport = statistics.makeReportBlock(nowMicroseconds: 0)
    let block = try #require(blockReport)
    #expect(block.cumulativeLost == 0x7F_FFFF)
    // 2998 of every 2999 expected were lost: 255.9 → 255.
    #expect(block.fractionLost == 255)
    // Round trip through the wire format keeps the clamped value.
    let bytes = try RTCPReceiverReport.build(senderSSRC: 2, reportBlocks: [block])
    let parsed = try bytes.withUnsafeBytes { raw in
        let header = try RTCPHeader.parse(raw)
        let report = try RTCPReceiverReport(parsing: header, in: raw)
        return try report.reportBlocks.block(at: 0, in: raw)
    }
    #expect(parsed == block)
}

@Test func aLargeJumpIsAcceptedAsARestartOnlyWhenTheNextPacketConfirmsIt() throws {
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 90_000)
    feed(&statistics, [100, 101, 102])
    do {
        let counted = statistics.received(sequenceNumber: 40_000, rtpTimestamp: 0, arrivalMicroseconds: 0)
        #expect(!counted)
    }
    #expect(statistics.extendedHighestSequenceNumber == 102)
    do {
        let counted = statistics.received(sequenceNumber: 103, rtpTimestamp: 0, arrivalMicroseconds: 0)
        #expect(counted)
    }
    // A lone stray packet did not restart anything.
    #expect(statistics.packetsExpected == 4)
    do {
        let counted = statistics.received(sequenceNumber: 40_000, rtpTimestamp: 0, arrivalMicroseconds: 0)
        #expect(!counted)
    }
    do {
        let counted = statistics.received(sequenceNumber: 40_001, rtpTimestamp: 0, arrivalMicroseconds: 0)
        #expect(counted)
    }
    #expect(statistics.extendedHighestSequenceNumber == 40_001)
    #expect(statistics.packetsExpected == 1)
    #expect(statistics.packetsReceived == 1)
}

@Test func probationWithMinimumSequentialTwoWaitsForTheSecondPacket() throws {
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 90_000, minimumSequential: 2)
    do {
        let counted = statistics.received(sequenceNumber: 500, rtpTimestamp: 0, arrivalMicroseconds: 0)
        #expect(!counted)
    }
    let noReport = statistics.makeReportBlock(nowMicroseconds: 0)
    #expect(noReport == nil)
    do {
        let counted = statistics.received(sequenceNumber: 600, rtpTimestamp: 0, arrivalMicroseconds: 0)
        #expect(!counted)
    }
    do {
        let counted = statistics.received(sequenceNumber: 601, rtpTimestamp: 0, arrivalMicroseconds: 0)
        #expect(counted)
    }
    let blockReport = statistics.makeReportBlock(nowMicroseconds: 0)
    let block = try #require(blockReport)
    #expect(block.extendedHighestSequenceNumber == 601)
    #expect(block.cumulativeLost == 0)
}

@Test func noReportBeforeTheFirstPacket() {
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 90_000)
    let noReport = statistics.makeReportBlock(nowMicroseconds: 0)
    #expect(noReport == nil)
}

@Test func jitterFollowsRFC3550A8ForALatePacket() throws {
    // 8 kHz: 20 ms frames are 160 ticks; 1 tick = 125 µs.
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 8_000)
    statistics.received(sequenceNumber: 1, rtpTimestamp: 1000, arrivalMicroseconds: 5_000_000)
    statistics.received(sequenceNumber: 2, rtpTimestamp: 1160, arrivalMicroseconds: 5_020_000)
    #expect(statistics.jitter == 0)
    // 5 ms late: D = 40 ticks; J = 40/16 = 2.5 → 2.
    statistics.received(sequenceNumber: 3, rtpTimestamp: 1320, arrivalMicroseconds: 5_045_000)
    #expect(statistics.jitter == 2)
    // Back on time: D = 40 again; 16J = 40 + 40 − 3 = 77 → J = 4.
    statistics.received(sequenceNumber: 4, rtpTimestamp: 1480, arrivalMicroseconds: 5_060_000)
    #expect(statistics.jitter == 4)
    // A retransmission arriving very late does not move the jitter.
    statistics.received(sequenceNumber: 5, rtpTimestamp: 1640, arrivalMicroseconds: 5_900_000, isRetransmission: true)
    #expect(statistics.jitter == 4)
    let blockReport = statistics.makeReportBlock(nowMicroseconds: 6_000_000)
    let block = try #require(blockReport)
    #expect(block.jitter == 4)
}

@Test func jitterIsZeroForPerfectlyPacedVideo() {
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 90_000)
    for index in 0..<100 {
        statistics.received(
            sequenceNumber: UInt16(index), rtpTimestamp: UInt32(index) * 3000 &+ 0xFFFF_0000,
            arrivalMicroseconds: 1_000_000_000_000 + Int64(index) * 33_333)
    }
    // 33 333 µs is 2999.97 ticks: rounding leaves at most a tick of noise.
    #expect(statistics.jitter <= 1)
}

@Test func lastSenderReportAndDelayAreEchoed() throws {
    var statistics = ReceiveStatistics(ssrc: 1, clockRate: 90_000)
    feed(&statistics, [1])
    let beforeReport = statistics.makeReportBlock(nowMicroseconds: 0)
    let before = try #require(beforeReport)
    #expect(before.lastSenderReport == 0)
    #expect(before.delaySinceLastSenderReport == 0)
    statistics.receivedSenderReport(ntpTimestamp: 0xE000_1234_5678_9ABC, arrivalMicroseconds: 1_000_000)
    let afterReport = statistics.makeReportBlock(nowMicroseconds: 1_500_000)
    let after = try #require(afterReport)
    // LSR = middle 32 bits of the NTP timestamp; DLSR = 0.5 s in 1/65536 s.
    #expect(after.lastSenderReport == 0x1234_5678)
    #expect(after.delaySinceLastSenderReport == 32_768)
}
