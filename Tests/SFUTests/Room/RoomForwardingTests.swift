import DTLS
import NIOPosix
import RTP
import SFU
import Testing
import WebRTC

/// Sends `count` frames of every layer at 30 fps, answering the PLIs the publisher received.
func send(_ count: Int, frames source: inout SyntheticVP8Simulcast, from publisher: RoomClient) async throws {
    for _ in 0..<count {
        source.handle(plis: publisher.pliSSRCs)
        for packet in source.nextFrame() { try await publisher.send(rtp: packet) }
        try await Task.sleep(for: .milliseconds(33))
    }
}

/// Sends frames at 30 fps, answering PLIs, until `condition` holds (true) or 10 s of frames
/// went out (false): a layer switch waits for a key frame, so frames must keep coming.
func send(framesUntil condition: () async throws -> Bool, _ source: inout SyntheticVP8Simulcast,
          from publisher: RoomClient) async throws -> Bool {
    for _ in 0..<300 {
        if try await condition() { return true }
        try await send(1, frames: &source, from: publisher)
    }
    return try await condition()
}

/// A room on a server worker and a client worker for its participants, each on its own loop.
struct RoomTestBed {
    let group: MultiThreadedEventLoopGroup
    let serverWorker: MediaWorker
    let clientWorker: MediaWorker
    let room: Room
    let clientContext: DTLSContext

    static func make(name: String, layerReleaseDelay: Duration = .seconds(3)) async throws -> RoomTestBed {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let serverWorker = try await MediaWorker.bind(index: 0, host: "127.0.0.1", port: 0, on: loops[0])
        let clientWorker = try await MediaWorker.bind(index: 1, host: "127.0.0.1", port: 0, on: loops[1])
        let room = Room(name: name, worker: serverWorker,
                        dtlsContext: try DTLSContext(certificate: .generateSelfSigned()),
                        layerReleaseDelay: layerReleaseDelay)
        return RoomTestBed(group: group, serverWorker: serverWorker, clientWorker: clientWorker, room: room,
                           clientContext: try DTLSContext(certificate: .generateSelfSigned()))
    }

    func join(_ id: ParticipantID) async throws -> RoomClient {
        try await RoomClient.join(room, as: id, clientWorker: clientWorker, context: clientContext)
    }

    func shutdown() async throws {
        await room.close()
        await serverWorker.close()
        await clientWorker.close()
        try await group.shutdownGracefully()
    }
}

/// Waits (bounded) until `condition` holds.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

@Suite struct RoomForwardingTests {
    @Test func publishersRTXRepairsAnUpstreamLoss() async throws {
        let bed = try await RoomTestBed.make(name: "rtx-in")
        let room = bed.room
        let publisher = try await bed.join("alice")
        let viewer = try await bed.join("bob")
        #expect(try await eventually { publisher.connected && viewer.connected })
        var description = SyntheticVP8Simulcast.description
        description.layers[0].rtxSSRC = 0x1100
        try await room.publish("alice", trackID: "cam", description: description)
        _ = try await room.subscribe("bob", to: "cam", preferences: SubscriptionPreferences(maxSpatialLayer: 0))

        var source = SyntheticVP8Simulcast()
        let (original, lost) = try await loseALayer0Packet(&source, from: publisher)

        // RFC 4588 §4: RTX SSRC and payload type, its own sequence number, then the OSN.
        var rtx: [UInt8] = [0x80, 97, 0x00, 0x01]
        rtx += Array(original[4..<8])
        rtx += withUnsafeBytes(of: UInt32(0x1100).bigEndian, Array.init)
        rtx += [UInt8(lost >> 8), UInt8(lost & 0xFF)]
        rtx += Array(original[12...])
        try await expectRepair(by: rtx, of: original, headerLength: 12, from: publisher, to: viewer)
        try await bed.shutdown()
    }

    /// Sends ten frames, loses layer 0's packet of the next on the way to the room, and sends
    /// three more; returns that packet and its sequence number once the room NACKed it.
    private func loseALayer0Packet(_ source: inout SyntheticVP8Simulcast,
                                   from publisher: RoomClient) async throws -> (packet: [UInt8], lost: UInt16) {
        try await send(10, frames: &source, from: publisher)
        let frames = source.nextFrame()
        for packet in frames.dropFirst() { try await publisher.send(rtp: packet) }
        let lost = source.sequenceNumbers[0]
        try await send(3, frames: &source, from: publisher)
        #expect(try await eventually { publisher.nacked[SyntheticVP8Simulcast.ssrcs[0]]?.contains(lost) == true })
        return (frames[0], lost)
    }

