import Foundation
import GRDB

/// The state changes several calls share (leave, close, restart recovery). Each runs inside
/// the caller's write transaction and logs its event there.
enum RoomStateTransitions {
    /// Unpublishes an active track and logs `trackUnpublished`.
    static func unpublish(_ track: inout TrackRow, now: Date, detail: String = "", _ db: Database) throws {
        track.unpublishedAt = now
        try track.update(db)
        try RoomEventRow.log(.trackUnpublished, roomID: track.roomId, at: now,
                             participant: track.participantIdentity, track: track.trackId,
                             detail: detail, db)
    }

    /// Marks an active participant left, first unpublishing its tracks; logs every change.
    /// Returns how many tracks it unpublished.
    @discardableResult
    static func markLeft(_ participant: inout ParticipantRow, reason: String, now: Date,
                         _ db: Database) throws -> Int {
        var tracks = try TrackRow
            .filter(Column("roomId") == participant.roomId
                && Column("participantIdentity") == participant.identity
                && Column("unpublishedAt") == nil)
            .order(Column("id"))
            .fetchAll(db)
        for index in tracks.indices {
            try unpublish(&tracks[index], now: now, detail: reason, db)
        }
        participant.state = .left
        participant.leftAt = now
        participant.leaveReason = reason
        try participant.update(db)
        try RoomEventRow.log(.participantLeft, roomID: participant.roomId, at: now,
                             participant: participant.identity, detail: reason, db)
        return tracks.count
    }
}
