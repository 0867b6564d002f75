import RTP
import Testing

@Suite struct RTCPPacketDispatchTests {
    static func dispatch(_ bytes: [UInt8]) throws -> [RTCPPacket] {
        let headers = rtcpHeaders(bytes)
        #expect(headers.error == nil)
        return try bytes.withUnsafeBytes { buffer in
            try headers.headers.map { header throws(RTCPError) in try RTCPPacket(parsing: header, in: buffer) }
        }
    }

    @Test func packetDumpDispatchesByTypeAndFormat() throws {
        let packets = try Self.dispatch(RTCPTestVectors.packetDump)
        try #require(packets.count == 5)
        guard case .receiverReport = packets[0], case .sourceDescription = packets[1], case .goodbye = packets[2],
              case .pictureLossIndication = packets[3], case .other(let header) = packets[4] else {
            Issue.record("unexpected dispatch \(packets)")
            return
        }
        #expect(header.packetType == .transportLayerFeedback)
        #expect(header.countOrFormat == 5)
    }

    @Test func applicationLayerFeedbackOtherThanREMBIsOther() throws {
        var bytes = RTCPTestVectors.receiverReportAndREMB
        bytes[32 + 15] = 0x58  // "REMX"
        let packets = try Self.dispatch(bytes)
        guard case .other(let header) = packets.last else {
            Issue.record("expected .other, got \(packets)")
            return
        }
        #expect(header.countOrFormat == 15)
        guard case .receiverEstimatedMaximumBitrate(let remb) = try Self.dispatch(RTCPTestVectors.receiverReportAndREMB).last else {
            Issue.record("expected REMB")
            return
        }
        #expect(remb.bitrate == 2_385_712)
    }

    @Test func builtFeedbackDispatches() throws {
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 1)
        var bytes = builder.build(arrivals: [RTCPTransportFeedbackArrival(sequenceNumber: 1, arrivalTimeMicroseconds: 1_000)], feedbackPacketCount: 0)[0]
        bytes += try RTCPGenericNACK.build(sources: RTCPFeedbackSources(senderSSRC: 1, mediaSSRC: 2), lostSequenceNumbers: [9])
        bytes += try RTCPFullIntraRequest.build(senderSSRC: 1, entries: [RTCPFullIntraRequestEntry(ssrc: 2, sequenceNumber: 1)])
        bytes += try RTCPExtendedReport.build(senderSSRC: 1, blocks: [.receiverReferenceTime(ntpTimestamp: 5)])
        let packets = try Self.dispatch(bytes)
        try #require(packets.count == 4)
        guard case .transportFeedback(let feedback) = packets[0], case .genericNACK = packets[1],
              case .fullIntraRequest = packets[2], case .extendedReport = packets[3] else {
            Issue.record("unexpected dispatch \(packets)")
            return
        }
        #expect(feedback.packets.map(\.arrivalTimeMicroseconds) == [1_000])
    }
}
