import RTP
import SFU
import Testing

/// Delivered packets grouped into frames, in delivery order.
struct DeliveredFrame {
    var layer: Int
    var frameIndex: Int
    var packets: [SubscriberPacket]
    var first: SubscriberPacket { packets[0] }
}

func deliveredFrames(_ packets: [SubscriberPacket]) -> [DeliveredFrame] {
    var frames: [DeliveredFrame] = []
    for packet in packets {
        if let last = frames.last, last.layer == packet.source.layer, last.frameIndex == packet.source.frameIndex {
            frames[frames.count - 1].packets.append(packet)
        } else {
            frames.append(DeliveredFrame(layer: packet.source.layer, frameIndex: packet.source.frameIndex, packets: [packet]))
        }
    }
    return frames
}

/// The output timestamp step the rewriter must make when switching between two packets.
func expectedSwitchTicks(from previous: SubscriberPacket, to next: SubscriberPacket) -> UInt32 {
    let elapsed = next.source.arrivalMicroseconds - previous.source.arrivalMicroseconds
    return UInt32(max(1, elapsed * 90_000 / 1_000_000))
}

/// Checks what every subscriber stream must satisfy when nothing was lost upstream: one SSRC,
/// consecutive sequence numbers, timestamps kept within a layer and advanced by elapsed time
/// across a switch, whole frames only, a switch only at a key frame start, and picture ids /
/// TL0PICIDX continuous.
func expectOneContinuousStream(_ packets: [SubscriberPacket], ssrc: UInt32, sourceLocation: SourceLocation = #_sourceLocation) {
    for (previous, next) in zip(packets, packets.dropFirst()) {
        #expect(next.ssrc == ssrc, sourceLocation: sourceLocation)
        #expect(next.sequenceNumber == previous.sequenceNumber &+ 1,
                "sequence after layer \(previous.source.layer) frame \(previous.source.frameIndex)", sourceLocation: sourceLocation)
        let step = next.timestamp &- previous.timestamp
        if next.source.layer == previous.source.layer {
            let frames = UInt32(next.source.frameIndex - previous.source.frameIndex)
            #expect(step == frames &* SimulcastPublisherModel.ticksPerFrame, sourceLocation: sourceLocation)
        } else {
            #expect(step == expectedSwitchTicks(from: previous, to: next),
                    "timestamp across switch at frame \(next.source.frameIndex)", sourceLocation: sourceLocation)
        }
    }
    let frames = deliveredFrames(packets)
    for frame in frames {
        let indices = frame.packets.map(\.source.packetIndex)
        #expect(indices == Array(0..<frame.first.source.packetCount),
                "frame \(frame.frameIndex) of layer \(frame.layer) is whole", sourceLocation: sourceLocation)
    }
    for (previous, next) in zip(frames, frames.dropFirst()) {
        if next.layer != previous.layer {
            #expect(next.first.isKeyFrame && next.first.isStartOfFrame,
                    "switch to layer \(next.layer) at frame \(next.frameIndex) starts with a key frame", sourceLocation: sourceLocation)
        }
        let pictureID = previous.first.pictureID.map { ($0 + 1) & 0x7FFF }
        #expect(next.first.pictureID == pictureID, "picture id at frame \(next.frameIndex)", sourceLocation: sourceLocation)
        let tl0 = previous.first.tl0PictureIndex.map { next.first.temporalID == 0 ? $0 &+ 1 : $0 }
        #expect(next.first.tl0PictureIndex == tl0, "TL0PICIDX at frame \(next.frameIndex)", sourceLocation: sourceLocation)
        for packet in next.packets {
            #expect(packet.pictureID == next.first.pictureID && packet.tl0PictureIndex == next.first.tl0PictureIndex,
                    sourceLocation: sourceLocation)
        }
    }
}

