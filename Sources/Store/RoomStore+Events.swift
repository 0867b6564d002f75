import GRDB

extension RoomStore {
    /// The room's last `limit` events, oldest first (newest last). Order is the order they were
    /// written, which is also `at` order when callers pass increasing `now`s.
    public func events(inRoom room: String, limit: Int = 100) throws(StoreError) -> [RoomEvent] {
        try read { db in
            let roomRow = try RoomRow.existing(named: room, db)
            let newestFirst = try RoomEventRow
                .filter(Column("roomId") == roomRow.rowID)
                .order(Column("id").desc)
                .limit(max(0, limit))
                .fetchAll(db)
            return newestFirst.reversed().map(\.record)
        }
    }
}
