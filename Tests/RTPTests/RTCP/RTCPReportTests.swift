import RTP
import Testing

@Suite struct RTCPReportTests {
    static func block(_ index: Int) -> RTCPReportBlock {
        RTCPReportBlock(
            ssrc: 0x1000 + UInt32(index), fractionLost: UInt8(index * 7 % 256),
            cumulativeLost: Int32(index) * 1000 - 5000, extendedHighestSequenceNumber: 0x0001_0000 + UInt32(index),
            jitter: UInt32(index) * 3, lastSenderReport: 0xAABB_0000 | UInt32(index), delaySinceLastSenderReport: 65536 * UInt32(index))
    }

    @Test(arguments: [0, 1, 2, 31])
    func senderReportRoundTrips(blockCount: Int) throws {
        let blocks = (0..<blockCount).map(Self.block)
        let info = RTCPSenderInfo(ntpTimestamp: 0xE91F_3A5C_1234_5678, rtpTimestamp: 0xFFFF_FFF0, packetCount: 77, octetCount: 123_456)
        let bytes = try RTCPSenderReport.build(senderSSRC: 0xCAFE, senderInfo: info, reportBlocks: blocks)
        #expect(bytes.count == 28 + 24 * blockCount)
        let (report, parsed) = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let report = try RTCPSenderReport(parsing: header, in: buffer)
            return (report, Array(report.reportBlocks.blocks(in: buffer)))
        }
        #expect(report.senderSSRC == 0xCAFE)
        #expect(report.senderInfo == info)
        #expect(parsed == blocks)
        #expect(report.profileExtensionRange.isEmpty)
    }

    @Test(arguments: [0, 1, 5, 31])
    func receiverReportRoundTrips(blockCount: Int) throws {
        let blocks = (0..<blockCount).map(Self.block)
        let bytes = try RTCPReceiverReport.build(senderSSRC: 9, reportBlocks: blocks)
        let parsed = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let report = try RTCPReceiverReport(parsing: header, in: buffer)
            var indexed: [RTCPReportBlock] = []
            for index in 0..<report.reportBlocks.count { indexed.append(try report.reportBlocks.block(at: index, in: buffer)) }
            return indexed
        }
        #expect(parsed == blocks)
    }

    @Test(arguments: [(Int32(-1), Int32(-1)), (-8_388_608, -8_388_608), (8_388_607, 8_388_607),
                      (9_000_000, 8_388_607), (-9_000_000, -8_388_608)] as [(Int32, Int32)])
    func cumulativeLostIsSigned24Bit(written: Int32, expected: Int32) throws {
        var block = Self.block(1)
        block.cumulativeLost = written
        let bytes = try RTCPReceiverReport.build(senderSSRC: 1, reportBlocks: [block])
        let parsed = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            try RTCPReceiverReport(parsing: header, in: buffer).reportBlocks.block(at: 0, in: buffer)
        }
        #expect(parsed.cumulativeLost == expected)
        #expect(parsed.fractionLost == block.fractionLost)
    }

    @Test func negativeCumulativeLostWireBytes() throws {
        var block = Self.block(0)
        block.fractionLost = 0x40
        block.cumulativeLost = -2
        let bytes = try RTCPReceiverReport.build(senderSSRC: 1, reportBlocks: [block])
        #expect(Array(bytes[12..<16]) == [0x40, 0xFF, 0xFF, 0xFE])
    }

    @Test func thirtyTwoReportBlocksAreRefused() {
        #expect(throws: RTCPError.tooManyItems(count: 32, maximum: 31)) {
            try RTCPReceiverReport.build(senderSSRC: 1, reportBlocks: (0..<32).map(Self.block))
        }
    }

    @Test func buildIntoTooSmallBufferThrows() {
        var storage = [UInt8](repeating: 0, count: 20)
        storage.withUnsafeMutableBytes { buffer -> Void in
            #expect(throws: RTCPError.bufferTooSmall(needed: 28, available: 20)) {
                try RTCPSenderReport.build(
                    senderSSRC: 1, senderInfo: RTCPSenderInfo(ntpTimestamp: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0),
                    reportBlocks: [], into: buffer)
            }
        }
    }

    @Test func reportCountLargerThanPacketThrows() {
        // RR claiming 2 report blocks but sized for one.
        var bytes = RTCPTestVectors.packetDump[0..<32].map { $0 }
        bytes[0] = 0x82
        #expect(throws: RTCPError.packetTooShort(packetType: 201, needed: 52, available: 28)) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPReceiverReport(parsing: header, in: buffer) }
        }
    }

    @Test func typedParserRejectsOtherPacketType() {
        #expect(throws: RTCPError.unexpectedPacketType(expected: 200, found: 201)) {
            try rtcpParseFirst(RTCPTestVectors.packetDump) { header, buffer throws(RTCPError) in
                try RTCPSenderReport(parsing: header, in: buffer)
            }
        }
    }

    @Test(arguments: 0...9)
    func sourceDescriptionRoundTripsEveryPaddingLength(cnameLength: Int) throws {
        let chunks = [
            RTCPCNAMEChunk(source: 0x1111, cname: String(repeating: "x", count: cnameLength)),
            RTCPCNAMEChunk(source: 0x2222, cname: "user@example.org"),
        ]
        let bytes = try RTCPSourceDescription.build(chunks: chunks)
        #expect(bytes.count % 4 == 0)
        #expect(rtcpHeaders(bytes).headers.count == 1)
        let parsed = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let description = try RTCPSourceDescription(parsing: header, in: buffer)
            return description.chunks(in: buffer).map {
                RTCPCNAMEChunk(source: $0.source, cname: rtcpText(bytes, $0.cname(in: buffer)) ?? "<none>")
            }
        }
        #expect(parsed == chunks)
    }

    @Test func sourceDescriptionItemsAreAllYielded() throws {
        // One chunk: CNAME "ab", NOTE "hi", null, padding to 16 bytes of chunk.
        let bytes = rtcpHex("81 ca 00 04 00 00 00 05 01 02 61 62 07 02 68 69 00 00 00 00")
        let items = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let description = try RTCPSourceDescription(parsing: header, in: buffer)
            return description.chunks(in: buffer).flatMap { Array($0.items(in: buffer)) }
        }
        #expect(items.map(\.type) == [.cname, .note])
        #expect(items.map { rtcpText(bytes, $0.valueRange) } == ["ab", "hi"])
    }

    @Test func sourceDescriptionWithoutTerminatorThrows() {
        // Item fills the chunk exactly, no null octet left.
        let bytes = rtcpHex("81 ca 00 02 00 00 00 05 01 02 61 62")
        #expect(throws: RTCPError.self) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPSourceDescription(parsing: header, in: buffer) }
        }
    }

    @Test func sourceDescriptionRefusesLongCNAME() {
        #expect(throws: RTCPError.textTooLong(length: 256, maximum: 255)) {
            try RTCPSourceDescription.build(chunks: [RTCPCNAMEChunk(source: 1, cname: String(repeating: "a", count: 256))])
        }
    }

    @Test(arguments: [nil, "", "a", "bye", "camera unplugged", String(repeating: "z", count: 255)])
    func goodbyeRoundTrips(reason: String?) throws {
        let bytes = try RTCPGoodbye.build(sources: [1, 0xFFFF_FFFF, 3], reason: reason)
        #expect(bytes.count % 4 == 0)
        let (sources, text) = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let goodbye = try RTCPGoodbye(parsing: header, in: buffer)
            return (Array(goodbye.sources.ssrcs(in: buffer)), goodbye.reasonRange)
        }
        #expect(sources == [1, 0xFFFF_FFFF, 3])
        #expect(rtcpText(bytes, text) == reason)
    }

    @Test func goodbyeReasonLongerThanPacketThrows() {
        let bytes = rtcpHex("81 cb 00 02 00 00 00 01 09 61 62 63")
        #expect(throws: RTCPError.truncated(needed: 9, available: 3)) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPGoodbye(parsing: header, in: buffer) }
        }
    }
}
