import Foundation
import GRDB

/// The `track` table's row (migration "v2-room-state"). Internal, like `RoomRow`.
struct TrackRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "track"

    var id: Int64?
    var roomId: Int64
    var participantIdentity: String
    var trackId: String
    var kind: TrackKind
    var source: TrackSource
    var muted: Bool
    var publishedAt: Date
    var unpublishedAt: Date?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var record: TrackRecord {
        TrackRecord(roomID: roomId, participantIdentity: participantIdentity, trackID: trackId,
                    kind: kind, source: source, muted: muted, publishedAt: publishedAt,
                    unpublishedAt: unpublishedAt)
    }

    static func find(roomID: Int64, trackID: String, _ db: Database) throws -> TrackRow? {
        try TrackRow.filter(Column("roomId") == roomID && Column("trackId") == trackID).fetchOne(db)
    }
}
