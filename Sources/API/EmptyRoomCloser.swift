public import Foundation
public import Logging
public import Store

/// Closes rooms that have been empty for longer than their empty timeout (or that nobody
/// joined since they were created). Runs on the control plane, polling the store.
public struct EmptyRoomCloser: Sendable {
    public let store: RoomStore
    public let logger: Logger

    public init(store: RoomStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Closes every room whose empty timeout has passed at `now`; returns their names.
    @discardableResult
    public func closeExpiredRooms(now: Date = Date()) -> [String] {
        var closed: [String] = []
        do {
            for room in try store.emptyRoomsToClose(now: now) {
                _ = try store.closeRoom(named: room.name, now: now)
                closed.append(room.name)
                logger.info("closed empty room", metadata: ["room": "\(room.name)"])
            }
        } catch {
            logger.error("could not close empty rooms", metadata: ["error": "\(error)"])
        }
        return closed
    }

    /// Checks every `interval` until the task is cancelled.
    public func run(every interval: Duration = .seconds(5)) async {
        while !Task.isCancelled {
            closeExpiredRooms()
            try? await Task.sleep(for: interval)
        }
    }
}