@Test func scriptedSessionGivesTheSubscriberOneContinuousStream() throws {
    var publisher = SimulcastPublisherModel()
    publisher.keyFrameInterval = 10_000
    var pipeline = SubscriptionPipeline(targetSpatialLayer: 2)
    // (frame, spatial target or nil = paused, temporal target)
    let script: [(frame: Int, spatial: Int?, temporal: UInt8)] = [
        (30, 0, 2), (60, 1, 1), (90, 1, 2), (110, 1, 0), (130, nil, 0), (150, 2, 2),
    ]
    for frame in 0..<200 {
        if let change = script.first(where: { $0.frame == frame }) {
            pipeline.selector.setTarget(spatialLayer: change.spatial, maxTemporalLayer: change.temporal)
        }
        try pipeline.run(&publisher, frames: 1)
    }

    let packets = pipeline.delivered
    #expect(packets.first?.sequenceNumber == 65_530)
    #expect(packets.first?.timestamp == 0xFFFF_FF00)
    expectOneContinuousStream(packets, ssrc: 0xABCD_EF01)

    // Each spatial change happened at the first key frame the request produced.
    #expect(pipeline.switches.map(\.layer) == [2, 0, 1, 2])
    #expect(pipeline.switches.map(\.frameIndex) == [0, 31, 61, 151])

    let frames = deliveredFrames(packets)
    func delivered(_ range: Range<Int>) -> [DeliveredFrame] { frames.filter { range.contains($0.frameIndex) } }
    // Before a switch the old layer keeps flowing: no frame time goes without a frame. (Layer 0
    // comes first at each instant, so the layer 2 → 0 switch at 31 forwards one frame per instant.)
    #expect(delivered(0..<60).map(\.frameIndex) == Array(0..<60))
    // Temporal layer 1 only (frames 61...89), all layers again, then the base layer only.
    #expect(delivered(62..<90).allSatisfy { $0.first.temporalID ?? 0 <= 1 })
    #expect(delivered(62..<90).contains { $0.first.temporalID == 1 })
    // Up-switch to 2 at frame 90 waits for a sync frame: the first TID 2 frame after it has Y.
    let firstTID2 = delivered(90..<110).first { $0.first.temporalID == 2 }
    #expect(firstTID2?.first.isLayerSync == true)
    // No TID 2 frame without Y is forwarded before that sync point.
    #expect(!delivered(90..<(firstTID2?.frameIndex ?? 110)).contains { $0.first.temporalID == 2 })
    // Down-switch to 0 at frame 110 takes effect at that frame.
    #expect(delivered(110..<130).allSatisfy { $0.first.temporalID == 0 })
    #expect(delivered(110..<130).count == 5)
    // Paused: nothing.
    #expect(delivered(130..<151).isEmpty)
    #expect(delivered(151..<200).allSatisfy { $0.layer == 2 })
    #expect(delivered(151..<200).count == 49)
}

@Test func upstreamLossReachesTheSubscriberAsAGapThatRetransmissionFills() throws {
    var publisher = SimulcastPublisherModel()
    var pipeline = SubscriptionPipeline(targetSpatialLayer: 0, targetMaxTemporalLayer: 1)
    var lost: [PublishedPacket] = []
    try pipeline.run(&publisher, frames: 20) { packet in
        // Frame 10 is TID 1 (pattern restarted at the key frame of frame 0); its second packet is lost.
        let isLost = packet.layer == 0 && packet.frameIndex == 10 && packet.packetIndex == 1
        if isLost { lost.append(packet) }
        return isLost
    }
    let packets = pipeline.delivered
    let gaps = zip(packets, packets.dropFirst()).filter { $1.sequenceNumber != $0.sequenceNumber &+ 1 }
    #expect(gaps.count == 1)
    let gap = try #require(gaps.first)
    #expect(gap.1.sequenceNumber == gap.0.sequenceNumber &+ 2, "exactly one number held open")
    #expect(gap.0.source.frameIndex == 10 && gap.0.source.packetIndex == 0)

    // The retransmission arrives late and takes the held number.
    let retransmission = try #require(lost.first)
    let filled = try #require(try pipeline.route(retransmission))
    #expect(filled.sequenceNumber == gap.0.sequenceNumber &+ 1)
    #expect(filled.order == .fillsGap)
    #expect(filled.timestamp == gap.0.timestamp)
    #expect(filled.pictureID == gap.0.pictureID)

    // A second copy of an old, already forwarded packet keeps its original number.
    let original = packets[5]
    let repeated = try #require(try pipeline.route(original.source))
    #expect(repeated.sequenceNumber == original.sequenceNumber)
    #expect(repeated.timestamp == original.timestamp)
    #expect(repeated.pictureID == original.pictureID)
    #expect(repeated.order == .repeated)
}

