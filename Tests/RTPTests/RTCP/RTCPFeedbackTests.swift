import RTP
import Testing

@Suite struct RTCPFeedbackTests {
    let sources = RTCPFeedbackSources(senderSSRC: 0x0102_0304, mediaSSRC: 0x0506_0708)

    func lost(in bytes: [UInt8]) throws -> (pairs: [RTCPNACKPair], lost: [UInt16]) {
        try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let nack = try RTCPGenericNACK(parsing: header, in: buffer)
            return (Array(nack.pairs(in: buffer)), Array(nack.lostSequenceNumbers(in: buffer)))
        }
    }

    @Test func nackPacksAcrossSequenceNumberWrap() throws {
        let input: [UInt16] = [65534, 65535, 0, 1, 20]
        let bytes = try RTCPGenericNACK.build(sources: sources, lostSequenceNumbers: input)
        #expect(bytes == rtcpHex("81 cd 00 04 01 02 03 04 05 06 07 08 ff fe 00 07 00 14 00 00"))
        let parsed = try lost(in: bytes)
        #expect(parsed.pairs == [RTCPNACKPair(packetID: 65534, bitmaskOfLostPackets: 0x0007), RTCPNACKPair(packetID: 20, bitmaskOfLostPackets: 0)])
        #expect(parsed.lost == input)
    }

    @Test func nackSplitsMoreThanSeventeenLostInARow() throws {
        let wrapped = (0..<40).map { UInt16(65530) &+ UInt16($0) }
        let bytes = try RTCPGenericNACK.build(sources: sources, lostSequenceNumbers: wrapped)
        let parsed = try lost(in: bytes)
        #expect(parsed.pairs == [
            RTCPNACKPair(packetID: 65530, bitmaskOfLostPackets: 0xFFFF),
            RTCPNACKPair(packetID: 11, bitmaskOfLostPackets: 0xFFFF),
            RTCPNACKPair(packetID: 28, bitmaskOfLostPackets: 0x001F),
        ])
        #expect(parsed.lost == wrapped)
    }

    @Test(arguments: [17, 18, 34, 35])
    func nackRunLengthsAroundPairBoundaries(count: Int) throws {
        let input = (0..<count).map { UInt16($0 + 100) }
        let parsed = try lost(in: try RTCPGenericNACK.build(sources: sources, lostSequenceNumbers: input))
        #expect(parsed.pairs.count == (count + 16) / 17)
        #expect(parsed.lost == input)
    }

    @Test func nackSortsAndDeduplicatesUnorderedInput() throws {
        let parsed = try lost(in: try RTCPGenericNACK.build(sources: sources, lostSequenceNumbers: [5, 3, 65535, 3, 4, 30]))
        #expect(parsed.lost == [65535, 3, 4, 5, 30])
        #expect(parsed.pairs.count == 2)
    }

    @Test func nackWithoutFCIThrows() {
        let bytes = rtcpHex("81 cd 00 02 01 02 03 04 05 06 07 08")
        #expect(throws: RTCPError.packetTooShort(packetType: 205, needed: 12, available: 8)) {
            try lost(in: bytes)
        }
    }

    @Test func pictureLossIndicationRoundTrips() throws {
        let bytes = try RTCPPictureLossIndication.build(sources: sources)
        #expect(bytes == rtcpHex("81 ce 00 02 01 02 03 04 05 06 07 08"))
        let parsed = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            try RTCPPictureLossIndication(parsing: header, in: buffer)
        }
        #expect(parsed.sources == sources)
    }

    @Test func fullIntraRequestRoundTrips() throws {
        let entries = [RTCPFullIntraRequestEntry(ssrc: 0xAABB_CCDD, sequenceNumber: 7), RTCPFullIntraRequestEntry(ssrc: 2, sequenceNumber: 255)]
        let bytes = try RTCPFullIntraRequest.build(senderSSRC: 0x0102_0304, entries: entries)
        #expect(bytes == rtcpHex("84 ce 00 06 01 02 03 04 00 00 00 00 aa bb cc dd 07 00 00 00 00 00 00 02 ff 00 00 00"))
        let parsed = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let fir = try RTCPFullIntraRequest(parsing: header, in: buffer)
            return try (0..<fir.entryCount).map { index throws(RTCPError) in try fir.entry(at: index, in: buffer) }
        }
        #expect(parsed == entries)
    }

    @Test func rembForOnePointFiveMegabits() throws {
        let bytes = try RTCPReceiverEstimatedMaximumBitrate.build(senderSSRC: 0x0102_0304, bitrate: 1_500_000, feedbackSSRCs: [0x1111_2222, 0x3333_4444])
        // exponent 3, mantissa 187500 (0x2DC6C): 187500 << 3 == 1 500 000 exactly.
        #expect(bytes == rtcpHex("8f ce 00 06 01 02 03 04 00 00 00 00 52 45 4d 42 02 0e dc 6c 11 11 22 22 33 33 44 44"))
        let remb = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            try RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: buffer)
        }
        #expect(remb.bitrate == 1_500_000)
        #expect(remb.exponent == 3)
        #expect(remb.feedbackSSRCs.count == 2)
    }

    @Test(arguments: [
        (0, 0), (0x3_FFFF, 0), (0x4_0000, 1), (10_000_000_000_000, 26), (UInt64.max, 46),
    ] as [(UInt64, UInt8)])
    func rembChoosesSmallestExponentThatFits(bitrate: UInt64, exponent: UInt8) throws {
        let bytes = try RTCPReceiverEstimatedMaximumBitrate.build(senderSSRC: 1, bitrate: bitrate, feedbackSSRCs: [2])
        let remb = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            try RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: buffer)
        }
        #expect(remb.exponent == exponent)
        #expect(remb.mantissa <= 0x3_FFFF)
        // Rounded down by less than one step of the exponent.
        #expect(remb.bitrate <= bitrate)
        #expect(bitrate - remb.bitrate < UInt64(1) << UInt64(exponent))
    }

    @Test func rembWithHugeExponentSaturates() throws {
        // exponent 63, mantissa 0x3FFFF: far beyond 64 bits.
        let bytes = rtcpHex("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 42 00 ff ff ff")
        let remb = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            try RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: buffer)
        }
        #expect(remb.exponent == 63)
        #expect(remb.bitrate == UInt64.max)
    }

    @Test func rembWithoutIdentifierThrows() {
        let bytes = rtcpHex("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 43 00 0e dc 6c")
        #expect(throws: RTCPError.missingREMBIdentifier) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: buffer) }
        }
    }

    @Test func rembClaimingMoreSSRCsThanPresentThrows() {
        let bytes = rtcpHex("8f ce 00 05 00 00 00 01 00 00 00 00 52 45 4d 42 02 0e dc 6c 00 00 00 09")
        #expect(throws: RTCPError.truncated(needed: 8, available: 4)) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: buffer) }
        }
    }
}
