import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import WebRTC

/// The worker times each read batch until the datagrams it caused are sent.
@Suite struct ProcessingDelayTests {
    @Test(arguments: [
        (Int64(0), 0), (50, 0), (51, 1), (2_000, 6), (2_001, 7), (100_000, 12), (100_001, 13), (-5, 0),
    ])
    func aDelayLandsInTheFirstBucketWhoseBoundHoldsIt(microseconds: Int64, bucket: Int) {
        var histogram = ProcessingDelayHistogram()
        histogram.record(microseconds: microseconds, datagrams: 3)
        #expect(histogram.counts[bucket] == 3 && histogram.count == 3)
        #expect(histogram.sumMicroseconds == UInt64(max(microseconds, 0)) * 3)
    }

    @Test func workersAddUp() {
        var first = ProcessingDelayHistogram(), second = ProcessingDelayHistogram()
        first.record(microseconds: 10, datagrams: 2)
        second.record(microseconds: 10, datagrams: 1)
        second.record(microseconds: 7_000, datagrams: 4)
        first.add(second)
        #expect(first.counts[0] == 3 && first.counts[9] == 4 && first.count == 7)
        #expect(first.sumMicroseconds == 30 + 28_000)
    }

    /// A server transport that answers every RTP packet after `work` of processing.
    final class SlowEchoDelegate: WebRTCTransportDelegate, @unchecked Sendable {
        let work: Duration
        private let lock = NIOLock()
        private var _connected = false
        var connected: Bool { lock.withLock { _connected } }
        init(work: Duration) { self.work = work }

        func transportDidConnect(_ transport: WebRTCTransport) { lock.withLock { _connected = true } }
        func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {
            let until = ContinuousClock.now + work
            while ContinuousClock.now < until {}
            _ = transport.sendRTP(UnsafeRawBufferPointer(packet))
        }
        func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {}
    }

    @Test func aDatagramSentInAnswerCountsTheBatchsProcessingTime() async throws {
        let pair = try await LoopbackPair.make()
        let serverEvents = SlowEchoDelegate(work: .milliseconds(3)), clientEvents = RecordingDelegate()
        let (_, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents)
        #expect(try await eventually { serverEvents.connected && clientEvents.connected })
        let before = await pair.serverWorker.counters.processingDelay
        #expect(before.count > 0, "the handshake's answers (STUN, DTLS) were counted")
        let slowBefore = before.counts[8...].reduce(0, +)

        let packet = rtpPacket(sequenceNumber: 1, ssrc: 0x1234, payloadByte: 0x42)
        _ = try await client.run { transport in packet.withUnsafeBytes { transport.sendRTP($0) } }
        #expect(try await eventually { clientEvents.rtp.count == 1 })
        let after = await pair.serverWorker.counters.processingDelay
        // The echo left 3 ms (and a little) after its batch was read: the (3, 5] ms bucket or,
        // on a loaded machine, a later one; never an earlier one. (A consent check's answer may
        // be counted beside it.)
        #expect(after.count >= before.count + 1)
        #expect(after.counts[8...].reduce(0, +) >= slowBefore + 1, "\(before.counts) → \(after.counts)")
        #expect(after.sumMicroseconds - before.sumMicroseconds >= 3_000)
        try await pair.shutdown()
    }
}
