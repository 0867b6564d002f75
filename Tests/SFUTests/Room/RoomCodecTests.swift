import RTP
import SFU
import Testing

/// Codecs other than VP8 through the room: key frames and temporal layers read from their own
/// layer signalling.
@Suite struct RoomCodecTests {
    /// A browser's L1T3 key-frame dependency descriptor with its structure (templates 0…4 with
    /// temporal ids 0, 0, 1, 2, 2; frame 303), from the RTP tests' interop vector.
    static let keyFrameDescriptor: [UInt8] = [0x80, 0x01, 0x2f, 0x80, 0x02, 0x14, 0xea, 0xa8,
                                              0x60, 0x41, 0x4d, 0x14, 0x10, 0x20, 0x84, 0x26]
    static let descriptorID: UInt8 = 5
    static let ssrc: UInt32 = 0xA1

    /// One single-packet AV1 frame with a dependency descriptor (RFC 8285 one-byte form); the
    /// payload's last byte is the frame's index.
    static func av1Frame(_ index: Int, descriptor: [UInt8], key: Bool) -> [UInt8] {
        var element = [descriptorID << 4 | UInt8(descriptor.count - 1)] + descriptor
        while element.count % 4 != 0 { element.append(0) }
        var packet: [UInt8] = [0x90, 0x80 | 45, 0, UInt8(index)]
        packet += withUnsafeBytes(of: (UInt32(index) * 3000).bigEndian, Array.init)
        packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        packet += [0xBE, 0xDE, 0x00, UInt8(element.count / 4)] + element
        // AV1 aggregation header (W = 1; N on a key frame), an OBU's bytes, the frame index.
        return packet + [key ? 0x18 : 0x10, 0x32, 0x00, UInt8(index)]
    }

    @Test func av1TemporalLayersFollowTheDependencyDescriptor() async throws {
        let bed = try await RoomTestBed.make(name: "av1")
        let room = bed.room
        let publisher = try await bed.join("alice")
        let everything = try await bed.join("bob")
        let baseOnly = try await bed.join("carol")
        #expect(try await eventually { publisher.connected && everything.connected && baseOnly.connected })
        let description = TrackDescription(
            kind: .video, source: .camera, codec: TrackCodec(name: "AV1", payloadType: 45, clockRate: 90_000),
            layers: [TrackLayer(ssrc: Self.ssrc)], dependencyDescriptorExtensionID: Self.descriptorID)
        try await room.publish("alice", trackID: "cam", description: description)
        _ = try await room.subscribe("bob", to: "cam")
        _ = try await room.subscribe("carol", to: "cam", preferences: SubscriptionPreferences(maxTemporalLayer: 0))

        // A delta frame before any key frame is not forwarded; then the key frame with the
        // structure, then templates 3, 2, 3, 1 (temporal ids 2, 1, 2, 0) twice over.
        try await publisher.send(rtp: Self.av1Frame(0, descriptor: [0xC3, 0x01, 0x2E], key: false))
        try await publisher.send(rtp: Self.av1Frame(1, descriptor: Self.keyFrameDescriptor, key: true))
        let templates: [UInt8] = [3, 2, 3, 1, 3, 2, 3, 1]
        for (offset, template) in templates.enumerated() {
            let frameNumber = UInt16(304 + offset)
            let descriptor: [UInt8] = [0xC0 | template, UInt8(frameNumber >> 8), UInt8(frameNumber & 0xFF)]
            try await publisher.send(rtp: Self.av1Frame(2 + offset, descriptor: descriptor, key: false))
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await eventually { everything.received.count == 9 && baseOnly.received.count == 3 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(everything.received.map { $0.payload.last } == (1...9).map { UInt8($0) })
        // Temporal ids 0 only: the key frame and the two template-1 frames, numbered without gaps.
        #expect(baseOnly.received.map { $0.payload.last } == [1, 5, 9])
        let numbers = baseOnly.received.map(\.sequenceNumber)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
        #expect(await room.undecodablePackets == 0)

        // An empty payload is not AV1, whatever its descriptor says: dropped and counted.
        try await publisher.send(rtp: Array(Self.av1Frame(10, descriptor: [0xC3, 0x01, 0x38], key: false).dropLast(4)))
        #expect(try await eventually { await room.undecodablePackets == 1 })
        try await bed.shutdown()
    }
}
