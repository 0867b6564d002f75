import Foundation
import GRDB

/// The `room` table's row. Kept internal so GRDB does not become part of Store's public API.
struct RoomRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "room"

    var id: Int64?
    var name: String
    var maxParticipants: Int
    var emptyTimeoutSeconds: Int
    var metadata: String
    var createdAt: Date
    /// Added by migration "v2-room-state".
    var closedAt: Date?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Rows read back from the table always have an id.
    var record: RoomRecord {
        RoomRecord(id: id ?? 0, name: name, maxParticipants: maxParticipants,
                   emptyTimeoutSeconds: emptyTimeoutSeconds, metadata: metadata, createdAt: createdAt,
                   closedAt: closedAt)
    }
}

extension RoomRow {
    /// The room a name refers to: the open room of that name, else the most recently created
    /// closed one (open-room names are unique, closed rooms may share a name).
    static func current(named name: String, _ db: Database) throws -> RoomRow? {
        try RoomRow.fetchOne(db, sql: """
            SELECT * FROM room WHERE name = ?
            ORDER BY closedAt IS NOT NULL, id DESC LIMIT 1
            """, arguments: [name])
    }

    /// The room a name refers to, which must exist.
    static func existing(named name: String, _ db: Database) throws -> RoomRow {
        guard let room = try current(named: name, db) else { throw StoreError.unknownRoom(name) }
        return room
    }

    /// The open room of that name, for writes: a closed room accepts no new state.
    static func open(named name: String, _ db: Database) throws -> RoomRow {
        let room = try existing(named: name, db)
        guard room.closedAt == nil else { throw StoreError.roomClosed(name) }
        return room
    }

    /// The row id; rows read from the table always have one.
    var rowID: Int64 { id ?? 0 }
}
