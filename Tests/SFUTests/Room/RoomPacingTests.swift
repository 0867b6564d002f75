import RTP
import SFU
import Testing

/// Video to a subscriber leaves at most 2.5 times its downlink estimate: a key frame's burst is
/// spread out, not dropped or reordered; with no estimate it is not held at all.
@Suite struct RoomPacingTests {
    /// A burst's packets carry this much filler, so the subscriber can tell them from frames.
    static let burstFiller = 1_180

    /// Sends one frame whose top layer is `count` large packets in one burst (a key frame's
    /// worth), the other layers as usual; returns when the subscriber has all of them, with
    /// their arrival times (µs) and output sequence numbers in arrival order.
    func sendBurst(_ count: Int, _ source: inout SyntheticVP8Simulcast, from publisher: RoomClient,
                   to subscriber: RoomClient) async throws -> [(arrival: Int64, sequence: UInt16)] {
        let before = subscriber.received.count
        let frame = source.nextFrame()
        for packet in frame.prefix(2) { try await publisher.send(rtp: packet) }
        // The top layer's packet: header (12), VP8 descriptor (6), payload header (4).
        let prefix = Array(frame[2].prefix(22))
        let first = source.sequenceNumbers[2]
        let packets = (0..<count).map { index in
            var packet = prefix + [UInt8](repeating: 0xEE, count: Self.burstFiller)
            let sequence = first &+ UInt16(index)
            packet[2] = UInt8(sequence >> 8)
            packet[3] = UInt8(sequence & 0xFF)
            return packet
        }
        try await publisher.send(rtp: packets)
        source.sequenceNumbers[2] = first &+ UInt16(count - 1)
        let burstPayload = 10 + Self.burstFiller
        func burst() -> [RoomClient.Received] {
            subscriber.received.dropFirst(before).filter { $0.payload.count == burstPayload }
        }
        #expect(try await eventually { burst().count == count }, "the whole burst arrives")
        return burst().map { ($0.arrivalMicroseconds, $0.sequenceNumber) }
    }

    @Test func aKeyFrameBurstIsSpreadAtTheEstimateAndKeepsItsOrder() async throws {
        var (bed, publisher, subscriber, info, source) = try await RoomBandwidthTests().startOnTheTopLayer()
        let room = bed.room

        // Nothing limits Bob yet: 60 packets of 1.2 KB arrive as fast as they were sent.
        let unpaced = try await sendBurst(60, &source, from: publisher, to: subscriber)
        let unpacedSpan = (unpaced.last?.arrival ?? 0) - (unpaced.first?.arrival ?? 0)

        // A 2 Mbit/s estimate (the top layer, ≈ 270 kbit/s, still fits): pacing at 5 Mbit/s,
        // 625 bytes a millisecond. A second of frames lets an allocation round take it up.
        try await subscriber.send(rtcp: RTCPReceiverEstimatedMaximumBitrate.build(
            senderSSRC: 7, bitrate: 2_000_000, feedbackSSRCs: [info.ssrc]))
        try await send(30, frames: &source, from: publisher)
        #expect(await room.availableBitrate(of: "bob") == 2_000_000)
        let paced = try await sendBurst(60, &source, from: publisher, to: subscriber)
        let pacedSpan = (paced.last?.arrival ?? 0) - (paced.first?.arrival ?? 0)

        // 60 × ≈1.2 KB is ≈ 73 KB: ≈ 117 ms at 625 B/ms, less the 10 ms burst allowance.
        #expect(pacedSpan >= 80_000 && pacedSpan <= 400_000, "paced burst spread over \(pacedSpan) µs")
        #expect(unpacedSpan < pacedSpan / 2, "unpaced \(unpacedSpan) µs, paced \(pacedSpan) µs")
        print("burst of 60: unpaced \(unpacedSpan) µs, paced \(pacedSpan) µs")
        // In order, none missing, and frames after it still flow on the top layer.
        #expect(zip(paced, paced.dropFirst()).allSatisfy { $1.sequence == $0.sequence &+ 1 })
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 2 }, &source, from: publisher))
        let all = subscriber.received
        #expect(zip(all, all.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        try await bed.shutdown()
    }
}
