import GRDB

/// The schema, as an ordered list of migrations. Never edit a migration that has shipped; add one.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-rooms") { db in
            try db.create(table: "room") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull().unique()
                table.column("maxParticipants", .integer).notNull()
                table.column("emptyTimeoutSeconds", .integer).notNull()
                table.column("metadata", .text).notNull().defaults(to: "")
                table.column("createdAt", .datetime).notNull()
            }
        }
        return migrator
    }
}
