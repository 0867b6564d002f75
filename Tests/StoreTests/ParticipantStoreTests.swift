import Foundation
import Store
import Testing

@Suite struct ParticipantStoreTests {
    @Test func joinedParticipantRoundTripsEveryField() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        let room = try store.createRoom(NewRoom(name: "r"), now: instant(0))
        let permissions = ParticipantPermissions(canPublish: false, canSubscribe: true,
                                                 canPublishData: false, hidden: true)
        let recorded = try store.recordParticipantJoined(room: "r", identity: "alice", name: "Alice",
                                                         metadata: "{\"seat\":3}", permissions: permissions,
                                                         now: instant(5))
        let expected = ParticipantRecord(roomID: room.id, identity: "alice", name: "Alice",
                                         metadata: "{\"seat\":3}", permissions: permissions, state: .joined,
                                         joinedAt: instant(5), leftAt: nil, leaveReason: nil)
        #expect(recorded == expected)
        #expect(try store.participant(room: "r", identity: "alice") == expected)
        #expect(try store.participants(inRoom: "r") == [expected])
        #expect(try store.participant(room: "r", identity: "nobody") == nil)
        #expect(throws: StoreError.unknownRoom("x")) { try store.participant(room: "x", identity: "alice") }
    }

    @Test func leftParticipantsAreListedOnlyWhenAsked() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recordParticipantJoined(room: "r", identity: "bob", now: instant(2))
        let left = try store.recordParticipantLeft(room: "r", identity: "alice", reason: "client closed",
                                                   now: instant(9))
        #expect(left.state == .left)
        #expect(left.leftAt == instant(9))
        #expect(left.leaveReason == "client closed")
        #expect(!left.isActive)

        #expect(try store.participants(inRoom: "r").map(\.identity) == ["bob"])
        #expect(try store.participants(inRoom: "r", includeLeft: true).map(\.identity) == ["alice", "bob"])
        // Leaving twice changes nothing.
        let again = try store.recordParticipantLeft(room: "r", identity: "alice", reason: "other", now: instant(20))
        #expect(again == left)
        #expect(throws: StoreError.unknownParticipant(room: "r", identity: "carol")) {
            try store.recordParticipantLeft(room: "r", identity: "carol", reason: "x", now: instant(20))
        }
    }

    @Test func joiningThenJoinedKeepsTheJoiningTime() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        let joining = try store.recordParticipantJoining(room: "r", identity: "alice", name: "A", now: instant(1))
        #expect(joining.state == .joining)
        #expect(joining.isActive)
        #expect(try store.events(inRoom: "r").map(\.type) == [.roomStarted], "joining is not logged")

        let joined = try store.recordParticipantJoined(room: "r", identity: "alice", name: "Alice", now: instant(3))
        #expect(joined.state == .joined)
        #expect(joined.joinedAt == instant(1))
        #expect(joined.name == "Alice")
        #expect(try store.participants(inRoom: "r").count == 1)
        let event = try #require(try store.events(inRoom: "r").last)
        #expect(event.type == .participantJoined)
        #expect(event.at == instant(3))
    }

    @Test func aJoinedIdentityCannotJoinTwiceButCanRejoinAfterLeaving() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", metadata: "first", now: instant(1))
        #expect(throws: StoreError.participantAlreadyJoined(room: "r", identity: "alice")) {
            try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(2))
        }
        #expect(throws: StoreError.participantAlreadyJoined(room: "r", identity: "alice")) {
            try store.recordParticipantJoining(room: "r", identity: "alice", now: instant(2))
        }
        try store.recordParticipantLeft(room: "r", identity: "alice", reason: "network", now: instant(3))
        let back = try store.recordParticipantJoined(room: "r", identity: "alice", metadata: "second", now: instant(4))
        #expect(back.state == .joined)
        #expect(back.joinedAt == instant(4))
        #expect(back.leftAt == nil)
        #expect(back.leaveReason == nil)
        #expect(back.metadata == "second")
        #expect(try store.participants(inRoom: "r", includeLeft: true).count == 1, "one row per identity")
        #expect(try store.events(inRoom: "r").map(\.type)
            == [.roomStarted, .participantJoined, .participantLeft, .participantJoined])
    }

    @Test func maxParticipantsCountsJoiningAndJoinedOnly() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "small", maxParticipants: 2), now: instant(0))
        try store.recordParticipantJoined(room: "small", identity: "a", now: instant(1))
        try store.recordParticipantJoining(room: "small", identity: "b", now: instant(2))
        #expect(throws: StoreError.roomFull(room: "small", maxParticipants: 2)) {
            try store.recordParticipantJoined(room: "small", identity: "c", now: instant(3))
        }
        // Promoting a joining participant is not a new admission.
        try store.recordParticipantJoined(room: "small", identity: "b", now: instant(3))
        try store.recordParticipantLeft(room: "small", identity: "a", reason: "bye", now: instant(4))
        try store.recordParticipantJoined(room: "small", identity: "c", now: instant(5))
        #expect(try store.participants(inRoom: "small").map(\.identity) == ["b", "c"])
    }

    @Test func updateParticipantChangesOnlyTheGivenFields() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", name: "Alice", metadata: "m1", now: instant(1))
        let viewer = ParticipantPermissions(canPublish: false)
        try store.updateParticipant(room: "r", identity: "alice", permissions: viewer)
        try store.updateParticipant(room: "r", identity: "alice", metadata: "m2")
        let read = try #require(try store.participant(room: "r", identity: "alice"))
        #expect(read.permissions == viewer)
        #expect(read.metadata == "m2")
        #expect(read.name == "Alice")

        #expect(throws: StoreError.unknownParticipant(room: "r", identity: "bob")) {
            try store.updateParticipant(room: "r", identity: "bob", metadata: "x")
        }
        try store.recordParticipantLeft(room: "r", identity: "alice", reason: "bye", now: instant(2))
        #expect(throws: StoreError.participantHasLeft(room: "r", identity: "alice")) {
            try store.updateParticipant(room: "r", identity: "alice", metadata: "x")
        }
    }

    @Test func unknownRoomIsATypedError() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        #expect(throws: StoreError.unknownRoom("ghost")) {
            try store.recordParticipantJoined(room: "ghost", identity: "a", now: instant(0))
        }
        #expect(throws: StoreError.unknownRoom("ghost")) { try store.participants(inRoom: "ghost") }
    }
}
