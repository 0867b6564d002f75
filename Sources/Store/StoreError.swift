public enum StoreError: Error, Equatable, Sendable {
    /// The database file could not be created, opened or migrated.
    case cannotOpen(path: String, reason: String)
    case duplicateRoomName(String)
    /// Any other SQLite failure, with SQLite's message.
    case database(String)
}
