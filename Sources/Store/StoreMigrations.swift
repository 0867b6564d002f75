import GRDB

/// The schema, as an ordered list of migrations. Never edit a migration that has shipped; add one.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-rooms") { db in
            try db.create(table: "room") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull().unique()
                table.column("maxParticipants", .integer).notNull()
                table.column("emptyTimeoutSeconds", .integer).notNull()
                table.column("metadata", .text).notNull().defaults(to: "")
                table.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2-room-state", migrate: migrateToRoomState)
        return migrator
    }

    /// v2: rooms can be closed (and then share their name with a later room); participants,
    /// published tracks and a per-room event log, each deleted with its room.
    ///
    /// Written as literal SQL so the shipped schema cannot drift with GRDB's schema builder.
    private static func migrateToRoomState(_ db: Database) throws {
        // SQLite cannot drop v1's UNIQUE(name) in place: rebuild `room` (sqlite.org/lang_altertable.html
        // §7 "Making Other Kinds Of Table Schema Changes"), keeping ids and the AUTOINCREMENT counter
        // so an id of a deleted v1 room is never reused. GRDB runs migrations with foreign keys
        // off and checks them at the end; no table references `room` yet.
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'room'")
        try db.execute(sql: """
            CREATE TABLE room_v2 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                maxParticipants INTEGER NOT NULL,
                emptyTimeoutSeconds INTEGER NOT NULL,
                metadata TEXT NOT NULL DEFAULT '',
                createdAt DATETIME NOT NULL,
                closedAt DATETIME
            );
            INSERT INTO room_v2 (id, name, maxParticipants, emptyTimeoutSeconds, metadata, createdAt)
                SELECT id, name, maxParticipants, emptyTimeoutSeconds, metadata, createdAt FROM room;
            DROP TABLE room;
            ALTER TABLE room_v2 RENAME TO room;
            CREATE UNIQUE INDEX room_openName ON room(name) WHERE closedAt IS NULL;
            CREATE INDEX room_name ON room(name);
            """)
        if let sequence {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'room'")
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('room', ?)",
                           arguments: [sequence])
        }

        try db.execute(sql: """
            CREATE TABLE participant (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                roomId INTEGER NOT NULL REFERENCES room(id) ON DELETE CASCADE,
                identity TEXT NOT NULL,
                name TEXT NOT NULL DEFAULT '',
                metadata TEXT NOT NULL DEFAULT '',
                canPublish BOOLEAN NOT NULL,
                canSubscribe BOOLEAN NOT NULL,
                canPublishData BOOLEAN NOT NULL,
                hidden BOOLEAN NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('joining', 'joined', 'left')),
                joinedAt DATETIME NOT NULL,
                leftAt DATETIME,
                leaveReason TEXT,
                UNIQUE (roomId, identity)
            );
            CREATE INDEX participant_state ON participant(state);

            CREATE TABLE track (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                roomId INTEGER NOT NULL REFERENCES room(id) ON DELETE CASCADE,
                participantIdentity TEXT NOT NULL,
                trackId TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
                source TEXT NOT NULL,
                muted BOOLEAN NOT NULL,
                publishedAt DATETIME NOT NULL,
                unpublishedAt DATETIME,
                UNIQUE (roomId, trackId),
                FOREIGN KEY (roomId, participantIdentity)
                    REFERENCES participant(roomId, identity) ON DELETE CASCADE
            );
            CREATE INDEX track_participant ON track(roomId, participantIdentity);

            CREATE TABLE roomEvent (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                roomId INTEGER NOT NULL REFERENCES room(id) ON DELETE CASCADE,
                at DATETIME NOT NULL,
                type TEXT NOT NULL,
                participantIdentity TEXT,
                trackId TEXT,
                detail TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX roomEvent_room ON roomEvent(roomId, id);
            """)
    }
}