    /// Sends the publisher's `rtx` and expects the viewer to get `original`'s payload (after its
    /// `headerLength`), with no gap left in what it received.
    private func expectRepair(by rtx: [UInt8], of original: [UInt8], headerLength: Int, from publisher: RoomClient,
                              to viewer: RoomClient) async throws {
        let before = viewer.received.count
        try await publisher.send(rtp: rtx)
        #expect(try await eventually { viewer.received.count > before })
        let repaired = try #require(viewer.received.last)
        // The viewer's payload starts with the VP8 descriptor (its picture id rewritten).
        #expect(Array(repaired.payload[5...]) == Array(original[(headerLength + 5)...]), "the lost frame, from its RTX")
        let sequenceNumbers = viewer.received.map(\.sequenceNumber).sorted()
        #expect(zip(sequenceNumbers, sequenceNumbers.dropFirst()).allSatisfy { $1 == $0 &+ 1 }, "no gap remains")
    }

    /// A browser sending simulcast by rid announces no RTX SSRCs: its RTX packets name the layer
    /// they repair in `repaired-rtp-stream-id` (RFC 8852 §3.2).
    @Test func rtxNamingTheRepairedRIDRepairsThatLayer() async throws {
        let bed = try await RoomTestBed.make(name: "rtx-rrid")
        let room = bed.room
        let publisher = try await bed.join("alice")
        let viewer = try await bed.join("bob")
        #expect(try await eventually { publisher.connected && viewer.connected })
        var description = SyntheticVP8Simulcast.ridOnlyDescription
        description.repairedRIDExtensionID = 11
        try await room.publish("alice", trackID: "cam", description: description)
        _ = try await room.subscribe("bob", to: "cam", preferences: SubscriptionPreferences(maxSpatialLayer: 0))

        var source = SyntheticVP8Simulcast()
        source.tagsRID = true
        let (original, lost) = try await loseALayer0Packet(&source, from: publisher)

        // An SSRC the room has not seen, with the mid and the repaired rid "q" (ids 9 and 11).
        var rtx: [UInt8] = [0x90, 97, 0x00, 0x01]
        rtx += Array(original[4..<8])
        rtx += withUnsafeBytes(of: UInt32(0x2200).bigEndian, Array.init)
        rtx += [0xBE, 0xDE, 0x00, 0x01, 0x90, UInt8(ascii: "1"), 0xB0, UInt8(ascii: "q")]
        rtx += [UInt8(lost >> 8), UInt8(lost & 0xFF)]
        rtx += Array(original[20...])
        try await expectRepair(by: rtx, of: original, headerLength: 20, from: publisher, to: viewer)
        #expect(viewer.received.last?.extensionIDs.isEmpty == true, "the publisher's mid and repaired rid are not forwarded")

        // The same RTX again (libwebrtc probes with RTX of packets that were not lost): the
        // viewer has the packet, so the room does not send it twice. (The viewer's SRTP would
        // drop a second copy as a replay, so count what the room sent.)
        let received = viewer.received.count
        let forwarded = await room.statistics.forwardedPackets
        var again = rtx
        again[3] = 0x02
        try await publisher.send(rtp: again)
        try await send(2, frames: &source, from: publisher)
        #expect(try await eventually { viewer.received.count >= received + 2 })
        #expect(await room.statistics.forwardedPackets - forwarded == viewer.received.count - received,
                "every packet sent was new to the viewer")
        #expect(await room.packetsFromUnknownSSRC == 0, "the RTX SSRC was learned, not dropped")

