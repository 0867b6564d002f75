public import Foundation
import GRDB

extension RoomStore {
    /// Records a track a present participant published and logs `trackPublished` (detail:
    /// "kind/source"). Track ids are unique within a room, including unpublished ones.
    @discardableResult
    public func recordTrackPublished(
        room: String, participant identity: String, trackID: String, kind: TrackKind,
        source: TrackSource = .unknown, muted: Bool = false, now: Date = Date()
    ) throws(StoreError) -> TrackRecord {
        try write { db in
            let roomRow = try RoomRow.open(named: room, db)
            guard let participant = try ParticipantRow.find(roomID: roomRow.rowID, identity: identity, db) else {
                throw StoreError.unknownParticipant(room: room, identity: identity)
            }
            guard participant.state != .left else {
                throw StoreError.participantHasLeft(room: room, identity: identity)
            }
            if try TrackRow.find(roomID: roomRow.rowID, trackID: trackID, db) != nil {
                throw StoreError.duplicateTrack(room: room, trackID: trackID)
            }
            var track = TrackRow(id: nil, roomId: roomRow.rowID, participantIdentity: identity,
                                 trackId: trackID, kind: kind, source: source, muted: muted,
                                 publishedAt: now, unpublishedAt: nil)
            try track.insert(db)
            try RoomEventRow.log(.trackPublished, roomID: roomRow.rowID, at: now, participant: identity,
                                 track: trackID, detail: "\(kind.rawValue)/\(source.rawValue)", db)
            return track.record
        }
    }

    /// Records that a track was unpublished and logs it. Unpublishing twice is not an error:
    /// the second call changes nothing (a participant's leave already unpublishes its tracks).
    @discardableResult
    public func recordTrackUnpublished(room: String, trackID: String,
                                       now: Date = Date()) throws(StoreError) -> TrackRecord {
        try write { db in
            let roomRow = try RoomRow.existing(named: room, db)
            guard var track = try TrackRow.find(roomID: roomRow.rowID, trackID: trackID, db) else {
                throw StoreError.unknownTrack(room: room, trackID: trackID)
            }
            if track.unpublishedAt == nil {
                try RoomStateTransitions.unpublish(&track, now: now, db)
            }
            return track.record
        }
    }

    /// Mutes or unmutes a published track (not logged).
    @discardableResult
    public func setTrackMuted(room: String, trackID: String, muted: Bool) throws(StoreError) -> TrackRecord {
        try write { db in
            let roomRow = try RoomRow.existing(named: room, db)
            guard var track = try TrackRow.find(roomID: roomRow.rowID, trackID: trackID, db) else {
                throw StoreError.unknownTrack(room: room, trackID: trackID)
            }
            guard track.unpublishedAt == nil else {
                throw StoreError.trackUnpublished(room: room, trackID: trackID)
            }
            track.muted = muted
            try track.update(db)
            return track.record
        }
    }

    /// The room's tracks in publishing order; with `activeOnly`, only those still published.
    public func tracks(inRoom room: String, activeOnly: Bool = true) throws(StoreError) -> [TrackRecord] {
        try read { db in
            let roomRow = try RoomRow.existing(named: room, db)
            var request = TrackRow.filter(Column("roomId") == roomRow.rowID)
            if activeOnly {
                request = request.filter(Column("unpublishedAt") == nil)
            }
            return try request.order(Column("id")).fetchAll(db).map(\.record)
        }
    }

    /// One track, published or not; nil if the room never had it.
    public func track(room: String, trackID: String) throws(StoreError) -> TrackRecord? {
        try read { db in
            let roomRow = try RoomRow.existing(named: room, db)
            return try TrackRow.find(roomID: roomRow.rowID, trackID: trackID, db)?.record
        }
    }
}
