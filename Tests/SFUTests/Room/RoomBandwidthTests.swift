import RTP
import SFU
import Testing

/// The layer a subscriber gets follows what its downlink takes (REMB, receiver-report loss),
/// never above what it asked for.
@Suite struct RoomBandwidthTests {
    /// Per frame at 30 fps: ≈ 29, 101 and 269 kbit/s with headers.
    static let fillerBytes = [100, 400, 1_100]

    /// Alice publishes three layers, Bob subscribes with no preference and gets the top one.
    func startOnTheTopLayer() async throws
        -> (RoomTestBed, RoomClient, RoomClient, SubscriptionInfo, SyntheticVP8Simulcast) {
        let bed = try await RoomTestBed.make(name: "bwe")
        let publisher = try await bed.join("alice")
        let subscriber = try await bed.join("bob")
        #expect(try await eventually { publisher.connected && subscriber.connected })
        try await bed.room.publish("alice", trackID: "cam", description: SyntheticVP8Simulcast.description)
        let info = try await bed.room.subscribe("bob", to: "cam")
        var source = SyntheticVP8Simulcast()
        source.fillerBytes = Self.fillerBytes
        try await send(30, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 2 }, &source, from: publisher))
        return (bed, publisher, subscriber, info, source)
    }

    @Test func rembMovesTheSubscriberToTheLayerThatFitsAndBackUp() async throws {
        var (bed, publisher, subscriber, info, source) = try await startOnTheTopLayer()
        let room = bed.room
        #expect(await room.availableBitrate(of: "bob") == nil, "no estimate: nothing limits Bob")
        #expect(await room.bandwidthLayerLimit(of: "bob", trackID: "cam") == nil)

        // 150 kbit/s: layer 1 (≈101 kbit/s) fits, layer 2 does not.
        try await subscriber.send(rtcp: RTCPReceiverEstimatedMaximumBitrate.build(
            senderSSRC: 7, bitrate: 150_000, feedbackSSRCs: [info.ssrc]))
        let beforeDrop = subscriber.received.count
        try await send(30, frames: &source, from: publisher)
        #expect(await room.availableBitrate(of: "bob") == 150_000)
        #expect(try await send(framesUntil: { await room.bandwidthLayerLimit(of: "bob", trackID: "cam") == 1 }, &source, from: publisher))
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 1 }, &source, from: publisher))
        let afterDrop = Array(subscriber.received.dropFirst(beforeDrop))
        let firstOfLayer1 = try #require(afterDrop.firstIndex { $0.layer == 1 })
        #expect(afterDrop[firstOfLayer1].isKeyFrame, "the switch down starts on a key frame")
        #expect(publisher.pliSSRCs.contains(SyntheticVP8Simulcast.ssrcs[1]))

        // A REMB about another stream says nothing about this one.
        try await subscriber.send(rtcp: RTCPReceiverEstimatedMaximumBitrate.build(
            senderSSRC: 7, bitrate: 10_000_000, feedbackSSRCs: [info.ssrc &+ 1]))
        try await send(20, frames: &source, from: publisher)
        #expect((await room.availableBitrate(of: "bob") ?? .max) <= 150_000)

        // 10 kbit/s: nothing fits; the lowest layer still flows.
        try await subscriber.send(rtcp: RTCPReceiverEstimatedMaximumBitrate.build(
            senderSSRC: 7, bitrate: 10_000, feedbackSSRCs: [info.ssrc]))
        try await send(30, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { await room.bandwidthLayerLimit(of: "bob", trackID: "cam") == 0 }, &source, from: publisher))
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 0 }, &source, from: publisher))

        // 2 Mbit/s: back to the top layer, on its key frame, the stream continuous throughout.
        try await subscriber.send(rtcp: RTCPReceiverEstimatedMaximumBitrate.build(
            senderSSRC: 7, bitrate: 2_000_000, feedbackSSRCs: [info.ssrc]))
        try await send(30, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { await room.bandwidthLayerLimit(of: "bob", trackID: "cam") == 2 }, &source, from: publisher))
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 2 }, &source, from: publisher))
        let all = subscriber.received
        #expect(zip(all, all.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        #expect(zip(all, all.dropFirst()).allSatisfy { $1.pictureID == ($0.pictureID + 1) & 0x7FFF })

        // The subscriber's own ceiling holds however much bandwidth there is.
        try await room.updatePreferences("bob", trackID: "cam", SubscriptionPreferences(maxSpatialLayer: 1))
        try await send(30, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { await room.bandwidthLayerLimit(of: "bob", trackID: "cam") == 1 }, &source, from: publisher))
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 1 }, &source, from: publisher))
        try await bed.shutdown()
    }

    /// Shedding (only the base temporal layer until the switch) is for a downlink that cannot
    /// take the current layer. A subscriber that asks for a lower layer itself, with bandwidth
    /// to spare, keeps every frame of the current one until the lower layer's key frame.
    @Test func aSubscriberLoweringItsOwnLayerKeepsEveryFrameUntilTheSwitch() async throws {
        var (bed, publisher, subscriber, info, source) = try await startOnTheTopLayer()
        let room = bed.room
        try await subscriber.send(rtcp: RTCPReceiverEstimatedMaximumBitrate.build(
            senderSSRC: 7, bitrate: 10_000_000, feedbackSSRCs: [info.ssrc]))
        try await send(20, frames: &source, from: publisher)
        #expect(await room.availableBitrate(of: "bob") == 10_000_000)

        try await room.updatePreferences("bob", trackID: "cam", SubscriptionPreferences(maxSpatialLayer: 1))
        let before = subscriber.received.count
        // Layer 1's key frame is held back (its PLI goes unanswered) for 24 frames, across at
        // least one allocation round: Bob stays on layer 2 meanwhile, temporal layers and all.
        let held = 24
        for _ in 0..<held {
            for packet in source.nextFrame() { try await publisher.send(rtp: packet) }
            try await Task.sleep(for: .milliseconds(33))
        }
        #expect(try await eventually(timeout: .seconds(3)) { subscriber.received.count >= before + held },
                "\(subscriber.received.count - before) of \(held) frames forwarded")
        #expect(subscriber.received.dropFirst(before).allSatisfy { $0.layer == 2 })

        source.handle(plis: publisher.pliSSRCs)
        try await send(10, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 1 }, &source, from: publisher))
        try await bed.shutdown()
    }

    /// Two cameras, a downlink for about one top layer: the one Bob pinned gets it while the
    /// other stays on its lowest (equal priorities would both get the middle layer).
    @Test func aPinnedVideoGetsAShortDownlinkFirst() async throws {
        let bed = try await RoomTestBed.make(name: "pin")
        let room = bed.room
        let alice = try await bed.join("alice"), carol = try await bed.join("carol"), bob = try await bed.join("bob")
        #expect(try await eventually { alice.connected && carol.connected && bob.connected })
        try await room.publish("alice", trackID: "alice-cam", description: SyntheticVP8Simulcast.description)
        try await room.publish("carol", trackID: "carol-cam", description: SyntheticVP8Simulcast.description)
        let aliceInfo = try await room.subscribe("bob", to: "alice-cam")
        let carolInfo = try await room.subscribe("bob", to: "carol-cam", preferences: SubscriptionPreferences(pinned: true))
        var sources = [SyntheticVP8Simulcast(), SyntheticVP8Simulcast()]
        // ≈ 29, 221 and 269 kbit/s: the middle layer costs nearly what the top does.
        for index in sources.indices { sources[index].fillerBytes = [100, 900, 1_100] }

        // 400 kbit/s: both lowest layers (≈ 58 k), then Carol's rises to the top (≈ 240 k) leave
        // ≈ 100 k, less than Alice's rise to the middle (≈ 225 k with headroom). Unpinned, Alice
        // would rise first and Carol stay low. (This holds down to ≈ 22 frames/s of sending.)
        let remb = try RTCPReceiverEstimatedMaximumBitrate.build(senderSSRC: 7, bitrate: 400_000,
                                                                 feedbackSSRCs: [aliceInfo.ssrc, carolInfo.ssrc])
        func latestLayer(_ ssrc: UInt32) -> Int? { bob.received.last { $0.ssrc == ssrc }?.layer }
        var settled = false
        for frame in 0..<240 where !settled {
            if frame % 15 == 0 { try await bob.send(rtcp: remb) }
            for (index, publisher) in [alice, carol].enumerated() {
                sources[index].handle(plis: publisher.pliSSRCs)
                for packet in sources[index].nextFrame() { try await publisher.send(rtp: packet) }
            }
            try await Task.sleep(for: .milliseconds(33))
            // Both start on the top layer (nothing limits them before the REMB is weighed).
            settled = await room.bandwidthLayerLimit(of: "bob", trackID: "alice-cam") == 0
                && latestLayer(aliceInfo.ssrc) == 0 && latestLayer(carolInfo.ssrc) == 2
        }
        let layers = [latestLayer(aliceInfo.ssrc), latestLayer(carolInfo.ssrc)]
        #expect(settled, "Alice's camera on its lowest layer, Carol's pinned one on the top: \(layers)")
        #expect(await room.bandwidthLayerLimit(of: "bob", trackID: "carol-cam") == 2)
        try await bed.shutdown()
    }

    /// The room acknowledges every packet a publisher numbered: media, a padding-only probe on an
    /// RTX SSRC it does not know, and one on SSRC 0 (libwebrtc probes before media flows). A
    /// number missing from the feedback reads as a loss to the publisher's estimator.
    /// The feedback's media SSRC is one the publisher sends, never the probe's SSRC 0.
    @Test func transportCCFeedbackToAPublisherAcknowledgesProbesAndUnknownSSRCs() async throws {
        let bed = try await RoomTestBed.make(name: "twcc-up")
        let room = bed.room
        let alice = try await bed.join("alice")
        #expect(try await eventually { alice.connected })
        let extensionID: UInt8 = 5
        var description = SyntheticVP8Simulcast.description
        description.transportWideSequenceExtensionID = extensionID
        try await room.publish("alice", trackID: "cam", description: description)

        /// A packet with the transport-wide number under `extensionID` (RFC 8285 one-byte form)
        /// and, as padding-only probes are, nothing but padding after the header.
        func numbered(ssrc: UInt32, payloadType: UInt8, sequence: UInt16, transportWide: UInt16,
                      media: [UInt8] = []) -> [UInt8] {
            let padding: [UInt8] = media.isEmpty ? [UInt8](repeating: 0, count: 199) + [200] : []
            var packet: [UInt8] = [0x90 | (media.isEmpty ? 0x20 : 0), payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF),
                                   0, 0, 0, 1]
            packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
            packet += [0xBE, 0xDE, 0, 1, extensionID << 4 | 1, UInt8(transportWide >> 8), UInt8(transportWide & 0xFF), 0]
            return packet + media + padding
        }
        var source = SyntheticVP8Simulcast()
        let frame = source.nextFrame()[0]
        try await alice.send(rtp: numbered(ssrc: SyntheticVP8Simulcast.ssrcs[0], payloadType: 96, sequence: 101,
                                           transportWide: 1, media: Array(frame[12...])))
        try await alice.send(rtp: numbered(ssrc: 0x7777, payloadType: 97, sequence: 1, transportWide: 2))
        try await alice.send(rtp: numbered(ssrc: 0, payloadType: 97, sequence: 2, transportWide: 3))
        #expect(try await eventually { alice.acknowledged.isSuperset(of: [1, 2, 3]) },
                "acknowledged: \(alice.acknowledged.sorted())")
        // The feedback names an SSRC Alice sends: libwebrtc drops feedback for any other, and
        // a browser's uplink estimate then only falls (by a fifth a second, to about 85 kbit/s).
        let named = alice.feedbackMediaSSRCs
        #expect(!named.isEmpty && named.isSubset(of: [SyntheticVP8Simulcast.ssrcs[0], 0x7777]), "media SSRCs: \(named)")
        try await bed.shutdown()
    }

    @Test func heavyLossInReceiverReportsLowersTheLayer() async throws {
        var (bed, publisher, subscriber, info, source) = try await startOnTheTopLayer()
        let room = bed.room

        // 60 % loss while layer 2 goes out (≈269 kbit/s; less on a loaded machine, which sends
        // slower): the estimate drops to 70 % of that, below what layer 2 costs.
        let block = RTCPReportBlock(ssrc: info.ssrc, fractionLost: 154, cumulativeLost: 100,
                                    extendedHighestSequenceNumber: 1000, jitter: 0, lastSenderReport: 0,
                                    delaySinceLastSenderReport: 0)
        try await subscriber.send(rtcp: RTCPReceiverReport.build(senderSSRC: 7, reportBlocks: [block]))
        try await send(30, frames: &source, from: publisher)
        let estimate = try #require(await room.availableBitrate(of: "bob"))
        #expect(estimate > 0 && estimate < 269_000, "estimate \(estimate)")
        #expect(try await eventually { (subscriber.received.last?.layer ?? 2) < 2 })
        try await bed.shutdown()
    }

    /// With transport-cc on, every packet to Bob carries the next transport-wide number, and
    /// feedback showing the packets queueing (reported 30 % further apart than they really
    /// arrived, so the test holds however fast a loaded machine sends) brings the send-side
    /// estimate below the top layer.
    @Test func transportCCNumbersEveryPacketAndItsFeedbackLowersTheLayer() async throws {
        var (bed, publisher, subscriber, _, source) = try await startOnTheTopLayer()
        let room = bed.room
        #expect(subscriber.received.allSatisfy { $0.transportWideSequenceNumber == nil })

        try await room.enableTransportWideCongestionControl("bob", extensionID: 3)
        let before = subscriber.received.count
        try await send(30, frames: &source, from: publisher)
        let stamped = subscriber.received.dropFirst(before)
        let numbers = stamped.compactMap(\.transportWideSequenceNumber)
        #expect(numbers.count == stamped.count && numbers.count >= 25, "every packet is numbered")
        #expect(numbers.sorted() == Array(0..<UInt16(numbers.count)), "from 0, none skipped or repeated")
        // The payload is untouched by the added extension.
        #expect(stamped.allSatisfy { $0.layer == 2 })

        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 7)
        let inOrder = stamped.sorted { ($0.transportWideSequenceNumber ?? 0) < ($1.transportWideSequenceNumber ?? 0) }
        let first = inOrder.first?.arrivalMicroseconds ?? 0
        let arrivals = inOrder.map { packet in
            RTCPTransportFeedbackArrival(sequenceNumber: packet.transportWideSequenceNumber ?? 0,
                                         arrivalTimeMicroseconds: 1_000_000 + (packet.arrivalMicroseconds - first) * 13 / 10)
        }
        for packet in builder.build(arrivals: arrivals, feedbackPacketCount: 0) { try await subscriber.send(rtcp: packet) }
        // The publisher keeps sending, so every layer's bitrate stays measured.
        try await send(30, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { await room.bandwidthLayerLimit(of: "bob", trackID: "cam") == 1 }, &source, from: publisher))
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 1 }, &source, from: publisher))
        let estimate = try #require(await room.availableBitrate(of: "bob"))
        #expect(estimate < 269_000 && estimate > 101_000, "\(estimate)")
        try await bed.shutdown()
    }

    /// A NACK from a subscriber without RTX is answered with the packet as it first went out,
    /// byte for byte even encrypted (its SRTP index repeats, and under AES-GCM that is harmless
    /// only for identical input), but not once transport-cc is on: a fresh transport-wide number
    /// would make the repeat differ.
    @Test func withoutRTXAResendIsIdenticalAndWithTransportCCThereIsNone() async throws {
        var (bed, publisher, subscriber, info, source) = try await startOnTheTopLayer()
        let room = bed.room
        func nackOneLost() async throws -> UInt16 {
            try await subscriber.dropNextIncomingRTP()
            try await send(3, frames: &source, from: publisher)
            let lost = try #require(subscriber.droppedSequenceNumber)
            try await subscriber.send(rtcp: RTCPGenericNACK.build(
                sources: RTCPFeedbackSources(senderSSRC: 1, mediaSSRC: info.ssrc), lostSequenceNumbers: [lost]))
            try await send(3, frames: &source, from: publisher)
            return lost
        }

        let lost = try await nackOneLost()
        #expect(try await eventually { subscriber.received.contains { $0.sequenceNumber == lost } })
        let datagrams = subscriber.droppedDatagrams
        #expect(datagrams.count == 2 && datagrams.first == datagrams.last, "the resend is the same SRTP datagram")

        try await room.enableTransportWideCongestionControl("bob", extensionID: 3)
        try await send(5, frames: &source, from: publisher)
        let numbered = try await nackOneLost()
        try await send(10, frames: &source, from: publisher)
        #expect(!subscriber.received.contains { $0.sequenceNumber == numbered }, "not resent")
        #expect(subscriber.droppedDatagrams.count == 1)
        try await bed.shutdown()
    }

    /// An operator's downlink cap limits the layer as an estimate would, and lifting it frees it.
    @Test func aDownlinkCapLimitsTheLayerUntilLifted() async throws {
        var (bed, publisher, subscriber, _, source) = try await startOnTheTopLayer()
        let room = bed.room
        try await room.capDownlink("bob", maxBitrate: 150_000)
        #expect(await room.availableBitrate(of: "bob") == 150_000)
        try await send(30, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { await room.bandwidthLayerLimit(of: "bob", trackID: "cam") == 1 }, &source, from: publisher))
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 1 }, &source, from: publisher))
        try await room.capDownlink("bob", maxBitrate: nil)
        #expect(await room.availableBitrate(of: "bob") == nil)
        try await send(30, frames: &source, from: publisher)
        #expect(try await send(framesUntil: { subscriber.received.last?.layer == 2 }, &source, from: publisher))
        await #expect(throws: RoomError.unknownParticipant("nobody")) { try await room.capDownlink("nobody", maxBitrate: 1) }
        try await bed.shutdown()
    }
}
