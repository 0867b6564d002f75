import API
import ServiceLifecycle
import WebRTC

/// Keeps the media workers running until graceful shutdown; then tells everyone in a meeting
/// that the server is going (`leave`, `server_shutdown`) and closes transports and sockets.
struct MediaServerService: Service {
    let server: MediaServer
    let meetings: MeetingRegistry

    func run() async throws {
        try? await gracefulShutdown()
        await meetings.endAll(reason: .serverShutdown)
        await server.shutdown()
    }
}
