public import Auth
public import Hummingbird

/// Per-request state: the verified access token, once `BearerTokenMiddleware` has run.
public struct ParleyRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var token: VerifiedToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        token = nil
    }

    /// The token, for routes behind `BearerTokenMiddleware`.
    func requireToken() throws -> VerifiedToken {
        guard let token else { throw APIError(status: .unauthorized, code: "unauthorized", message: "no access token") }
        return token
    }
}
