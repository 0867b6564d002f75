public import WebRTC

/// The rooms of a server, by name. A new room goes to the worker hosting the fewest rooms, so
/// load spreads across cores; a room never moves once placed.
public actor RoomRegistry {
    public let media: MediaServer
    private var rooms: [String: Room] = [:]
    private var roomCountByWorker: [Int: Int] = [:]
    /// The counters of rooms already closed, so the server's totals only grow.
    private var closedRoomCounters = RoomStatistics()

    public init(media: MediaServer) {
        self.media = media
    }

    /// The room called `name`, created if it does not exist.
    public func room(named name: String) -> Room {
        if let room = rooms[name] { return room }
        let worker = media.workers.min { (roomCountByWorker[$0.index] ?? 0) < (roomCountByWorker[$1.index] ?? 0) }
            ?? media.workers[0]
        let room = Room(name: name, worker: worker, dtlsContext: media.dtlsContext)
        rooms[name] = room
        roomCountByWorker[worker.index, default: 0] += 1
        return room
    }

    public func existingRoom(named name: String) -> Room? {
        rooms[name]
    }

    /// Closes and forgets the room (everyone in it leaves).
    public func close(named name: String) async {
        guard let room = rooms.removeValue(forKey: name) else { return }
        roomCountByWorker[room.worker.index, default: 1] -= 1
        await room.close()
        closedRoomCounters.addCounters(of: await room.statistics)
    }

    /// Every open room's statistics summed, with the counters of closed rooms added in.
    public func statistics() async -> RoomStatistics {
        var total = closedRoomCounters
        for room in rooms.values { total = total + (await room.statistics) }
        return total
    }

    public var roomNames: [String] { rooms.keys.sorted() }
}
