import Foundation
import Store
import Testing

@Suite struct EmptyRoomTests {
    @Test func aRoomNoOneJoinedIsEmptySinceItsCreation() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r", emptyTimeoutSeconds: 60), now: instant(0))
        #expect(try store.roomEmptySince(named: "r") == instant(0))
        #expect(try store.emptyRoomsToClose(now: instant(59)).isEmpty)
        #expect(try store.emptyRoomsToClose(now: instant(60)).isEmpty, "more than the timeout, not equal")
        #expect(try store.emptyRoomsToClose(now: instant(61)).map(\.name) == ["r"])
    }

    @Test func aRoomWithSomeoneJoiningOrJoinedIsNeverClosed() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "joined", emptyTimeoutSeconds: 10), now: instant(0))
        try store.createRoom(NewRoom(name: "joining", emptyTimeoutSeconds: 10), now: instant(0))
        try store.recordParticipantJoined(room: "joined", identity: "a", now: instant(1))
        try store.recordParticipantJoining(room: "joining", identity: "b", now: instant(1))
        #expect(try store.roomEmptySince(named: "joined") == nil)
        #expect(try store.roomEmptySince(named: "joining") == nil)
        #expect(try store.emptyRoomsToClose(now: instant(100_000)).isEmpty)
    }

    @Test func theTimeoutRunsFromTheLastLeave() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r", emptyTimeoutSeconds: 60), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "a", now: instant(10))
        try store.recordParticipantJoined(room: "r", identity: "b", now: instant(20))
        try store.recordParticipantLeft(room: "r", identity: "b", reason: "bye", now: instant(100))
        #expect(try store.roomEmptySince(named: "r") == nil, "a is still there")
        try store.recordParticipantLeft(room: "r", identity: "a", reason: "bye", now: instant(200))
        #expect(try store.roomEmptySince(named: "r") == instant(200))
        #expect(try store.emptyRoomsToClose(now: instant(260)).isEmpty)
        #expect(try store.emptyRoomsToClose(now: instant(261)).map(\.name) == ["r"])
    }

    @Test func selectionUsesEachRoomsOwnTimeoutAndSkipsClosedRooms() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "short", emptyTimeoutSeconds: 10), now: instant(0))
        try store.createRoom(NewRoom(name: "long", emptyTimeoutSeconds: 1000), now: instant(0))
        try store.createRoom(NewRoom(name: "finished", emptyTimeoutSeconds: 0), now: instant(0))
        try store.closeRoom(named: "finished", now: instant(1))
        #expect(try store.emptyRoomsToClose(now: instant(500)).map(\.name) == ["short"])

        // The server's loop: close what is selected; it is not selected again.
        for room in try store.emptyRoomsToClose(now: instant(500)) {
            try store.closeRoom(named: room.name, now: instant(500))
        }
        #expect(try store.emptyRoomsToClose(now: instant(500)).isEmpty)
        #expect(try store.emptyRoomsToClose(now: instant(1001)).map(\.name) == ["long"])
        #expect(try store.events(inRoom: "short").last?.type == .roomFinished)
    }
}
