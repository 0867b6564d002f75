import Foundation
import GRDB

/// The `roomEvent` table's row (migration "v2-room-state"). Internal, like `RoomRow`.
struct RoomEventRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "roomEvent"

    var id: Int64?
    var roomId: Int64
    var at: Date
    var type: RoomEventType
    var participantIdentity: String?
    var trackId: String?
    var detail: String

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var record: RoomEvent {
        RoomEvent(id: id ?? 0, roomID: roomId, at: at, type: type,
                  participantIdentity: participantIdentity, trackID: trackId, detail: detail)
    }

    /// Appends an event; call inside the write transaction that makes the change it records.
    static func log(_ type: RoomEventType, roomID: Int64, at: Date, participant: String? = nil,
                    track: String? = nil, detail: String = "", _ db: Database) throws {
        var row = RoomEventRow(id: nil, roomId: roomID, at: at, type: type,
                               participantIdentity: participant, trackId: track, detail: detail)
        try row.insert(db)
    }
}
