import Foundation
import GRDB

/// The `participant` table's row (migration "v2-room-state"). Internal, like `RoomRow`.
struct ParticipantRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "participant"

    var id: Int64?
    var roomId: Int64
    var identity: String
    var name: String
    var metadata: String
    var canPublish: Bool
    var canSubscribe: Bool
    var canPublishData: Bool
    var hidden: Bool
    var state: ParticipantState
    var joinedAt: Date
    var leftAt: Date?
    var leaveReason: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var permissions: ParticipantPermissions {
        get {
            ParticipantPermissions(canPublish: canPublish, canSubscribe: canSubscribe,
                                   canPublishData: canPublishData, hidden: hidden)
        }
        set {
            canPublish = newValue.canPublish
            canSubscribe = newValue.canSubscribe
            canPublishData = newValue.canPublishData
            hidden = newValue.hidden
        }
    }

    var record: ParticipantRecord {
        ParticipantRecord(roomID: roomId, identity: identity, name: name, metadata: metadata,
                          permissions: permissions, state: state, joinedAt: joinedAt,
                          leftAt: leftAt, leaveReason: leaveReason)
    }

    static func find(roomID: Int64, identity: String, _ db: Database) throws -> ParticipantRow? {
        try ParticipantRow
            .filter(Column("roomId") == roomID && Column("identity") == identity)
            .fetchOne(db)
    }
}
