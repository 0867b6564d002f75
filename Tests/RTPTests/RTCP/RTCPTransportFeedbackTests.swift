import RTP
import Testing

@Suite struct RTCPTransportFeedbackTests {
    static func parseAll(_ packets: [[UInt8]]) throws -> [RTCPTransportFeedback] {
        try packets.map { packet throws(RTCPError) in
            try rtcpParseFirst(packet) { header, buffer throws(RTCPError) in try RTCPTransportFeedback(parsing: header, in: buffer) }
        }
    }

    /// Builds, parses, and checks every reported packet against the input.
    static func roundTrip(_ arrivals: [RTCPTransportFeedbackArrival], maximumPacketSize: Int = 1200) throws -> [RTCPTransportFeedback] {
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 0xAAAA, mediaSSRC: 0xBBBB, maximumPacketSize: maximumPacketSize)
        let packets = builder.build(arrivals: arrivals, feedbackPacketCount: 250)
        for packet in packets {
            #expect(packet.count % 4 == 0)
            #expect(packet.count <= maximumPacketSize)
            #expect(rtcpHeaders(packet).error == nil)
        }
        let feedbacks = try parseAll(packets)
        for (index, feedback) in feedbacks.enumerated() {
            #expect(feedback.feedbackPacketCount == UInt8(truncatingIfNeeded: 250 + index))
            #expect(feedback.sources == RTCPFeedbackSources(senderSSRC: 0xAAAA, mediaSSRC: 0xBBBB))
            #expect(feedback.packets.count == feedback.packetStatusCount)
        }
        var expected: [UInt16: Int64?] = [:]
        for arrival in arrivals where expected[arrival.sequenceNumber] == nil {
            expected[arrival.sequenceNumber] = .some(arrival.arrivalTimeMicroseconds)
        }
        var reported: [UInt16: Int64?] = [:]
        for result in feedbacks.flatMap(\.packets) {
            #expect(reported[result.sequenceNumber] == nil, "sequence number \(result.sequenceNumber) reported twice")
            reported[result.sequenceNumber] = .some(result.arrivalTimeMicroseconds)
        }
        for (sequenceNumber, time) in expected {
            // Arrival times are quantised down to 250 µs.
            let quantised = time.map { $0 - (($0 % 250) + 250) % 250 }
            #expect(reported[sequenceNumber] == .some(quantised), "sequence number \(sequenceNumber)")
        }
        // Gaps between reported packets are reported as lost.
        for (sequenceNumber, time) in reported where expected[sequenceNumber] == nil {
            #expect(time == nil)
        }
        return feedbacks
    }

    @Test func draftChunkExamplesDecode() throws {
        // Chunks from draft-holmer-rmcat-transport-wide-cc-extensions-01: run length
        // 0|00|0000011011101 (221 not received, §3.1.3) and status vector
        // 1|0|00111110001110 (§3.1.4: 1 lost, 5 received, 3 lost, 3 received, 2 lost).
        let bytes = rtcpHex("""
            8f cd 00 07 00 00 00 01 00 00 00 02
            00 64 00 eb 00 00 01 05
            00 dd 9f 1c
            01 02 03 04 05 06 07 08
            """)
        let feedback = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPTransportFeedback(parsing: header, in: buffer) }
        #expect(feedback.baseSequenceNumber == 100)
        #expect(feedback.packetStatusCount == 235)
        #expect(feedback.referenceTime == 1)
        #expect(feedback.feedbackPacketCount == 5)
        #expect(feedback.packets.count == 235)
        #expect(feedback.packets[0..<222].allSatisfy { !$0.isReceived })
        let received = feedback.packets.filter(\.isReceived)
        #expect(received.map(\.sequenceNumber) == [322, 323, 324, 325, 326, 330, 331, 332])
        #expect(received.map(\.receiveDeltaTicks) == [1, 2, 3, 4, 5, 6, 7, 8])
        // 64 ms reference + cumulative deltas of 250 µs.
        #expect(received.map(\.arrivalTimeMicroseconds) == [64_250, 64_750, 65_500, 66_500, 67_750, 69_250, 71_000, 73_000])
        #expect(feedback.packets.last?.sequenceNumber == 334)
        #expect(feedback.packets.last?.isReceived == false)
    }

    @Test func knownBytesForSmallAndLargeDeltas() throws {
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 1, mediaSSRC: 2)
        let packets = builder.build(arrivals: [
            RTCPTransportFeedbackArrival(sequenceNumber: 10, arrivalTimeMicroseconds: 64_000 + 250),
            RTCPTransportFeedbackArrival(sequenceNumber: 11, arrivalTimeMicroseconds: nil),
            RTCPTransportFeedbackArrival(sequenceNumber: 12, arrivalTimeMicroseconds: 64_000 + 250 - 2_500),
        ], feedbackPacketCount: 3)
        // 2-bit vector [small, lost, large] + deltas 01, ff f6 (-10) + padding with P bit.
        #expect(packets == [rtcpHex("""
            af cd 00 06 00 00 00 01 00 00 00 02 00 0a 00 03 00 00 01 03
            d2 00 01 ff f6 00 00 03
            """)])
    }

    @Test(arguments: [
        "RRRRRRRRRR", "RLRLRLRLRLRLRLRLRL", "LLLLRRRRLLLLRRRRLLLL", "RLLLLLLLLLLLLLLLLLLLLLLLLLR",
        "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRLR", "R", "L", "LR", "RL",
    ])
    func mixedReceivedAndLostRoundTrip(pattern: String) throws {
        var time: Int64 = 5_000_000
        var arrivals: [RTCPTransportFeedbackArrival] = []
        for (index, character) in pattern.enumerated() {
            time += Int64(index % 5) * 1_100 + 30
            arrivals.append(RTCPTransportFeedbackArrival(sequenceNumber: UInt16(65520) &+ UInt16(index), arrivalTimeMicroseconds: character == "R" ? time : nil))
        }
        let feedbacks = try Self.roundTrip(arrivals)
        #expect(feedbacks.count == 1)
        #expect(feedbacks.first?.baseSequenceNumber == 65520)
    }

    @Test func largeNegativeDeltaRoundTrips() throws {
        let feedbacks = try Self.roundTrip([
            RTCPTransportFeedbackArrival(sequenceNumber: 1, arrivalTimeMicroseconds: 10_000_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 2, arrivalTimeMicroseconds: 10_000_000 - 8_000_000),  // -8 s, the far end of 16 bits
            RTCPTransportFeedbackArrival(sequenceNumber: 3, arrivalTimeMicroseconds: 10_000_000 - 8_000_000 + 8_190_000),
        ])
        #expect(feedbacks.count == 1)
        #expect(feedbacks[0].packets.map(\.receiveDeltaTicks) == [64, -32_000, 32_760])  // 10 s is 156 × 64 ms + 16 ms
    }

    @Test func deltaBeyondSixteenBitsStartsANewFeedbackPacket() throws {
        let feedbacks = try Self.roundTrip([
            RTCPTransportFeedbackArrival(sequenceNumber: 100, arrivalTimeMicroseconds: 1_000_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 101, arrivalTimeMicroseconds: 1_000_000 + 9_000_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 102, arrivalTimeMicroseconds: 1_000_000 + 9_001_000),
        ])
        #expect(feedbacks.map(\.baseSequenceNumber) == [100, 101])
        #expect(feedbacks.map(\.packetStatusCount) == [1, 2])
    }

    @Test func thousandLostInARowUseARunLengthChunk() throws {
        var arrivals = [RTCPTransportFeedbackArrival(sequenceNumber: 0, arrivalTimeMicroseconds: 640_000)]
        arrivals += (1...1000).map { RTCPTransportFeedbackArrival(sequenceNumber: UInt16($0), arrivalTimeMicroseconds: nil) }
        arrivals.append(RTCPTransportFeedbackArrival(sequenceNumber: 1001, arrivalTimeMicroseconds: 700_000))
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 1)
        let packets = builder.build(arrivals: arrivals, feedbackPacketCount: 0)
        try #require(packets.count == 1)
        let packet = packets[0]
        // header 20 + 1-bit vector (14) + run chunk + vector/run for the tail + 2 deltas, padded.
        #expect(packet.count <= 32)
        let chunks = stride(from: 20, to: packet.count - 3, by: 2).map { UInt16(packet[$0]) << 8 | UInt16(packet[$0 + 1]) }
        #expect(chunks.contains { $0 & 0xE000 == 0 && $0 & 0x1FFF >= 900 })
        _ = try Self.roundTrip(arrivals)
    }

    static func chunks(of packet: [UInt8]) throws -> [UInt16] {
        let feedback = try rtcpParseFirst(packet) { header, buffer throws(RTCPError) in try RTCPTransportFeedback(parsing: header, in: buffer) }
        var chunks: [UInt16] = []
        var covered = 0
        var offset = 20
        while covered < feedback.packetStatusCount {
            let chunk = UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1])
            chunks.append(chunk)
            covered += chunk & 0x8000 == 0 ? Int(chunk & 0x1FFF) : (chunk & 0x4000 == 0 ? 14 : 7)
            offset += 2
        }
        return chunks
    }

    @Test func chunkKindsFollowTheSymbols() throws {
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 1)
        // 100 received with small deltas: one run-length chunk of symbol 01.
        let steady = (0..<100).map { RTCPTransportFeedbackArrival(sequenceNumber: UInt16($0), arrivalTimeMicroseconds: Int64($0) * 1_000) }
        #expect(try Self.chunks(of: builder.build(arrivals: steady, feedbackPacketCount: 0)[0]) == [0x2064])
        // Alternating received/lost: 1-bit status vectors (14 symbols each).
        let alternating = (0..<28).map { RTCPTransportFeedbackArrival(sequenceNumber: UInt16($0), arrivalTimeMicroseconds: $0 % 2 == 0 ? Int64($0) * 1_000 : nil) }
        #expect(try Self.chunks(of: builder.build(arrivals: alternating, feedbackPacketCount: 0)[0]) == [0xAAAA, 0xAAAA])
        // A large delta among small ones: 2-bit status vector.
        let jumpy = [0, 100_000, 100_250].enumerated().map { RTCPTransportFeedbackArrival(sequenceNumber: UInt16($0.offset), arrivalTimeMicroseconds: Int64($0.element)) }
        #expect(try Self.chunks(of: builder.build(arrivals: jumpy, feedbackPacketCount: 0)[0]) == [0xD900])
    }

    @Test func reorderedArrivalsRoundTrip() throws {
        // Listed in arrival order; 7 overtook 6, and 9 arrived long before 8.
        let feedbacks = try Self.roundTrip([
            RTCPTransportFeedbackArrival(sequenceNumber: 5, arrivalTimeMicroseconds: 2_001_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 7, arrivalTimeMicroseconds: 2_001_250),
            RTCPTransportFeedbackArrival(sequenceNumber: 6, arrivalTimeMicroseconds: 2_001_500),
            RTCPTransportFeedbackArrival(sequenceNumber: 9, arrivalTimeMicroseconds: 2_002_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 8, arrivalTimeMicroseconds: 2_090_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 4, arrivalTimeMicroseconds: 2_095_000),
        ])
        #expect(feedbacks.count == 1)
        #expect(feedbacks[0].baseSequenceNumber == 4)
        #expect(feedbacks[0].packets.map(\.sequenceNumber) == [4, 5, 6, 7, 8, 9])
        #expect(feedbacks[0].packets.map(\.receiveDeltaTicks) == [
            Int32((2_095_000 - 2_048_000) / 250), -376, 2, -1, 355, -352,
        ])
    }

    @Test func duplicatesAndGapsAreHandled() throws {
        let feedbacks = try Self.roundTrip([
            RTCPTransportFeedbackArrival(sequenceNumber: 65535, arrivalTimeMicroseconds: 1_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 65535, arrivalTimeMicroseconds: 9_000),
            RTCPTransportFeedbackArrival(sequenceNumber: 3, arrivalTimeMicroseconds: 2_000),
        ])
        #expect(feedbacks.first?.packets.map(\.isReceived) == [true, false, false, false, true])
    }

    @Test func manyPacketsAreSplitByMaximumSize() throws {
        var time: Int64 = 0
        let arrivals = (0..<3000).map { index -> RTCPTransportFeedbackArrival in
            time += index % 7 == 0 ? 70_000 : 300  // some large deltas
            return RTCPTransportFeedbackArrival(sequenceNumber: UInt16(index), arrivalTimeMicroseconds: index % 11 == 0 ? nil : time)
        }
        let feedbacks = try Self.roundTrip(arrivals, maximumPacketSize: 400)
        #expect(feedbacks.count > 1)
        #expect(feedbacks.map(\.packetStatusCount).reduce(0, +) == 3000)
    }

    @Test func buildIntoBufferMatchesArrayBuild() throws {
        let arrivals = (0..<100).map { RTCPTransportFeedbackArrival(sequenceNumber: UInt16($0), arrivalTimeMicroseconds: $0 == 50 ? 90_000_000 : Int64($0) * 1_000) }
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 1)
        let arrays = builder.build(arrivals: arrivals, feedbackPacketCount: 9)
        var storage = [UInt8](repeating: 0xEE, count: 2000)
        var written = 0
        var packetCount = 0
        try storage.withUnsafeMutableBytes { buffer in
            let result = try builder.build(arrivals: arrivals, feedbackPacketCount: 9, into: buffer)
            written = result.bytesWritten
            packetCount = result.packetCount
        }
        #expect(arrays.count == 3)  // jumps to 90 s and back each need a new packet
        #expect(packetCount == arrays.count)
        #expect(Array(storage[0..<written]) == arrays.flatMap { $0 })
        #expect(rtcpHeaders(Array(storage[0..<written])).headers.count == arrays.count)
        var small = [UInt8](repeating: 0, count: 16)
        #expect(throws: RTCPError.self) {
            try small.withUnsafeMutableBytes { buffer in
                _ = try builder.build(arrivals: arrivals, feedbackPacketCount: 9, into: buffer)
            }
        }
    }

    @Test func reservedSymbolThrows() {
        // Run length chunk with S=11.
        let bytes = rtcpHex("8f cd 00 05 00 00 00 01 00 00 00 02 00 00 00 02 00 00 00 00 60 02 00 00")
        #expect(throws: RTCPError.reservedTransportFeedbackSymbol) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPTransportFeedback(parsing: header, in: buffer) }
        }
    }

    @Test func statusCountBeyondWhatChunksCanCoverThrowsBeforeAllocating() {
        // 65535 statuses promised, one 2-byte chunk and padding present.
        let bytes = rtcpHex("8f cd 00 05 00 00 00 01 00 00 00 02 00 00 ff ff 00 00 00 00 1f ff 00 00")
        #expect(throws: RTCPError.truncated(needed: 18, available: 4)) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPTransportFeedback(parsing: header, in: buffer) }
        }
    }

    @Test func missingReceiveDeltasThrow() {
        // One run-length chunk: 3 received with small delta, but only 2 delta bytes.
        let bytes = rtcpHex("8f cd 00 05 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 00 20 03 01 01")
        #expect(throws: RTCPError.truncated(needed: 1, available: 0)) {
            try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPTransportFeedback(parsing: header, in: buffer) }
        }
    }

    @Test func negativeReferenceTimeIsSigned() throws {
        let bytes = rtcpHex("8f cd 00 05 00 00 00 01 00 00 00 02 00 00 00 01 ff ff fe 00 20 01 04 00")
        let feedback = try rtcpParseFirst(bytes) { header, buffer throws(RTCPError) in try RTCPTransportFeedback(parsing: header, in: buffer) }
        #expect(feedback.referenceTime == -2)
        #expect(feedback.packets.first?.arrivalTimeMicroseconds == -128_000 + 1_000)
    }

    @Test func buildingFeedbackForHundredPacketsIsFast() {
        var time: Int64 = 1_000_000_000
        let arrivals = (0..<100).map { index -> RTCPTransportFeedbackArrival in
            time += Int64(index % 4) * 400 + 100
            return RTCPTransportFeedbackArrival(sequenceNumber: UInt16(1000 + index), arrivalTimeMicroseconds: index % 9 == 4 ? nil : time)
        }
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 1)
        var storage = [UInt8](repeating: 0, count: 1500)
        let iterations = 2_000
        var bytes = 0
        let elapsed = ContinuousClock().measure {
            storage.withUnsafeMutableBytes { buffer in
                for index in 0..<iterations {
                    bytes &+= (try? builder.build(arrivals: arrivals, feedbackPacketCount: UInt8(truncatingIfNeeded: index), into: buffer).bytesWritten) ?? 0
                }
            }
        }
        let perBuild = elapsed / iterations
        print("transport-cc build for 100 packets: \(perBuild) per feedback (\(bytes / iterations) bytes)")
        #expect(bytes / iterations > 20)
        // Generous bound for debug builds on shared cores; release is far below it.
        #expect(perBuild < .microseconds(500))
    }
}
