import Foundation
import Store
import Testing

/// A fresh folder per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "parley-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct RoomStoreTests {
    @Test func opensMigratesWritesAndReadsARealSQLiteFile() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/parley.sqlite"
        let store = try RoomStore(path: path)
        #expect(try store.appliedMigrations() == ["v1-rooms", "v2-room-state"])
        #expect(FileManager.default.fileExists(atPath: path))
        // WAL mode keeps a write-ahead log beside the database.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))

        let created = try store.createRoom(NewRoom(name: "standup", maxParticipants: 8,
                                                   emptyTimeoutSeconds: 60, metadata: "{\"team\":1}"))
        #expect(created.id > 0)
        let read = try #require(try store.room(named: "standup"))
        #expect(read.name == "standup")
        #expect(read.maxParticipants == 8)
        #expect(read.emptyTimeoutSeconds == 60)
        #expect(read.metadata == "{\"team\":1}")
        #expect(try store.room(named: "missing") == nil)
    }

    @Test func roomsSurviveReopeningTheFile() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/parley.sqlite"
        do {
            let store = try RoomStore(path: path)
            try store.createRoom(NewRoom(name: "b"))
            try store.createRoom(NewRoom(name: "a"))
        }
        let reopened = try RoomStore(path: path)
        #expect(try reopened.rooms().map(\.name) == ["a", "b"])
        #expect(try reopened.appliedMigrations() == ["v1-rooms", "v2-room-state"], "migrations run once")
    }

    @Test func duplicateRoomNameIsRejected() throws {
        let folder = try TemporaryDirectory()
        let store = try RoomStore(path: folder.path + "/parley.sqlite")
        try store.createRoom(NewRoom(name: "x"))
        #expect(throws: StoreError.duplicateRoomName("x")) { try store.createRoom(NewRoom(name: "x")) }
        #expect(try store.rooms().count == 1)
    }

    @Test func deleteRemovesOnlyTheNamedRoom() throws {
        let folder = try TemporaryDirectory()
        let store = try RoomStore(path: folder.path + "/parley.sqlite")
        try store.createRoom(NewRoom(name: "keep"))
        try store.createRoom(NewRoom(name: "drop"))
        #expect(try store.deleteRoom(named: "drop"))
        #expect(try !store.deleteRoom(named: "drop"))
        #expect(try store.rooms().map(\.name) == ["keep"])
    }

    @Test func unopenablePathIsATypedError() throws {
        let folder = try TemporaryDirectory()
        // A directory where the database file should be.
        let path = folder.path + "/taken"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect {
            try RoomStore(path: path)
        } throws: { error in
            guard case StoreError.cannotOpen(let failedPath, _) = error else { return false }
            return failedPath == path
        }
    }
}
