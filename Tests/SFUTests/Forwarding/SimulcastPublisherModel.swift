import RTP
import SFU

/// One packet a synthetic publisher sent, with what the test knows about it.
struct PublishedPacket: Sendable {
    var layer: Int
    var frameIndex: Int
    var packetIndex: Int
    var packetCount: Int
    var temporalID: UInt8
    var isKeyFrame: Bool
    var ssrc: UInt32
    var sequenceNumber: UInt16
    var timestamp: UInt32
    var arrivalMicroseconds: Int64
    var bytes: [UInt8]
}

/// A three-layer VP8 simulcast publisher as browsers produce it: per layer its own SSRC,
/// sequence space and timestamp base (90 kHz, 30 fps), 15-bit picture ids, TL0PICIDX, and the
/// 0,2,1,2 temporal pattern (restarted at every key frame) with Y set on frames that only
/// reference the base layer. Frames are split into 1-3 packets; each layer's frame is sent
/// whole before the next layer's (as the encoder produces them).
struct SimulcastPublisherModel {
    struct LayerState {
        var ssrc: UInt32
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var pictureID: UInt16
        var tl0PictureIndex: UInt8
        var patternIndex = 0
        var sending = true
        var keyFrameRequested = true
    }

    static let frameIntervalMicroseconds: Int64 = 33_333
    static let ticksPerFrame: UInt32 = 3000
    /// RFC 7741 §4.2 pattern for three temporal layers.
    static let temporalPattern: [UInt8] = [0, 2, 1, 2]
    static let layerSyncPattern: [Bool] = [false, true, true, false]

    var layers: [LayerState]
    var frameIndex = 0
    var keyFrameInterval = 150
    var startMicroseconds: Int64 = 5_000_000

    init() {
        // Bases chosen near wrap points so every wrap happens during a test.
        layers = [
            LayerState(ssrc: 0x1111_0000, sequenceNumber: 65_500, timestamp: 0xFFFF_0000, pictureID: 0x7FF0, tl0PictureIndex: 250),
            LayerState(ssrc: 0x2222_0000, sequenceNumber: 1_000, timestamp: 123_456_789, pictureID: 100, tl0PictureIndex: 0),
            LayerState(ssrc: 0x3333_0000, sequenceNumber: 40_000, timestamp: 3_000_000_000, pictureID: 0x7F00, tl0PictureIndex: 128),
        ]
    }

    func frameTime(_ index: Int) -> Int64 { startMicroseconds + Int64(index) * Self.frameIntervalMicroseconds }

    mutating func requestKeyFrame(layer: Int) { layers[layer].keyFrameRequested = true }

    /// All packets of the next capture instant, layer 0 first.
    mutating func nextFrame() -> [PublishedPacket] {
        defer { frameIndex += 1 }
        var packets: [PublishedPacket] = []
        for layer in layers.indices {
            var state = layers[layer]
            defer { layers[layer] = state }
            // The capture clock runs whether or not the layer is sent.
            defer { state.timestamp &+= Self.ticksPerFrame }
            guard state.sending else { continue }
            let isKeyFrame = state.keyFrameRequested || frameIndex % keyFrameInterval == 0
            if isKeyFrame {
                state.keyFrameRequested = false
                state.patternIndex = 0
            }
            let temporalID = Self.temporalPattern[state.patternIndex % 4]
            let layerSync = isKeyFrame || Self.layerSyncPattern[state.patternIndex % 4]
            state.patternIndex += 1
            if temporalID == 0 && !(isKeyFrame && frameIndex == 0) { state.tl0PictureIndex &+= 1 }
            let count = isKeyFrame ? 3 : 1 + (frameIndex + layer) % 3
            for packetIndex in 0..<count {
                let payload = Self.vp8Payload(
                    start: packetIndex == 0, pictureID: state.pictureID, tl0: state.tl0PictureIndex,
                    temporalID: temporalID, layerSync: layerSync, keyFrame: isKeyFrame,
                    tag: [UInt8(layer), UInt8(truncatingIfNeeded: frameIndex >> 8),
                          UInt8(truncatingIfNeeded: frameIndex), UInt8(packetIndex), UInt8(count)])
                let header = RTPHeaderFields(marker: packetIndex == count - 1, payloadType: 96,
                                             sequenceNumber: state.sequenceNumber, timestamp: state.timestamp,
                                             ssrc: state.ssrc)
                let bytes = (try? header.encoded()) ?? []
                packets.append(PublishedPacket(
                    layer: layer, frameIndex: frameIndex, packetIndex: packetIndex, packetCount: count,
                    temporalID: temporalID, isKeyFrame: isKeyFrame, ssrc: state.ssrc,
                    sequenceNumber: state.sequenceNumber, timestamp: state.timestamp,
                    arrivalMicroseconds: frameTime(frameIndex) + Int64(layer) * 2_000 + Int64(packetIndex) * 200,
                    bytes: bytes + payload))
                state.sequenceNumber &+= 1
            }
            state.pictureID = (state.pictureID + 1) & 0x7FFF
        }
        return packets
    }

