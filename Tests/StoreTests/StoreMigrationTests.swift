import Foundation
@_spi(Testing) import Store
import Testing

@Suite struct StoreMigrationTests {
    static let allMigrations = ["v1-rooms", "v2-room-state"]

    /// Rooms as a v1 Parley wrote them: ids 1-3 created, 3 deleted (so the AUTOINCREMENT
    /// counter is ahead of the largest id). GRDB stores dates as UTC "yyyy-MM-dd HH:mm:ss.SSS".
    static let v1Rows = """
        INSERT INTO room (id, name, maxParticipants, emptyTimeoutSeconds, metadata, createdAt)
            VALUES (1, 'standup', 8, 60, '{"team":1}', '2027-01-15 08:00:00.000');
        INSERT INTO room (id, name, maxParticipants, emptyTimeoutSeconds, metadata, createdAt)
            VALUES (2, 'all-hands', 0, 300, '', '2027-01-15 09:30:00.000');
        INSERT INTO room (id, name, maxParticipants, emptyTimeoutSeconds, metadata, createdAt)
            VALUES (3, 'deleted', 0, 300, '', '2027-01-15 09:31:00.000');
        DELETE FROM room WHERE id = 3;
        """

    /// v1's schema as its migration created it, and GRDB's record of it having run.
    static let v1Schema = """
        CREATE TABLE "room" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL UNIQUE, \
        "maxParticipants" INTEGER NOT NULL, "emptyTimeoutSeconds" INTEGER NOT NULL, \
        "metadata" TEXT NOT NULL DEFAULT '', "createdAt" DATETIME NOT NULL);
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES ('v1-rooms');
        """

    @Test func aFreshDatabaseHasEveryMigration() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        #expect(try store.appliedMigrations() == Self.allMigrations)
    }

    @Test(arguments: [true, false])
    func aV1DatabaseUpgradesWithItsRoomsIntact(createdByTheV1Migrator: Bool) throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/v1.sqlite"
        if createdByTheV1Migrator {
            try RoomStore.createDatabaseForTesting(at: path, migratedUpTo: "v1-rooms", executing: Self.v1Rows)
        } else {
            try RoomStore.createDatabaseForTesting(at: path, migratedUpTo: nil,
                                                   executing: Self.v1Schema + Self.v1Rows)
        }

        let store = try RoomStore(path: path)
        #expect(try store.appliedMigrations() == Self.allMigrations)
        let rooms = try store.rooms()
        #expect(rooms.map(\.id) == [2, 1])
        let standup = try #require(rooms.last)
        #expect(standup.name == "standup")
        #expect(standup.maxParticipants == 8)
        #expect(standup.emptyTimeoutSeconds == 60)
        #expect(standup.metadata == "{\"team\":1}")
        #expect(standup.closedAt == nil)
        let createdAt = try #require(ISO8601DateFormatter().date(from: "2027-01-15T08:00:00Z"))
        #expect(standup.createdAt == createdAt)

        // Upgraded rooms take part in the new state, and names stay unique among open rooms.
        try store.recordParticipantJoined(room: "standup", identity: "alice", now: instant(0))
        #expect(try store.participants(inRoom: "standup").map(\.identity) == ["alice"])
        #expect(throws: StoreError.duplicateRoomName("standup")) { try store.createRoom(NewRoom(name: "standup")) }
        // The id of the room deleted under v1 is not reused.
        #expect(try store.createRoom(NewRoom(name: "new"), now: instant(0)).id == 4)
        #expect(try store.rowCountsForTesting()["room"] == 3)
    }

    @Test func upgradingTwiceIsANoOp() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/v1.sqlite"
        try RoomStore.createDatabaseForTesting(at: path, migratedUpTo: "v1-rooms", executing: Self.v1Rows)
        do { _ = try RoomStore(path: path) }
        let reopened = try RoomStore(path: path)
        #expect(try reopened.appliedMigrations() == Self.allMigrations)
        #expect(try reopened.rooms().map(\.name) == ["all-hands", "standup"])
    }
}
