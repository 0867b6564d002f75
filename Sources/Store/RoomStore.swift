public import Foundation
import GRDB

/// Durable room state in one SQLite file (WAL mode, so readers never wait for the writer).
///
/// The control plane owns this; the media path never touches it. Every call is a synchronous
/// GRDB read or write transaction on the calling thread (a write may wait up to 5 s for another
/// process's lock): call it from signalling/API code, or wrap it in a `Task`, never from an
/// event loop that forwards packets. Each write call is one transaction, and the event it logs
/// is part of it, so after a crash the state and its log agree.
///
/// Durability: GRDB runs WAL with `synchronous = NORMAL`, so a transaction is durable against a
/// process crash (`kill -9`) once the call returns; an OS crash or power loss may lose the last
/// few commits but never corrupts the file. `recoverAfterRestart(now:)` handles either case.
///
/// Schema changes go through `StoreMigrations` so a database from an older Parley opens in a
/// newer one.
public final class RoomStore: Sendable {
    private let database: DatabasePool
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(5)
            database = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(database)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// The names of the migrations applied, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try StoreMigrations.migrator.appliedMigrations(db) }
    }

    // MARK: Rooms

    /// Creates a room and logs `roomStarted`. Names are unique among open rooms; a closed room's
    /// name can be used again.
    @discardableResult
    public func createRoom(_ room: NewRoom, now: Date = Date()) throws(StoreError) -> RoomRecord {
        try write { db in
            if try RoomRow.filter(Column("name") == room.name && Column("closedAt") == nil).fetchOne(db) != nil {
                throw StoreError.duplicateRoomName(room.name)
            }
            var row = RoomRow(id: nil, name: room.name, maxParticipants: room.maxParticipants,
                              emptyTimeoutSeconds: room.emptyTimeoutSeconds,
                              metadata: room.metadata, createdAt: now, closedAt: nil)
            try row.insert(db)
            try RoomEventRow.log(.roomStarted, roomID: row.rowID, at: now, db)
            return row.record
        }
    }

    /// The open room with this name, or else the most recently created closed one.
    public func room(named name: String) throws(StoreError) -> RoomRecord? {
        try read { db in try RoomRow.current(named: name, db)?.record }
    }

    public func room(id: Int64) throws(StoreError) -> RoomRecord? {
        try read { db in try RoomRow.fetchOne(db, key: id)?.record }
    }

    /// Every room, open and closed, by name (then oldest first).
    public func rooms() throws(StoreError) -> [RoomRecord] {
        try read { db in try RoomRow.order(Column("name"), Column("id")).fetchAll(db).map(\.record) }
    }

    /// The rooms not yet closed, by name.
    public func openRooms() throws(StoreError) -> [RoomRecord] {
        try read { db in
            try RoomRow.filter(Column("closedAt") == nil).order(Column("name")).fetchAll(db).map(\.record)
        }
    }

    /// Changes an open room's settings; nil leaves a field as it is. Lowering `maxParticipants`
    /// below the current count removes no one; it only refuses new joins.
    @discardableResult
    public func updateRoom(named name: String, metadata: String? = nil, maxParticipants: Int? = nil,
                           emptyTimeoutSeconds: Int? = nil) throws(StoreError) -> RoomRecord {
        try write { db in
            var row = try RoomRow.open(named: name, db)
            if let metadata { row.metadata = metadata }
            if let maxParticipants { row.maxParticipants = maxParticipants }
            if let emptyTimeoutSeconds { row.emptyTimeoutSeconds = emptyTimeoutSeconds }
            try row.update(db)
            return row.record
        }
    }

    /// Deletes every room with this name, open or closed, with their participants, tracks and
    /// events (foreign keys cascade); returns whether any existed.
    @discardableResult
    public func deleteRoom(named name: String) throws(StoreError) -> Bool {
        try write { db in try RoomRow.filter(Column("name") == name).deleteAll(db) > 0 }
    }

    // MARK: Transactions

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(String(describing: error))
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(String(describing: error))
        }
    }
}