@Test func droppedTemporalLayersLeaveNoGapsButLossStillDoes() throws {
    var publisher = SimulcastPublisherModel()
    var pipeline = SubscriptionPipeline(targetSpatialLayer: 1, targetMaxTemporalLayer: 0)
    var baseLayerFrames = 0
    try pipeline.run(&publisher, frames: 40) { packet in
        if packet.layer == 1 && packet.temporalID == 0 && packet.packetIndex == 0 { baseLayerFrames += 1 }
        return false
    }
    expectOneContinuousStream(pipeline.delivered, ssrc: 0xABCD_EF01)
    #expect(pipeline.delivered.allSatisfy { $0.temporalID == 0 })
    #expect(deliveredFrames(pipeline.delivered).count == baseLayerFrames)
    #expect(baseLayerFrames >= 10)

    // Losing the middle packet of a dropped (TID 2) frame leaves no hole; losing one of a
    // forwarded frame leaves exactly one.
    var lossy = SubscriptionPipeline(targetSpatialLayer: 1, targetMaxTemporalLayer: 1)
    var lostForwarded = 0
    var lostDropped = 0
    try lossy.run(&publisher, frames: 60) { packet in
        guard packet.layer == 1, packet.packetCount == 3, packet.packetIndex == 1 else { return false }
        if packet.temporalID <= 1 { lostForwarded += 1 } else { lostDropped += 1 }
        return true
    }
    let holes = zip(lossy.delivered, lossy.delivered.dropFirst())
        .map { Int($1.sequenceNumber &- $0.sequenceNumber) - 1 }
        .reduce(0, +)
    #expect(lostForwarded > 0 && lostDropped > 0)
    #expect(holes == lostForwarded)
}

@Test func whenTheForwardedLayerStopsTheNextBestTakesOverAtItsKeyFrame() throws {
    var publisher = SimulcastPublisherModel()
    publisher.keyFrameInterval = 10_000
    var pipeline = SubscriptionPipeline(targetSpatialLayer: 2, layerTimeoutMicroseconds: 300_000)
    try pipeline.run(&publisher, frames: 20)
    publisher.layers[2].sending = false
    try pipeline.run(&publisher, frames: 30)
    publisher.layers[2].sending = true
    try pipeline.run(&publisher, frames: 20)

    expectOneContinuousStream(pipeline.delivered, ssrc: 0xABCD_EF01)
    #expect(pipeline.switches.map(\.layer) == [2, 1, 2])
    try #require(pipeline.switches.count == 3)
    let fallback = pipeline.switches[1].frameIndex
    // Layer 2's last frame is 19; the timeout (300 ms ≈ 9 frames) passes before frame 29, then
    // layer 1's key frame comes one frame after the request.
    #expect(fallback == 29 || fallback == 30)
    #expect(pipeline.keyFrameRequests.contains(1))
    #expect(pipeline.switches[2].frameIndex == 51)
    let frames = deliveredFrames(pipeline.delivered)
    #expect(!frames.contains { (20..<fallback).contains($0.frameIndex) }, "nothing to forward while waiting")
}
