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

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Rows read back from the table always have an id.
    var record: RoomRecord {
        RoomRecord(id: id ?? 0, name: name, maxParticipants: maxParticipants,
                   emptyTimeoutSeconds: emptyTimeoutSeconds, metadata: metadata, createdAt: createdAt)
    }
}