    /// RFC 7741 §4.2 descriptor with X, I (M = 1), L, T set, then a VP8 payload header byte
    /// (§4.3: P = 0 on a key frame) and a tag the tests read back.
    static func vp8Payload(start: Bool, pictureID: UInt16, tl0: UInt8, temporalID: UInt8, layerSync: Bool,
                           keyFrame: Bool, tag: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0x80 | (start ? 0x10 : 0), 0xE0,
                              0x80 | UInt8(pictureID >> 8), UInt8(truncatingIfNeeded: pictureID), tl0,
                              temporalID << 6 | (layerSync ? 0x20 : 0)]
        bytes.append(start && keyFrame ? 0x00 : 0x01)
        bytes += tag
        return bytes
    }
}

/// A forwarded packet as the subscriber receives it, decoded back.
struct SubscriberPacket: Sendable {
    var source: PublishedPacket
    var ssrc: UInt32
    var sequenceNumber: UInt16
    var timestamp: UInt32
    var marker: Bool
    var pictureID: UInt16?
    var tl0PictureIndex: UInt8?
    var temporalID: UInt8?
    var isLayerSync: Bool
    var isStartOfFrame: Bool
    var isKeyFrame: Bool
    var order: ForwardedPacketOrder
}

/// The per-subscription part of a router: selector, then picture-id rewriter, then RTP rewriter,
/// all applied in place to the packet bytes as a router would.
struct SubscriptionPipeline {
    var selector: SimulcastLayerSelector
    var rewriter: ForwardingRewriter
    var pictureIDs = VP8PictureIDRewriter()
    var switches: [(layer: Int, frameIndex: Int)] = []
    var keyFrameRequests: [Int] = []
    var delivered: [SubscriberPacket] = []

    init(targetSpatialLayer: Int?, targetMaxTemporalLayer: UInt8 = 2, layerTimeoutMicroseconds: Int64 = 500_000) {
        selector = SimulcastLayerSelector(targetSpatialLayer: targetSpatialLayer,
                                          targetMaxTemporalLayer: targetMaxTemporalLayer,
                                          layerTimeoutMicroseconds: layerTimeoutMicroseconds)
        rewriter = ForwardingRewriter(ssrc: 0xABCD_EF01, clockRate: 90_000, initialSequenceNumber: 65_530,
                                      initialTimestamp: 0xFFFF_FF00)
    }

    @discardableResult
    mutating func route(_ packet: PublishedPacket) throws -> SubscriberPacket? {
        var bytes = packet.bytes
        let header = try RTPHeader.parse(bytes)
        let descriptor = try VP8Descriptor.parse(Array(bytes[header.payloadRange]))
        let selection = selector.select(SimulcastPacketInfo(
            spatialLayer: packet.layer, timestamp: header.timestamp, marker: header.marker,
            arrivalMicroseconds: packet.arrivalMicroseconds, vp8: descriptor))
        if let layer = selection.switchedToSpatialLayer { switches.append((layer, packet.frameIndex)) }
        if let layer = selection.keyFrameNeededForSpatialLayer { keyFrameRequests.append(layer) }
        var forward = selection.forward
        let result = try bytes.withUnsafeMutableBytes { raw -> ForwardingResult in
            let payload = UnsafeMutableRawBufferPointer(rebasing: raw[header.payloadRange])
            if try pictureIDs.rewrite(in: payload, sourceSSRC: header.ssrc, forward: forward) == nil { forward = false }
            return try rewriter.rewrite(in: raw, arrivalMicroseconds: packet.arrivalMicroseconds, forward: forward)
        }
        guard let forwarded = result.forwarded else { return nil }
        let out = try RTPHeader.parse(bytes)
        let outDescriptor = try VP8Descriptor.parse(Array(bytes[out.payloadRange]))
        let delivered = SubscriberPacket(
            source: packet, ssrc: out.ssrc, sequenceNumber: out.sequenceNumber, timestamp: out.timestamp,
            marker: out.marker, pictureID: outDescriptor.pictureID, tl0PictureIndex: outDescriptor.tl0PictureIndex,
            temporalID: outDescriptor.temporalLayerID, isLayerSync: outDescriptor.isLayerSync,
            isStartOfFrame: outDescriptor.isStartOfFrame,
            isKeyFrame: outDescriptor.isKeyFrame, order: forwarded.order)
        self.delivered.append(delivered)
        return delivered
    }

    /// Routes every packet of `frames` frames from `publisher`, honouring key frame requests the
    /// way a (rate-limited) PLI would: the publisher answers on its next frame.
    mutating func run(_ publisher: inout SimulcastPublisherModel, frames: Int,
                      lose: (PublishedPacket) -> Bool = { _ in false }) throws {
        for _ in 0..<frames {
            let requestsBefore = keyFrameRequests.count
            for packet in publisher.nextFrame() where !lose(packet) {
                try route(packet)
            }
            if let layer = keyFrameRequests.dropFirst(requestsBefore).last { publisher.requestKeyFrame(layer: layer) }
        }
    }
}
