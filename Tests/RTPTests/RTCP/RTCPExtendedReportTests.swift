import RTP
import Testing

@Suite struct RTCPExtendedReportTests {
    @Test func receiverReferenceTimeAndDLRRRoundTrip() throws {
        let subBlocks = [
            RTCPDLRRSubBlock(ssrc: 0x1111, lastReceiverReport: 0x2222_3333, delaySinceLastReceiverReport: 0x0001_8000),
            RTCPDLRRSubBlock(ssrc: 0x4444, lastReceiverReport: 5, delaySinceLastReceiverReport: 6),
        ]
        let bytes = try RTCPExtendedReport.build(senderSSRC: 0xABCD, blocks: [
            .receiverReferenceTime(ntpTimestamp: 0xE91F_3A5C_8000_0000),
            .delaySinceLastReceiverReport(subBlocks),
        ])
        #expect(bytes == rtcpHex("""
            80 cf 00 0b 00 00 ab cd
            04 00 00 02 e9 1f 3a 5c 80 00 00 00
            05 00 00 06 00 00 11 11 22 22 33 33 00 01 80 00 00 00 44 44 00 00 00 05 00 00 00 06
            """))
        let (ntp, parsed) = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let report = try RTCPExtendedReport(parsing: header, in: buffer)
            let blocks = Array(report.blocks(in: buffer))
            let rrtr = try RTCPReceiverReferenceTime(parsing: blocks[0], in: buffer)
            let dlrr = try RTCPDelaySinceLastReceiverReport(parsing: blocks[1], in: buffer)
            return (rrtr.ntpTimestamp, try (0..<dlrr.subBlockCount).map { index throws(RTCPError) in try dlrr.subBlock(at: index, in: buffer) })
        }
        #expect(ntp == 0xE91F_3A5C_8000_0000)
        #expect(parsed == subBlocks)
    }

    @Test func unknownBlockTypesAreSkipped() throws {
        // Loss RLE block (BT=1, 2 words) we do not parse, then an RRTR.
        let bytes = rtcpHex("""
            80 cf 00 07 00 00 00 01
            01 00 00 02 00 00 00 09 00 01 00 02
            04 00 00 02 00 00 00 01 00 00 00 02
            """)
        let (types, ntp) = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let report = try RTCPExtendedReport(parsing: header, in: buffer)
            let blocks = Array(report.blocks(in: buffer))
            let rrtr = blocks.first { $0.blockType == RTCPReceiverReferenceTime.blockType }
            return (blocks.map(\.blockType), try rrtr.map { block throws(RTCPError) in try RTCPReceiverReferenceTime(parsing: block, in: buffer).ntpTimestamp })
        }
        #expect(types == [1, 4])
        #expect(ntp == 0x0000_0001_0000_0002)
    }

    @Test func blockLongerThanPacketThrows() {
        let bytes = rtcpHex("80 cf 00 03 00 00 00 01 04 00 00 02 00 00 00 01")
        #expect(throws: RTCPError.truncated(needed: 12, available: 8)) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPExtendedReport(parsing: header, in: buffer) }
        }
    }

    @Test func parsingBlockAsWrongTypeThrows() throws {
        let bytes = try RTCPExtendedReport.build(senderSSRC: 1, blocks: [.receiverReferenceTime(ntpTimestamp: 1)])
        #expect(throws: RTCPError.unexpectedExtendedReportBlockType(expected: 5, found: 4)) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
                let report = try RTCPExtendedReport(parsing: header, in: buffer)
                guard let block = Array(report.blocks(in: buffer)).first else { throw RTCPError.truncated(needed: 4, available: 0) }
                return try RTCPDelaySinceLastReceiverReport(parsing: block, in: buffer)
            }
        }
    }
}
