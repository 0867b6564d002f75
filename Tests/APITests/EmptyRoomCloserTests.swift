import API
import Foundation
import Logging
import Store
import Testing

@Suite struct EmptyRoomCloserTests {
    @Test func roomsPastTheirEmptyTimeoutAreClosedOthersStay() throws {
        let folder = NSTemporaryDirectory() + "parley-closer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try RoomStore(path: folder + "/parley.sqlite")
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        try store.createRoom(NewRoom(name: "short", emptyTimeoutSeconds: 60), now: created)
        try store.createRoom(NewRoom(name: "long", emptyTimeoutSeconds: 3600), now: created)
        let closer = EmptyRoomCloser(store: store, logger: Logger(label: "test"))

        #expect(closer.closeExpiredRooms(now: created.addingTimeInterval(30)).isEmpty)
        #expect(closer.closeExpiredRooms(now: created.addingTimeInterval(61)) == ["short"])
        #expect(try store.openRooms().map(\.name) == ["long"])
        #expect(try store.room(named: "short")?.closedAt != nil)
        #expect(closer.closeExpiredRooms(now: created.addingTimeInterval(62)).isEmpty, "closed once")
    }
}
