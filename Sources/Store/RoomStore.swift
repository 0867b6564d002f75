public import Foundation
import GRDB

/// Durable room state in one SQLite file (WAL mode, so readers never wait for the writer).
///
/// The control plane owns this; the media path never touches it. Schema changes go through
/// `StoreMigrations` so a database from an older Parley opens in a newer one.
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

    /// Creates a room. Names are unique.
    @discardableResult
    public func createRoom(_ room: NewRoom, now: Date = Date()) throws(StoreError) -> RoomRecord {
        try write { db in
            if try RoomRow.filter(Column("name") == room.name).fetchOne(db) != nil {
                throw StoreError.duplicateRoomName(room.name)
            }
            var row = RoomRow(id: nil, name: room.name, maxParticipants: room.maxParticipants,
                              emptyTimeoutSeconds: room.emptyTimeoutSeconds,
                              metadata: room.metadata, createdAt: now)
            try row.insert(db)
            return row.record
        }
    }

    public func room(named name: String) throws(StoreError) -> RoomRecord? {
        try read { db in try RoomRow.filter(Column("name") == name).fetchOne(db)?.record }
    }

    public func rooms() throws(StoreError) -> [RoomRecord] {
        try read { db in try RoomRow.order(Column("name")).fetchAll(db).map(\.record) }
    }

    /// Deletes a room; returns whether it existed.
    @discardableResult
    public func deleteRoom(named name: String) throws(StoreError) -> Bool {
        try write { db in try RoomRow.filter(Column("name") == name).deleteAll(db) > 0 }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(String(describing: error))
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(String(describing: error))
        }
    }
}