        // An RTX stream naming a rid the publication does not have is not taken for one.
        var stray = rtx
        stray[8...11] = [0x00, 0x00, 0x33, 0x00]
        stray[19] = UInt8(ascii: "x")
        try await publisher.send(rtp: stray)
        #expect(try await eventually { await room.packetsFromUnknownSSRC == 1 })
        try await bed.shutdown()
    }

    @Test func nackedPacketIsResentAsRTXWhenTheSubscriberNegotiatedIt() async throws {
        let bed = try await RoomTestBed.make(name: "rtx")
        let room = bed.room
        let publisher = try await bed.join("alice")
        let viewer = try await bed.join("bob")
        #expect(try await eventually { publisher.connected && viewer.connected })
        try await room.publish("alice", trackID: "cam", description: SyntheticVP8Simulcast.description)
        let info = try await room.subscribe("bob", to: "cam",
                                            preferences: SubscriptionPreferences(maxSpatialLayer: 0, rtxPayloadType: 97))
        let rtxSSRC = try #require(info.rtxSSRC)
        #expect(rtxSSRC != info.ssrc)

        var source = SyntheticVP8Simulcast()
        try await send(10, frames: &source, from: publisher)
        #expect(try await eventually { viewer.received.count >= 5 })
        try await viewer.dropNextIncomingRTP()
        try await send(3, frames: &source, from: publisher)
        let lost = try #require(viewer.droppedSequenceNumber)
        let nack = try RTCPGenericNACK.build(sources: RTCPFeedbackSources(senderSSRC: 1, mediaSSRC: info.ssrc),
                                             lostSequenceNumbers: [lost])
        try await viewer.send(rtcp: nack)
        #expect(try await eventually { viewer.received.contains { $0.ssrc == rtxSSRC } })
        let rtx = try #require(viewer.received.first { $0.ssrc == rtxSSRC })
        // RFC 4588 §4: the payload starts with the original sequence number.
        #expect(UInt16(rtx.payload[0]) << 8 | UInt16(rtx.payload[1]) == lost)
        let neighbour = try #require(viewer.received.first { $0.sequenceNumber == lost &+ 1 && $0.ssrc == info.ssrc })
        #expect(Int32(bitPattern: neighbour.timestamp &- rtx.timestamp) > 0, "the original timestamp is kept")
        try await bed.shutdown()
    }

    @Test func layersAnnouncedByRIDLearnTheirSSRCsFromTheFirstPackets() async throws {
        let bed = try await RoomTestBed.make(name: "rid")
        let room = bed.room
        let publisher = try await bed.join("alice")
        let viewer = try await bed.join("bob")
        #expect(try await eventually { publisher.connected && viewer.connected })

        try await room.publish("alice", trackID: "cam", description: SyntheticVP8Simulcast.ridOnlyDescription)
        let info = try await room.subscribe("bob", to: "cam", preferences: SubscriptionPreferences(maxSpatialLayer: 1))
        var source = SyntheticVP8Simulcast()
        source.tagsRID = true
        try await send(30, frames: &source, from: publisher)
        #expect(try await eventually { viewer.received.count >= 10 })
        #expect(viewer.received.allSatisfy { $0.ssrc == info.ssrc && $0.layer == 1 }, "the 'h' layer, by its rid")
        #expect(viewer.received.allSatisfy { $0.extensionIDs.isEmpty },
                "the publisher's mid and rid are not forwarded: \(Set(viewer.received.flatMap(\.extensionIDs)))")
        #expect(await room.currentLayer(of: "bob", trackID: "cam") == 1)
        #expect(await room.packetsFromUnknownSSRC == 0, "every layer's SSRC was learned")
        let statistics = await room.statistics
        #expect(statistics.rooms == 1 && statistics.participants == 2)
        #expect(statistics.publications == 1 && statistics.subscriptions == 1)
        #expect(statistics.forwardedPackets >= viewer.received.count, "what the viewer got was counted")
        try await bed.shutdown()
    }

    @Test func simulcastIsForwardedPerSubscriberLayerAndSwitchesOnAKeyFrameAndNACKsAreAnswered() async throws {
        let bed = try await RoomTestBed.make(name: "test")
        let room = bed.room

        let publisher = try await bed.join("alice")
        let high = try await bed.join("bob")
        let low = try await bed.join("carol")
        #expect(try await eventually { publisher.connected && high.connected && low.connected })

        try await room.publish("alice", trackID: "alice-camera", description: SyntheticVP8Simulcast.description)
        let highInfo = try await room.subscribe("bob", to: "alice-camera")
        let lowInfo = try await room.subscribe("carol", to: "alice-camera",
                                               preferences: SubscriptionPreferences(maxSpatialLayer: 0))

        var source = SyntheticVP8Simulcast()
        try await send(30, frames: &source, from: publisher)
        #expect(try await eventually { high.received.count >= 20 && low.received.count >= 20 })

        // Each subscriber gets its own SSRC and only its layer, starting on a key frame, with
        // no gap in sequence numbers.
        for (client, info, layer) in [(high, highInfo, 2), (low, lowInfo, 0)] {
            let packets = client.received
            #expect(packets.allSatisfy { $0.ssrc == info.ssrc })
            #expect(packets.allSatisfy { $0.layer == layer }, "layers: \(Set(packets.map(\.layer)))")
            #expect(packets.first?.isKeyFrame == true)
            #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        }

        // Bob switches down: the room asks for a key frame of layer 0 and switches on it; the
        // stream stays continuous (sequence numbers, picture ids, timestamps).
        let beforeSwitch = high.received.count
        try await room.updatePreferences("bob", trackID: "alice-camera", SubscriptionPreferences(maxSpatialLayer: 0))
        try await send(20, frames: &source, from: publisher)
        #expect(try await eventually { high.received.dropFirst(beforeSwitch).contains { $0.layer == 0 } })
        let all = high.received
        let firstLow = try #require(all.firstIndex { $0.layer == 0 })
        #expect(all[firstLow].isKeyFrame, "the first packet of the new layer is a key frame")
        #expect(publisher.pliSSRCs.contains(SyntheticVP8Simulcast.ssrcs[0]))
        #expect(zip(all, all.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        #expect(zip(all, all.dropFirst()).allSatisfy { $1.pictureID == ($0.pictureID + 1) & 0x7FFF })
        #expect(zip(all, all.dropFirst()).allSatisfy { Int32(bitPattern: $1.timestamp &- $0.timestamp) > 0 })
        #expect(await room.currentLayer(of: "bob", trackID: "alice-camera") == 0)

        // A packet lost on Bob's downlink comes back when Bob NACKs it (RFC 4585 §6.2.1), as it
        // was first sent: same sequence number, timestamp and picture id.
        try await high.dropNextIncomingRTP()
        try await send(5, frames: &source, from: publisher)
        let lost = try #require(high.droppedSequenceNumber)
        #expect(!high.received.contains { $0.sequenceNumber == lost })
        let nack = try RTCPGenericNACK.build(sources: RTCPFeedbackSources(senderSSRC: 1, mediaSSRC: highInfo.ssrc),
                                             lostSequenceNumbers: [lost])
        try await high.send(rtcp: nack)
        #expect(try await eventually { high.received.contains { $0.sequenceNumber == lost } })
        let resent = try #require(high.received.first { $0.sequenceNumber == lost })
        let neighbours = high.received.filter { $0.sequenceNumber == lost &- 1 || $0.sequenceNumber == lost &+ 1 }
        #expect(neighbours.count == 2)
        #expect(neighbours.allSatisfy { Int32(bitPattern: $0.timestamp &- resent.timestamp).magnitude <= 3000 })
        #expect(neighbours.map(\.pictureID).sorted() == [(resent.pictureID &- 1) & 0x7FFF, (resent.pictureID + 1) & 0x7FFF].sorted())
        #expect(await room.retransmittedPackets == 1)

        // A packet lost between the publisher and the room is NACKed upstream; the publisher's
        // retransmission fills the subscriber's gap under the number the gap left open.
        let frames = source.nextFrame()
        for (layer, packet) in frames.enumerated() where layer != 0 { try await publisher.send(rtp: packet) }
        let lostUpstream = source.sequenceNumbers[0]
        try await send(3, frames: &source, from: publisher)
        #expect(try await eventually { publisher.nacked[SyntheticVP8Simulcast.ssrcs[0]]?.contains(lostUpstream) == true })
        let beforeRepair = high.received.count
        try await publisher.send(rtp: frames[0])
        #expect(try await eventually { high.received.count > beforeRepair })
        let repaired = try #require(high.received.last)
        #expect(repaired.payload == Array(frames[0][12...]).withPictureID(of: repaired), "the lost frame arrives")
        let sequenceNumbers = high.received.map(\.sequenceNumber)
        #expect(Set(sequenceNumbers).count == sequenceNumbers.count, "the repair fills the gap; nothing is duplicated")

        // Leaving removes the publication: nothing more reaches the subscribers.
        await room.leave("alice")
        #expect(await room.participantIDs == ["bob", "carol"])
        try await bed.shutdown()
    }
}

private extension Array where Element == UInt8 {
    /// The payload as the subscriber sees it: the picture id and TL0PICIDX are rewritten.
    func withPictureID(of received: RoomClient.Received) -> [UInt8] {
        var copy = self
        copy[2] = received.payload[2]
        copy[3] = received.payload[3]
        copy[4] = received.payload[4]
        return copy
    }
}
