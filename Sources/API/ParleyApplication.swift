public import Hummingbird
import HummingbirdWebSocket
import Auth
public import Logging
public import SFU
public import Signaling
public import Store
public import WebRTC

/// What the signaling WebSocket needs: the live meetings and the media server whose candidates
/// go into SDP.
public struct SignalingSetup: Sendable {
    public let meetings: MeetingRegistry
    public let media: MediaServer
    public let limits: SignalingLimits

    public init(meetings: MeetingRegistry, media: MediaServer, limits: SignalingLimits = .default) {
        self.meetings = meetings
        self.media = media
        self.limits = limits
    }
}

/// Builds the control-plane HTTP server: health, version and metrics endpoints, the `/v1` API, the
/// signaling WebSocket and the meeting page. Routes are declared per resource (see `SystemRoutes`).
public func buildApplication(
    configuration: ServerConfiguration,
    store: RoomStore,
    echo: EchoService? = nil,
    signaling: SignalingSetup? = nil,
    metrics: ServerMetrics? = nil,
    authentication: APIAuthentication,
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: ParleyRequestContext.self)
    // Outermost, so errors from every later middleware and route come out as JSON.
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: FileMiddleware(configuration.webRoot, searchForIndexHtml: true, logger: logger))
    SystemRoutes(store: store, devMode: configuration.devMode).register(on: router)
    if let metrics { MetricsRoutes(metrics: metrics).register(on: router) }
    if let echo { EchoRoutes(echo: echo).register(on: router) }
    let authenticated = BearerTokenMiddleware(verifier: authentication.verifier)
    let meetings = signaling?.meetings
    RoomRoutes(store: store, meetings: meetings).register(on: router.group("v1/rooms").add(middleware: authenticated))
    ParticipantRoutes(store: store, meetings: meetings)
        .register(on: router.group("v1/rooms/:room/participants").add(middleware: authenticated))
    DataRoutes(meetings: meetings).register(on: router.group("v1/rooms/:room/data").add(middleware: authenticated))
    TokenRoutes(issuer: authentication.issuer).register(on: router.group("v1/tokens").add(middleware: authenticated))
    if configuration.devMode { DevTokenRoutes(issuer: authentication.issuer).register(on: router) }

    // WebSocket upgrades are matched on their own router; a refused upgrade falls through to
    // the main router's plain route for the JSON error.
    let webSocketRouter = Router(context: ParleyRequestContext.self)
    if let signaling {
        let routes = SignalingRoutes(
            verifier: authentication.verifier,
            environment: .init(meetings: signaling.meetings, media: signaling.media, limits: signaling.limits,
                               logger: logger))
        routes.registerUpgrade(on: webSocketRouter)
        routes.registerFallback(on: router)
    }
    let maxFrame = max(1 << 16, (signaling?.limits.maxMessageBytes ?? 0) * 4)

    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: .init(ws: WebSocketServerConfiguration(maxFrameSize: maxFrame))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "parley"),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}
