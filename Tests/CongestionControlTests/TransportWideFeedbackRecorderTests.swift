import RTP
import CongestionControl
import Testing

/// Parses every feedback packet the recorder produced.
private func parse(_ packets: [[UInt8]]) throws -> [RTCPTransportFeedback] {
    try packets.map { bytes in
        try bytes.withUnsafeBytes { raw in try RTCPTransportFeedback(parsing: try RTCPHeader.parse(raw), in: raw) }
    }
}

private func received(_ feedback: RTCPTransportFeedback) -> [UInt16: Int64] {
    var result: [UInt16: Int64] = [:]
    for packet in feedback.packets {
        if let time = packet.arrivalTimeMicroseconds { result[packet.sequenceNumber] = time }
    }
    return result
}

@Test func feedbackReportsArrivalTimesAndLossesAcrossTheWrap() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 0x1, mediaSSRC: 0x2)
    recorder.record(sequenceNumber: 65534, arrivalMicroseconds: 10_000)
    recorder.record(sequenceNumber: 65535, arrivalMicroseconds: 10_500)
    recorder.record(sequenceNumber: 1, arrivalMicroseconds: 11_000) // 0 lost
    recorder.record(sequenceNumber: 2, arrivalMicroseconds: 75_000) // a 64 ms delta needs 2 bytes
    let feedback = try #require(try parse(recorder.poll(nowMicroseconds: 80_000)).first)
    #expect(feedback.sources == RTCPFeedbackSources(senderSSRC: 0x1, mediaSSRC: 0x2))
    #expect(feedback.baseSequenceNumber == 65534)
    #expect(feedback.packetStatusCount == 5)
    #expect(feedback.feedbackPacketCount == 0)
    #expect(feedback.packets.map(\.sequenceNumber) == [65534, 65535, 0, 1, 2])
    #expect(feedback.packets.map(\.isReceived) == [true, true, false, true, true])
    // Deltas between consecutive received packets, as the publisher's estimator sees them.
    let times = feedback.packets.compactMap(\.arrivalTimeMicroseconds)
    #expect(zip(times.dropFirst(), times).map { $0 - $1 } == [500, 500, 64_000])
    #expect(feedback.packets.compactMap(\.receiveDeltaTicks).dropFirst() == [2, 2, 256])
}

@Test func eachPollReportsOnlyWhatIsNewWithAnIncrementingFeedbackCount() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1)
    recorder.record(sequenceNumber: 100, arrivalMicroseconds: 1_000)
    recorder.record(sequenceNumber: 101, arrivalMicroseconds: 2_000)
    let first = try parse(recorder.poll(nowMicroseconds: 50_000))
    #expect(first.map(\.feedbackPacketCount) == [0])
    #expect(recorder.poll(nowMicroseconds: 100_000).isEmpty)
    #expect(!recorder.hasUnreported)
    recorder.record(sequenceNumber: 102, arrivalMicroseconds: 101_000)
    recorder.record(sequenceNumber: 103, arrivalMicroseconds: 102_000)
    let second = try #require(try parse(recorder.poll(nowMicroseconds: 150_000)).first)
    #expect(second.feedbackPacketCount == 1)
    #expect(second.baseSequenceNumber == 102)
    #expect(received(second) == [102: 101_000, 103: 102_000])
    #expect(recorder.nextFeedbackPacketCount == 2)
}

@Test func duplicatesKeepTheFirstArrival() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1)
    recorder.record(sequenceNumber: 7, arrivalMicroseconds: 1_000)
    recorder.record(sequenceNumber: 8, arrivalMicroseconds: 2_000)
    recorder.record(sequenceNumber: 8, arrivalMicroseconds: 9_000)
    let feedback = try #require(try parse(recorder.poll(nowMicroseconds: 10_000)).first)
    #expect(feedback.packetStatusCount == 2)
    #expect(received(feedback) == [7: 1_000, 8: 2_000])
}

@Test func aReorderedPacketIsReportedEvenAfterItsNumberWentOutAsLost() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1)
    recorder.record(sequenceNumber: 10, arrivalMicroseconds: 1_000)
    recorder.record(sequenceNumber: 12, arrivalMicroseconds: 2_000)
    let first = try #require(try parse(recorder.poll(nowMicroseconds: 3_000)).first)
    #expect(first.packets.map(\.isReceived) == [true, false, true])
    recorder.record(sequenceNumber: 11, arrivalMicroseconds: 5_000)
    recorder.record(sequenceNumber: 13, arrivalMicroseconds: 6_000)
    let second = try #require(try parse(recorder.poll(nowMicroseconds: 7_000)).first)
    #expect(second.baseSequenceNumber == 11)
    #expect(received(second) == [11: 5_000, 12: 2_000, 13: 6_000])
}

