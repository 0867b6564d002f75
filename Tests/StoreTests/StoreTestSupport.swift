import Foundation
import Store

/// Fixed instants, whole seconds apart: SQLite stores dates to the millisecond, so these read
/// back equal.
func instant(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: 1_800_000_000 + TimeInterval(seconds))
}

/// A store in a fresh temporary folder (kept alive by the caller's `TemporaryDirectory`).
func makeStore(in folder: borrowing TemporaryDirectory) throws -> RoomStore {
    try RoomStore(path: folder.path + "/parley.sqlite")
}
