import Foundation
import Store
import Testing

@Suite struct RoomEventLogTests {
    @Test func everyChangeIsLoggedInOrderWithItsDetail() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        let room = try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_v", kind: .video,
                                       source: .camera, now: instant(2))
        try store.recordTrackUnpublished(room: "r", trackID: "TR_v", now: instant(3))
        try store.recordParticipantLeft(room: "r", identity: "alice", reason: "client closed", now: instant(4))
        try store.closeRoom(named: "r", now: instant(5))

        let events = try store.events(inRoom: "r")
        #expect(events.map(\.type) == [.roomStarted, .participantJoined, .trackPublished, .trackUnpublished,
                                       .participantLeft, .roomFinished])
        #expect(events.map(\.at) == (0...5).map(instant))
        #expect(events.allSatisfy { $0.roomID == room.id })
        #expect(events.map(\.participantIdentity) == [nil, "alice", "alice", "alice", "alice", nil])
        #expect(events.map(\.trackID) == [nil, nil, "TR_v", "TR_v", nil, nil])
        #expect(events[2].detail == "video/camera")
        #expect(events[4].detail == "client closed")
        #expect(events.map(\.id) == events.map(\.id).sorted())
    }

    @Test func limitKeepsTheNewestEventsWithTheNewestLast() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.createRoom(NewRoom(name: "other"), now: instant(0))
        for second in 1...5 {
            try store.recordParticipantJoined(room: "r", identity: "p\(second)", now: instant(second))
            try store.recordParticipantJoined(room: "other", identity: "p\(second)", now: instant(second))
        }
        let lastTwo = try store.events(inRoom: "r", limit: 2)
        #expect(lastTwo.map(\.participantIdentity) == ["p4", "p5"])
        #expect(try store.events(inRoom: "r", limit: 0).isEmpty)
        #expect(try store.events(inRoom: "r").count == 6, "other rooms' events are not included")
        #expect(throws: StoreError.unknownRoom("none")) { try store.events(inRoom: "none") }
    }

    @Test func aFailedCallLogsNothing() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r", maxParticipants: 1), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        #expect(throws: StoreError.roomFull(room: "r", maxParticipants: 1)) {
            try store.recordParticipantJoined(room: "r", identity: "bob", now: instant(2))
        }
        #expect(try store.events(inRoom: "r").map(\.type) == [.roomStarted, .participantJoined])
    }
}
