import GRDB

extension RoomStore {
    /// For schema-upgrade tests only (`@_spi(Testing) import Store`): creates the database at
    /// `path` as an older Parley left it, i.e. with the migrations up to `migration` applied
    /// (none if nil), then runs `sql`. Closes it before returning.
    @_spi(Testing)
    public static func createDatabaseForTesting(at path: String, migratedUpTo migration: String?,
                                                executing sql: String) throws(StoreError) {
        do {
            let queue = try DatabaseQueue(path: path)
            if let migration {
                try StoreMigrations.migrator.migrate(queue, upTo: migration)
            }
            try queue.write { db in try db.execute(sql: sql) }
            try queue.close()
        } catch {
            throw StoreError.database(String(describing: error))
        }
    }

    /// Rows per table, to check cascades and recovery without exposing GRDB to tests.
    @_spi(Testing)
    public func rowCountsForTesting() throws(StoreError) -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for table in ["room", "participant", "track", "roomEvent"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}
