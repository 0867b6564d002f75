import Foundation
@_spi(Testing) import Store
import Testing

@Suite struct RoomLifecycleTests {
    @Test func updateRoomChangesOnlyTheGivenFields() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r", maxParticipants: 4, emptyTimeoutSeconds: 30, metadata: "a"),
                             now: instant(0))
        let updated = try store.updateRoom(named: "r", metadata: "b")
        #expect(updated.metadata == "b")
        #expect(updated.maxParticipants == 4)
        try store.updateRoom(named: "r", maxParticipants: 10, emptyTimeoutSeconds: 5)
        let read = try #require(try store.room(named: "r"))
        #expect(read.metadata == "b")
        #expect(read.maxParticipants == 10)
        #expect(read.emptyTimeoutSeconds == 5)
        #expect(read.createdAt == instant(0))
        #expect(throws: StoreError.unknownRoom("nope")) { try store.updateRoom(named: "nope", metadata: "x") }
    }

    @Test func closingARoomRecordsClosedAtAndFreesItsName() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        let first = try store.createRoom(NewRoom(name: "daily"), now: instant(0))
        #expect(first.isOpen)
        let closed = try store.closeRoom(named: "daily", now: instant(60))
        #expect(closed.closedAt == instant(60))
        #expect(!closed.isOpen)
        #expect(try store.openRooms().isEmpty)

        // A closed room no longer accepts changes.
        #expect(throws: StoreError.roomClosed("daily")) { try store.closeRoom(named: "daily", now: instant(61)) }
        #expect(throws: StoreError.roomClosed("daily")) { try store.updateRoom(named: "daily", metadata: "x") }
        #expect(throws: StoreError.roomClosed("daily")) {
            try store.recordParticipantJoined(room: "daily", identity: "alice", now: instant(61))
        }

        // Its name can be reused; the name now means the open room.
        let second = try store.createRoom(NewRoom(name: "daily"), now: instant(100))
        #expect(second.id != first.id)
        #expect(try store.room(named: "daily")?.id == second.id)
        #expect(try store.room(id: first.id)?.closedAt == instant(60))
        #expect(try store.rooms().map(\.id) == [first.id, second.id])
        #expect(try store.openRooms().map(\.id) == [second.id])
        #expect(throws: StoreError.duplicateRoomName("daily")) { try store.createRoom(NewRoom(name: "daily")) }

        // Deleting by name removes the whole history of that name.
        #expect(try store.deleteRoom(named: "daily"))
        #expect(try store.rooms().isEmpty)
    }

    @Test func closingARoomRemovesItsRemainingParticipants() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_a", kind: .audio,
                                       now: instant(2))
        try store.closeRoom(named: "r", now: instant(10))

        let alice = try #require(try store.participant(room: "r", identity: "alice"))
        #expect(alice.state == .left)
        #expect(alice.leftAt == instant(10))
        #expect(alice.leaveReason == ParticipantLeaveReason.roomClosed)
        #expect(try store.tracks(inRoom: "r", activeOnly: true).isEmpty)
        #expect(try store.events(inRoom: "r").map(\.type)
            == [.roomStarted, .participantJoined, .trackPublished, .trackUnpublished, .participantLeft, .roomFinished])
        // A late leave from the server is harmless.
        #expect(try store.recordParticipantLeft(room: "r", identity: "alice", reason: "late", now: instant(11))
            .leaveReason == ParticipantLeaveReason.roomClosed)
    }

    @Test func deletingARoomCascadesToItsParticipantsTracksAndEvents() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        for name in ["doomed", "kept"] {
            try store.createRoom(NewRoom(name: name), now: instant(0))
            try store.recordParticipantJoined(room: name, identity: "alice", now: instant(1))
            try store.recordParticipantJoined(room: name, identity: "bob", now: instant(2))
            try store.recordTrackPublished(room: name, participant: "alice", trackID: "TR_1", kind: .video,
                                           source: .camera, now: instant(3))
        }
        let before = try store.rowCountsForTesting()
        #expect(before == ["room": 2, "participant": 4, "track": 2, "roomEvent": 8])

        #expect(try store.deleteRoom(named: "doomed"))
        #expect(try store.rowCountsForTesting() == ["room": 1, "participant": 2, "track": 1, "roomEvent": 4])
        #expect(throws: StoreError.unknownRoom("doomed")) { try store.participants(inRoom: "doomed") }
        #expect(try store.participants(inRoom: "kept").map(\.identity) == ["alice", "bob"])
        #expect(try store.tracks(inRoom: "kept").map(\.trackID) == ["TR_1"])
    }
}
