import ServiceLifecycle
import WebRTC

/// Keeps the media workers running until graceful shutdown, then closes their transports and
/// sockets.
struct MediaServerService: Service {
    let server: MediaServer

    func run() async throws {
        try? await gracefulShutdown()
        await server.shutdown()
    }
}

