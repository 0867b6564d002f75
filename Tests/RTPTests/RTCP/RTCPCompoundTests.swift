import RTP
import Testing

@Suite struct RTCPCompoundTests {
    @Test func packetDumpYieldsEveryPacketWithItsType() throws {
        let walked = rtcpHeaders(RTCPTestVectors.packetDump)
        #expect(walked.error == nil)
        #expect(walked.headers.map(\.packetType) == [
            .receiverReport, .sourceDescription, .goodbye, .payloadSpecificFeedback, .transportLayerFeedback,
        ])
        #expect(walked.headers.map(\.range) == [0..<32, 32..<84, 84..<92, 92..<104, 104..<116])
        #expect(walked.headers.map(\.countOrFormat) == [1, 1, 1, 1, 5])
    }

    @Test func packetDumpReceiverReportFields() throws {
        let bytes = RTCPTestVectors.packetDump
        let (report, block) = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            let report = try RTCPReceiverReport(parsing: header, in: buffer)
            return (report, try report.reportBlocks.block(at: 0, in: buffer))
        }
        #expect(report.senderSSRC == 0x902f_9e2e)
        #expect(report.reportBlocks.count == 1)
        #expect(block == RTCPReportBlock(
            ssrc: 0xbc5e_9a40, fractionLost: 0, cumulativeLost: 0, extendedHighestSequenceNumber: 0x46e1,
            jitter: 273, lastSenderReport: 0x09f3_6432, delaySinceLastSenderReport: 150_137))
    }

    @Test func packetDumpSourceDescriptionGoodbyeAndPLI() throws {
        let bytes = RTCPTestVectors.packetDump
        let headers = rtcpHeaders(bytes).headers
        try #require(headers.count == 5)
        try bytes.withUnsafeBytes { buffer in
            let description = try RTCPSourceDescription(parsing: headers[1], in: buffer)
            let chunks = Array(description.chunks(in: buffer))
            #expect(chunks.count == 1)
            #expect(chunks.first?.source == 0x902f_9e2e)
            #expect(rtcpText(bytes, chunks.first?.cname(in: buffer)) == "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}")

            let goodbye = try RTCPGoodbye(parsing: headers[2], in: buffer)
            #expect(Array(goodbye.sources.ssrcs(in: buffer)) == [0x902f_9e2e])
            #expect(goodbye.reasonRange == nil)

            let pli = try RTCPPictureLossIndication(parsing: headers[3], in: buffer)
            #expect(pli.sources == RTCPFeedbackSources(senderSSRC: 0x902f_9e2e, mediaSSRC: 0x902f_9e2e))

            // RTPFB FMT=5 (rapid resynchronisation) is not a NACK.
            #expect(throws: RTCPError.unexpectedFormat(expected: 1, found: 5)) {
                try RTCPGenericNACK(parsing: headers[4], in: buffer)
            }
        }
    }

    @Test func chromeReceiverReportAndREMB() throws {
        let bytes = RTCPTestVectors.receiverReportAndREMB
        let headers = rtcpHeaders(bytes)
        #expect(headers.error == nil)
        try #require(headers.headers.map(\.packetType) == [.receiverReport, .payloadSpecificFeedback])
        try bytes.withUnsafeBytes { buffer in
            let remb = try RTCPReceiverEstimatedMaximumBitrate(parsing: headers.headers[1], in: buffer)
            #expect(remb.senderSSRC == 0x617a_3743)
            #expect(remb.exponent == 4)
            #expect(remb.mantissa == 0x2_4673)
            #expect(remb.bitrate == 2_385_712)
            #expect(Array(remb.feedbackSSRCs.ssrcs(in: buffer)) == [0x6c76_e855])
        }
    }

    @Test func chromeStyleSenderReportAndSDES() throws {
        let bytes = RTCPTestVectors.senderReportAndSDES
        let headers = rtcpHeaders(bytes)
        #expect(headers.error == nil)
        try #require(headers.headers.map(\.packetType) == [.senderReport, .sourceDescription])
        try bytes.withUnsafeBytes { buffer in
            let report = try RTCPSenderReport(parsing: headers.headers[0], in: buffer)
            #expect(report.senderSSRC == 0x4b3d_2a19)
            #expect(report.senderInfo == RTCPSenderInfo(
                ntpTimestamp: 0xe91f_3a5c_8000_0000, rtpTimestamp: 90_000, packetCount: 1000, octetCount: 100_000))
            #expect(report.senderInfo.compactNTP == 0x3a5c_8000)
            #expect(report.reportBlocks.count == 0)
            let description = try RTCPSourceDescription(parsing: headers.headers[1], in: buffer)
            let chunk = try #require(Array(description.chunks(in: buffer)).first)
            #expect(rtcpText(bytes, chunk.cname(in: buffer)) == "aBcDeFgHiJkLmNoP")
        }
    }

    @Test func unknownPacketTypeIsYieldedAndSkipped() throws {
        var bytes = try RTCPReceiverReport.build(senderSSRC: 1)
        bytes += rtcpHex("80 d2 00 02 de ad be ef 01 02 03 04")  // PT 210, unassigned
        bytes += rtcpHex("80 cc 00 02 00 00 00 01 6e 61 6d 65")  // APP "name", no data
        bytes += try RTCPPictureLossIndication.build(sources: RTCPFeedbackSources(senderSSRC: 1, mediaSSRC: 2))
        let walked = rtcpHeaders(bytes)
        #expect(walked.error == nil)
        #expect(walked.headers.map(\.packetType) == [.receiverReport, .unknown(210), .applicationDefined, .payloadSpecificFeedback])
        let pli = try bytes.withUnsafeBytes { buffer throws(RTCPError) in
            try RTCPPictureLossIndication(parsing: walked.headers[3], in: buffer)
        }
        #expect(pli.sources.mediaSSRC == 2)
    }

    @Test func oversizedLengthStopsIterationButKeepsEarlierPackets() {
        var bytes = RTCPTestVectors.packetDump
        bytes[84 + 3] = 0x09  // BYE now claims 40 bytes, only 32 remain
        let walked = rtcpHeaders(bytes)
        #expect(walked.headers.map(\.packetType) == [.receiverReport, .sourceDescription])
        #expect(walked.error == .truncated(needed: 40, available: 32))
    }

    @Test func wrongVersionStopsIteration() {
        var bytes = RTCPTestVectors.packetDump
        bytes[32] = 0x41
        let walked = rtcpHeaders(bytes)
        #expect(walked.headers.count == 1)
        #expect(walked.error == .unsupportedVersion(1))
    }

    @Test func paddingIsRemovedFromThePayload() throws {
        // BYE with P bit: one SSRC, then 4 bytes of padding (last octet = 4).
        let bytes = rtcpHex("a1 cb 00 02 00 00 00 07 00 00 00 04")
        let goodbye = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in
            try RTCPGoodbye(parsing: header, in: buffer)
        }
        #expect(goodbye.header.hasPadding)
        #expect(goodbye.header.paddingLength == 4)
        #expect(goodbye.header.payloadRange == 4..<8)
        #expect(goodbye.reasonRange == nil)
    }

    @Test(arguments: [UInt8(0), 9, 255])
    func impossiblePaddingCountThrows(count: UInt8) {
        let bytes = rtcpHex("a1 cb 00 02 00 00 00 07 00 00 00") + [count]
        #expect(throws: RTCPError.invalidPadding(paddingLength: Int(count), bodyLength: 8)) {
            try rtcpParseFirst(bytes) { header, _ throws(RTCPError) in header }
        }
    }

    @Test func everyTruncationOfTheDumpStopsCleanly() {
        let bytes = RTCPTestVectors.packetDump
        let boundaries = [0, 32, 84, 92, 104, 116]
        for length in 0...bytes.count {
            let prefix = Array(bytes[0..<length])
            let walked = rtcpHeaders(prefix)
            let complete = boundaries.filter { $0 > 0 && $0 <= length }.count
            #expect(walked.headers.count == complete, "prefix \(length)")
            if boundaries.contains(length) {
                #expect(walked.error == nil, "prefix \(length)")
            } else {
                #expect(walked.error != nil, "prefix \(length)")
            }
            rtcpParseEverything(prefix)
        }
    }

    @Test func randomCorruptionNeverCrashes() throws {
        var random = RTCPTestRandom(state: 0x5EED)
        let feedback = RTCPTransportFeedbackBuilder(senderSSRC: 1, mediaSSRC: 2)
        var builder = feedback
        let arrivals = (0..<40).map { RTCPTransportFeedbackArrival(sequenceNumber: UInt16($0), arrivalTimeMicroseconds: $0 % 3 == 0 ? nil : Int64($0) * 900) }
        let samples: [[UInt8]] = [
            RTCPTestVectors.packetDump,
            RTCPTestVectors.receiverReportAndREMB,
            RTCPTestVectors.senderReportAndSDES,
            builder.build(arrivals: arrivals, feedbackPacketCount: 0).flatMap { $0 },
            try RTCPExtendedReport.build(senderSSRC: 1, blocks: [
                .receiverReferenceTime(ntpTimestamp: 7),
                .delaySinceLastReceiverReport([RTCPDLRRSubBlock(ssrc: 1, lastReceiverReport: 2, delaySinceLastReceiverReport: 3)]),
            ]),
            try RTCPFullIntraRequest.build(senderSSRC: 1, entries: [RTCPFullIntraRequestEntry(ssrc: 2, sequenceNumber: 3)]),
            try RTCPGenericNACK.build(sources: RTCPFeedbackSources(senderSSRC: 1, mediaSSRC: 2), lostSequenceNumbers: [1, 5, 40]),
            try RTCPGoodbye.build(sources: [1, 2], reason: "bye now"),
        ]
        for sample in samples {
            #expect(rtcpHeaders(sample).error == nil)
            // Every shortened length field (packet shrunk in place).
            for words in 0..<(sample.count / 4) {
                var shrunk = sample
                shrunk[2] = UInt8(truncatingIfNeeded: (words - 1) >> 8)
                shrunk[3] = UInt8(truncatingIfNeeded: words - 1)
                rtcpParseEverything(Array(shrunk[0..<Swift.max(4, words * 4)]))
            }
            for _ in 0..<300 {
                var mutated = sample
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0..<mutated.count, using: &random)
                    mutated[index] = UInt8.random(in: 0...255, using: &random)
                }
                rtcpParseEverything(mutated)
            }
        }
    }
}
