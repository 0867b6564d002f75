public import Foundation
import GRDB

extension RoomStore {
    /// Records that a participant's signalling connected, before its transport is up. It
    /// counts towards `maxParticipants` and keeps the room from being empty. No event is
    /// logged until `recordParticipantJoined`.
    @discardableResult
    public func recordParticipantJoining(
        room: String, identity: String, name: String = "", metadata: String = "",
        permissions: ParticipantPermissions = ParticipantPermissions(), now: Date = Date()
    ) throws(StoreError) -> ParticipantRecord {
        try write { db in
            try Self.admit(room: room, identity: identity, name: name, metadata: metadata,
                           permissions: permissions, state: .joining, now: now, db)
        }
    }

    /// Records that a participant joined and logs `participantJoined`. A participant already
    /// `joining` becomes `joined` (keeping its `joinedAt`; the given name, metadata and
    /// permissions replace the earlier ones); one that left joins again in the same row.
    ///
    /// Throws `participantAlreadyJoined` for an identity already joined (the server decides
    /// whether to drop the old session: record its leave first), `roomFull` at
    /// `maxParticipants`, `roomClosed` / `unknownRoom` when there is no open room of that name.
    @discardableResult
    public func recordParticipantJoined(
        room: String, identity: String, name: String = "", metadata: String = "",
        permissions: ParticipantPermissions = ParticipantPermissions(), now: Date = Date()
    ) throws(StoreError) -> ParticipantRecord {
        try write { db in
            try Self.admit(room: room, identity: identity, name: name, metadata: metadata,
                           permissions: permissions, state: .joined, now: now, db)
        }
    }

    /// Records that a participant left (unpublishing its tracks) and logs it; this includes a
    /// participant that was only `joining` (so its `participantLeft` has no matching
    /// `participantJoined`). Leaving twice is not an error: the second call changes nothing and
    /// returns the stored record, so a late leave after `closeRoom` or `recoverAfterRestart` is
    /// harmless. Works on closed rooms too.
    @discardableResult
    public func recordParticipantLeft(room: String, identity: String, reason: String,
                                      now: Date = Date()) throws(StoreError) -> ParticipantRecord {
        try write { db in
            let roomRow = try RoomRow.existing(named: room, db)
            guard var participant = try ParticipantRow.find(roomID: roomRow.rowID, identity: identity, db) else {
                throw StoreError.unknownParticipant(room: room, identity: identity)
            }
            if participant.state != .left {
                try RoomStateTransitions.markLeft(&participant, reason: reason, now: now, db)
            }
            return participant.record
        }
    }

    /// The room's participants in the order they first joined; without `includeLeft`, only
    /// those joining or joined.
    public func participants(inRoom room: String, includeLeft: Bool = false) throws(StoreError) -> [ParticipantRecord] {
        try read { db in
            let roomRow = try RoomRow.existing(named: room, db)
            var request = ParticipantRow.filter(Column("roomId") == roomRow.rowID)
            if !includeLeft {
                request = request.filter(Column("state") != ParticipantState.left.rawValue)
            }
            return try request.order(Column("id")).fetchAll(db).map(\.record)
        }
    }

    /// One participant, in any state; nil if that identity never joined the room.
    public func participant(room: String, identity: String) throws(StoreError) -> ParticipantRecord? {
        try read { db in
            let roomRow = try RoomRow.existing(named: room, db)
            return try ParticipantRow.find(roomID: roomRow.rowID, identity: identity, db)?.record
        }
    }

    /// Changes a present participant's name, metadata or permissions; nil leaves a field as it
    /// is. Nothing is logged (the event log records joins, leaves and tracks only).
    @discardableResult
    public func updateParticipant(room: String, identity: String, name: String? = nil,
                                  metadata: String? = nil, permissions: ParticipantPermissions? = nil)
        throws(StoreError) -> ParticipantRecord
    {
        try write { db in
            let roomRow = try RoomRow.open(named: room, db)
            guard var participant = try ParticipantRow.find(roomID: roomRow.rowID, identity: identity, db) else {
                throw StoreError.unknownParticipant(room: room, identity: identity)
            }
            guard participant.state != .left else {
                throw StoreError.participantHasLeft(room: room, identity: identity)
            }
            if let name { participant.name = name }
            if let metadata { participant.metadata = metadata }
            if let permissions { participant.permissions = permissions }
            try participant.update(db)
            return participant.record
        }
    }

    /// Inserts or re-admits a participant in `state` (joining or joined).
    private static func admit(room: String, identity: String, name: String, metadata: String,
                              permissions: ParticipantPermissions, state: ParticipantState,
                              now: Date, _ db: Database) throws -> ParticipantRecord {
        let roomRow = try RoomRow.open(named: room, db)
        let existing = try ParticipantRow.find(roomID: roomRow.rowID, identity: identity, db)
        switch existing?.state {
        case .joined?:
            throw StoreError.participantAlreadyJoined(room: room, identity: identity)
        case .joining?:
            // Already counted; only `joined` may follow.
            guard state == .joined else {
                throw StoreError.participantAlreadyJoined(room: room, identity: identity)
            }
        case .left?, nil:
            if roomRow.maxParticipants > 0 {
                let present = try ParticipantRow
                    .filter(Column("roomId") == roomRow.rowID && Column("state") != ParticipantState.left.rawValue)
                    .fetchCount(db)
                if present >= roomRow.maxParticipants {
                    throw StoreError.roomFull(room: room, maxParticipants: roomRow.maxParticipants)
                }
            }
        }

        var row = existing ?? ParticipantRow(
            id: nil, roomId: roomRow.rowID, identity: identity, name: name, metadata: metadata,
            canPublish: true, canSubscribe: true, canPublishData: true, hidden: false,
            state: state, joinedAt: now, leftAt: nil, leaveReason: nil)
        if existing?.state != .joining { row.joinedAt = now }
        row.name = name
        row.metadata = metadata
        row.permissions = permissions
        row.state = state
        row.leftAt = nil
        row.leaveReason = nil
        try row.save(db)
        if state == .joined {
            try RoomEventRow.log(.participantJoined, roomID: roomRow.rowID, at: now,
                                 participant: identity, db)
        }
        return row.record
    }
}
