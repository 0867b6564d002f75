public import Hummingbird
public import Logging
public import SFU
public import Store

/// Builds the control-plane HTTP server: health and version endpoints, the `/v1` API and the
/// meeting page. Routes are declared per resource (see `SystemRoutes`).
public func buildApplication(
    configuration: ServerConfiguration,
    store: RoomStore,
    echo: EchoService? = nil,
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router()
    // Outermost, so errors from every later middleware and route come out as JSON.
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: FileMiddleware(configuration.webRoot, searchForIndexHtml: true, logger: logger))
    SystemRoutes(store: store).register(on: router)
    if let echo { EchoRoutes(echo: echo).register(on: router) }

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
