public import Auth
public import Hummingbird
public import HummingbirdWebSocket

/// Per-request state: the verified access token, once `BearerTokenMiddleware` has run, and the
/// WebSocket handler of an upgraded signaling request.
public struct ParleyRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var token: VerifiedToken?
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        token = nil
        webSocket = .init()
    }

    /// The token, for routes behind `BearerTokenMiddleware`.
    func requireToken() throws -> VerifiedToken {
        guard let token else { throw APIError(status: .unauthorized, code: "unauthorized", message: "no access token") }
        return token
    }
}
