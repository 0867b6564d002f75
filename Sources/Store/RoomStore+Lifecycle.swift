public import Foundation
import GRDB

/// What `RoomStore.recoverAfterRestart(now:)` changed.
public struct RecoverySummary: Codable, Equatable, Sendable {
    /// Participants that were joining or joined when the previous process stopped, now left.
    public var participantsMarkedLeft: Int
    /// Tracks that were still published, now unpublished.
    public var tracksUnpublished: Int
    /// Names of the rooms that had such participants, sorted; their empty timeout now starts
    /// at the restart.
    public var roomNames: [String]

    public init(participantsMarkedLeft: Int = 0, tracksUnpublished: Int = 0, roomNames: [String] = []) {
        self.participantsMarkedLeft = participantsMarkedLeft
        self.tracksUnpublished = tracksUnpublished
        self.roomNames = roomNames
    }
}

extension RoomStore {
    /// Call once at server start, before accepting connections. No participant survives a
    /// restart (their transports died with the old process), so every participant still
    /// joining or joined is marked left with reason "server restarted" and its tracks
    /// unpublished, each change logged, all in one transaction. Running it again finds nothing.
    ///
    /// This is sound after `kill -9`: WAL commits are durable once a call returns, so the
    /// database holds exactly the committed joins and leaves (after a power loss, possibly
    /// minus the last few, which is equally consistent).
    @discardableResult
    public func recoverAfterRestart(now: Date = Date()) throws(StoreError) -> RecoverySummary {
        try write { db in
            var participants = try ParticipantRow
                .filter(Column("state") != ParticipantState.left.rawValue)
                .order(Column("id"))
                .fetchAll(db)
            var summary = RecoverySummary()
            var roomIDs = Set<Int64>()
            for index in participants.indices {
                summary.tracksUnpublished += try RoomStateTransitions.markLeft(
                    &participants[index], reason: ParticipantLeaveReason.serverRestarted, now: now, db)
                roomIDs.insert(participants[index].roomId)
            }
            // A track whose participant had already left should have been unpublished with it;
            // unpublish any such leftover so no track outlives the process.
            var orphans = try TrackRow.filter(Column("unpublishedAt") == nil).order(Column("id")).fetchAll(db)
            for index in orphans.indices {
                try RoomStateTransitions.unpublish(&orphans[index], now: now,
                                                   detail: ParticipantLeaveReason.serverRestarted, db)
                roomIDs.insert(orphans[index].roomId)
            }
            summary.tracksUnpublished += orphans.count
            summary.participantsMarkedLeft = participants.count
            summary.roomNames = try RoomRow.filter(keys: roomIDs).fetchAll(db).map(\.name).sorted()
            return summary
        }
    }

    /// When the room became empty: nil while a participant is joining or joined, else the time
    /// its last participant left, or its creation if no one ever joined.
    public func roomEmptySince(named name: String) throws(StoreError) -> Date? {
        try read { db in
            let room = try RoomRow.existing(named: name, db)
            return try Self.emptySince(room, db)
        }
    }

    /// Open rooms that have been empty for more than their `emptyTimeoutSeconds` at `now`
    /// (empty since their last participant left, or since creation if no one ever joined), by
    /// name. The server polls this and closes each with `closeRoom(named:now:)`.
    public func emptyRoomsToClose(now: Date = Date()) throws(StoreError) -> [RoomRecord] {
        try read { db in
            let open = try RoomRow.filter(Column("closedAt") == nil).order(Column("name")).fetchAll(db)
            return try open.filter { room in
                guard let since = try Self.emptySince(room, db) else { return false }
                return now.timeIntervalSince(since) > Double(room.emptyTimeoutSeconds)
            }.map(\.record)
        }
    }

    /// Finishes the open room of this name: participants still present leave with reason
    /// "room closed" (their tracks unpublished), then `closedAt` is set and `roomFinished`
    /// logged. The room and its history stay until `deleteRoom(named:)`; its name is free for
    /// a new room.
    @discardableResult
    public func closeRoom(named name: String, now: Date = Date()) throws(StoreError) -> RoomRecord {
        try write { db in
            var room = try RoomRow.open(named: name, db)
            var present = try ParticipantRow
                .filter(Column("roomId") == room.rowID && Column("state") != ParticipantState.left.rawValue)
                .order(Column("id"))
                .fetchAll(db)
            for index in present.indices {
                try RoomStateTransitions.markLeft(&present[index], reason: ParticipantLeaveReason.roomClosed,
                                                  now: now, db)
            }
            room.closedAt = now
            try room.update(db)
            try RoomEventRow.log(.roomFinished, roomID: room.rowID, at: now, db)
            return room.record
        }
    }

    private static func emptySince(_ room: RoomRow, _ db: Database) throws -> Date? {
        let present = try ParticipantRow
            .filter(Column("roomId") == room.rowID && Column("state") != ParticipantState.left.rawValue)
            .fetchCount(db)
        guard present == 0 else { return nil }
        let lastLeft = try Date.fetchOne(db, sql: "SELECT MAX(leftAt) FROM participant WHERE roomId = ?",
                                         arguments: [room.rowID])
        return lastLeft ?? room.createdAt
    }
}