@Test func aPacketReorderedBeforeTheFirstPollIsIncluded() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1)
    recorder.record(sequenceNumber: 0, arrivalMicroseconds: 2_000)
    recorder.record(sequenceNumber: 65535, arrivalMicroseconds: 3_000)
    let feedback = try #require(try parse(recorder.poll(nowMicroseconds: 5_000)).first)
    #expect(feedback.baseSequenceNumber == 65535)
    #expect(received(feedback) == [65535: 3_000, 0: 2_000])
}

@Test func packetsOlderThanTheAgeLimitAreNotReportedAgain() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1, maximumAgeMicroseconds: 500_000)
    recorder.record(sequenceNumber: 10, arrivalMicroseconds: 0)
    recorder.record(sequenceNumber: 12, arrivalMicroseconds: 1_000)
    _ = recorder.poll(nowMicroseconds: 600_000) // everything is older than 500 ms now
    recorder.record(sequenceNumber: 11, arrivalMicroseconds: 601_000)
    #expect(recorder.poll(nowMicroseconds: 650_000).isEmpty)
}

@Test func memoryIsBoundedByTheRing() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1, capacity: 64)
    #expect(recorder.capacity == 64)
    for sequenceNumber: UInt16 in 0..<200 {
        recorder.record(sequenceNumber: sequenceNumber, arrivalMicroseconds: Int64(sequenceNumber) * 1_000)
    }
    let feedback = try parse(recorder.poll(nowMicroseconds: 200_000))
    let sequenceNumbers = feedback.flatMap { $0.packets.map(\.sequenceNumber) }
    // Only the last 64 are still held.
    #expect(sequenceNumbers == Array(136..<200))
    #expect(feedback.allSatisfy { $0.packets.allSatisfy(\.isReceived) })
}

@Test func aLongWindowSplitsIntoSeveralNumberedPackets() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1, capacity: 4096, maximumPacketSize: 300)
    var time: Int64 = 0
    var expected: [UInt16: Int64] = [:]
    for sequenceNumber: UInt16 in 1000..<1400 {
        time += sequenceNumber % 2 == 0 ? 250 : 70_000 // alternating small and 2-byte deltas
        let rounded = time / 250 * 250
        recorder.record(sequenceNumber: sequenceNumber, arrivalMicroseconds: time)
        expected[sequenceNumber] = rounded
    }
    let packets = recorder.poll(nowMicroseconds: time)
    #expect(packets.count > 1)
    #expect(packets.allSatisfy { $0.count <= 300 })
    let feedback = try parse(packets)
    #expect(feedback.map(\.feedbackPacketCount) == (0..<UInt8(packets.count)).map { $0 })
    #expect(recorder.nextFeedbackPacketCount == UInt8(packets.count))
    var reported: [UInt16: Int64] = [:]
    for packet in feedback { reported.merge(received(packet)) { first, _ in first } }
    #expect(reported == expected)
}

@Test func pollIntoABufferWritesTheSamePackets() throws {
    var recorder = TransportWideFeedbackRecorder(senderSSRC: 1)
    var twin = TransportWideFeedbackRecorder(senderSSRC: 1)
    for sequenceNumber: UInt16 in [5, 6, 9] {
        recorder.record(sequenceNumber: sequenceNumber, arrivalMicroseconds: Int64(sequenceNumber) * 1_000)
        twin.record(sequenceNumber: sequenceNumber, arrivalMicroseconds: Int64(sequenceNumber) * 1_000)
    }
    let packets = recorder.poll(nowMicroseconds: 20_000)
    var buffer = [UInt8](repeating: 0, count: 1500)
    let result = try buffer.withUnsafeMutableBytes { raw in try twin.poll(nowMicroseconds: 20_000, into: raw) }
    #expect(result.packetCount == 1)
    #expect(Array(buffer[..<result.bytesWritten]) == packets.joined().map { $0 })
    // A buffer too small throws and keeps the window for the next poll.
    var third = TransportWideFeedbackRecorder(senderSSRC: 1)
    third.record(sequenceNumber: 5, arrivalMicroseconds: 5_000)
    var tiny = [UInt8](repeating: 0, count: 8)
    #expect(throws: RTCPError.self) {
        _ = try tiny.withUnsafeMutableBytes { raw in try third.poll(nowMicroseconds: 20_000, into: raw) }
    }
    #expect(third.hasUnreported)
    #expect(third.poll(nowMicroseconds: 20_000).count == 1)
}
