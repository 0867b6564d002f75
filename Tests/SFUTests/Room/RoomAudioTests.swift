import NIOConcurrencyHelpers
import RTP
import SFU
import Testing

/// Opus through a room: every subscriber gets each publisher's packets with its audio level
/// (moved into the subscriber's extension id), and the louder speaker becomes the active one.
@Suite struct RoomAudioTests {
    static let levelID: UInt8 = 1
    static let subscriberLevelID: UInt8 = 4

    /// A 20 ms Opus packet with an RFC 6464 audio level (0 is the loudest, 127 silence).
    static func opusPacket(ssrc: UInt32, sequenceNumber: UInt16, level: UInt8) -> [UInt8] {
        var packet: [UInt8] = [0x90, 111, UInt8(sequenceNumber >> 8), UInt8(sequenceNumber & 0xFF)]
        packet += withUnsafeBytes(of: (UInt32(sequenceNumber) * 960).bigEndian, Array.init)
        packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        packet += [0xBE, 0xDE, 0x00, 0x01, levelID << 4, 0x80 | level, 0x00, 0x00]
        return packet + [0xF8, 0xFF, 0xFE, UInt8(truncatingIfNeeded: ssrc)] // Opus TOC + frame bytes
    }

    static func microphone(ssrc: UInt32) -> TrackDescription {
        TrackDescription(kind: .audio, source: .microphone,
                         codec: TrackCodec(name: "opus", payloadType: 111, clockRate: 48_000),
                         layers: [TrackLayer(ssrc: ssrc)], audioLevelExtensionID: levelID,
                         forwardedExtensionIDs: [levelID: subscriberLevelID])
    }

    @Test func opusReachesEverySubscriberAndTheLouderSpeakerIsActive() async throws {
        let bed = try await RoomTestBed.make(name: "audio")
        let room = bed.room
        let speakers = NIOLockedValueBox<[ParticipantID?]>([])
        let listener = Task {
            for await event in room.events {
                if case .activeSpeakerChanged(let id) = event { speakers.withLockedValue { $0.append(id) } }
            }
        }
        defer { listener.cancel() }
        let alice = try await bed.join("alice")
        let bob = try await bed.join("bob")
        let carol = try await bed.join("carol")
        #expect(try await eventually { alice.connected && bob.connected && carol.connected })
        try await room.publish("alice", trackID: "alice-mic", description: Self.microphone(ssrc: 0xA))
        try await room.publish("bob", trackID: "bob-mic", description: Self.microphone(ssrc: 0xB))
        for (subscriber, track) in [("alice", "bob-mic"), ("bob", "alice-mic"), ("carol", "alice-mic"), ("carol", "bob-mic")] {
            _ = try await room.subscribe(subscriber, to: track)
        }

        // One second of Alice talking (-10 dBov) over Bob's quiet room (-90 dBov).
        for sequenceNumber in UInt16(1)...50 {
            try await alice.send(rtp: Self.opusPacket(ssrc: 0xA, sequenceNumber: sequenceNumber, level: 10))
            try await bob.send(rtp: Self.opusPacket(ssrc: 0xB, sequenceNumber: sequenceNumber, level: 90))
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await eventually { carol.received.count == 100 && bob.received.count == 50 && alice.received.count == 50 })
        #expect(try await eventually { speakers.withLockedValue { $0.last == "alice" } })
        #expect(!speakers.withLockedValue { $0.contains("bob") })

        // Carol gets each publisher on its own SSRC, numbered without gaps, with the level under
        // her id for it and the Opus payload untouched.
        let bySSRC = Dictionary(grouping: carol.received, by: \.ssrc)
        #expect(bySSRC.count == 2)
        for packets in bySSRC.values {
            #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
            #expect(packets.allSatisfy { $0.extensionIDs == [Self.subscriberLevelID] })
            #expect(Set(packets.map { $0.payload.last }) .count == 1)
        }
        #expect(Set(bySSRC.values.compactMap { $0.first?.payload.last }) == [0x0A, 0x0B])
        try await bed.shutdown()
    }
}
