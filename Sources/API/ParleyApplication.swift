public import Hummingbird
import Auth
public import Logging
public import SFU
public import Store

/// Builds the control-plane HTTP server: health and version endpoints, the `/v1` API and the
/// meeting page. Routes are declared per resource (see `SystemRoutes`).
public func buildApplication(
    configuration: ServerConfiguration,
    store: RoomStore,
    echo: EchoService? = nil,
    authentication: APIAuthentication,
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: ParleyRequestContext.self)
    // Outermost, so errors from every later middleware and route come out as JSON.
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: FileMiddleware(configuration.webRoot, searchForIndexHtml: true, logger: logger))
    SystemRoutes(store: store).register(on: router)
    if let echo { EchoRoutes(echo: echo).register(on: router) }
    let authenticated = BearerTokenMiddleware(verifier: authentication.verifier)
    RoomRoutes(store: store).register(on: router.group("v1/rooms").add(middleware: authenticated))
    TokenRoutes(issuer: authentication.issuer).register(on: router.group("v1/tokens").add(middleware: authenticated))

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "parley"),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}
