import CongestionControl
import RTP
import Testing

/// Feedback turned back into per-packet send and arrival times: each packet once, whatever the
/// feedback repeats, reorders or never knew.
struct TransportWideSendHistoryTests {
    @Test func numbersAreConsecutiveAndFeedbackMatchesAcrossTheWrap() throws {
        var history = TransportWideSendHistory()
        var numbers: [UInt16] = []
        for index in 0..<65_540 { numbers.append(history.packetSent(size: 100 + index % 7, at: Int64(index) * 10)) }
        #expect(numbers[65_535] == 65_535 && numbers[65_536] == 0 && numbers[65_539] == 3)
        // The last six packets, across the wrap.
        var results: [TransportPacketResult] = []
        let reported = (65_534..<65_540).map { (UInt16(truncatingIfNeeded: $0), Optional(Int64($0) * 1_000)) }
        for packet in try feedback(reported) { history.results(of: packet, into: &results) }
        #expect(results.map(\.sequenceNumber) == Array(65_534..<65_540).map(Int64.init))
        #expect(results.map(\.sendMicroseconds) == Array(65_534..<65_540).map { Int64($0) * 10 })
        #expect(results.map(\.size) == Array(65_534..<65_540).map { 100 + $0 % 7 })
        #expect(results.allSatisfy { $0.isReceived })
    }

    @Test func repeatedReportsCountOnceAndALateArrivalTurnsALossIntoAReceipt() throws {
        var history = TransportWideSendHistory()
        for index in 0..<5 { _ = history.packetSent(size: 1_000, at: Int64(index)) }
        var results: [TransportPacketResult] = []
        // 2 is missing.
        for packet in try feedback([(0, 0), (1, 1_000), (2, nil), (3, 3_000)]) { history.results(of: packet, into: &results) }
        #expect(results.map(\.isReceived) == [true, true, false, true])
        results.removeAll()
        // The receiver reports 2 again (still missing) and 3 again: nothing new.
        for packet in try feedback([(2, nil), (3, 3_000)]) { history.results(of: packet, into: &results) }
        #expect(results.isEmpty)
        // 2 arrived late after all: reported received once.
        for packet in try feedback([(2, 4_000), (3, 3_000), (4, 5_000)]) { history.results(of: packet, into: &results) }
        #expect(results.map(\.sequenceNumber) == [2, 4])
        #expect(results.allSatisfy { $0.isReceived })
    }

    @Test func feedbackAboutNumbersNeverSentOrForgottenIsCountedAndIgnored() throws {
        var history = TransportWideSendHistory(capacity: 256)
        var results: [TransportPacketResult] = []
        // Before anything was sent.
        for packet in try feedback([(7, 0)]) { history.results(of: packet, into: &results) }
        #expect(results.isEmpty && history.unknownReports == 1)
        for index in 0..<300 { _ = history.packetSent(size: 500, at: Int64(index)) }
        // 10 fell out of the 256-packet ring; 400 was never sent.
        for packet in try feedback([(10, 0)]) + feedback([(400, 0)]) { history.results(of: packet, into: &results) }
        #expect(results.isEmpty && history.unknownReports == 3)
        for packet in try feedback([(299, 0)]) { history.results(of: packet, into: &results) }
        #expect(results.map(\.sequenceNumber) == [299])
    }

    @Test func feedbackArrivingOutOfOrderIsTakenAsItComes() throws {
        var history = TransportWideSendHistory()
        for index in 0..<6 { _ = history.packetSent(size: 800, at: Int64(index) * 1_000) }
        var results: [TransportPacketResult] = []
        for packet in try feedback([(3, 30_000), (4, 31_000), (5, 32_000)], count: 1) { history.results(of: packet, into: &results) }
        for packet in try feedback([(0, 10_000), (1, 11_000), (2, 12_000)], count: 0) { history.results(of: packet, into: &results) }
        #expect(results.map(\.sequenceNumber).sorted() == [0, 1, 2, 3, 4, 5])
        #expect(results.first { $0.sequenceNumber == 1 }?.arrivalMicroseconds.map { $0 % 64_000 } == 11_000)
    }
}
