import API
import ServiceLifecycle

/// Closes rooms past their empty timeout until graceful shutdown.
struct EmptyRoomCloserService: Service {
    let closer: EmptyRoomCloser

    func run() async throws {
        await cancelWhenGracefulShutdown { await closer.run() }
    }
}
