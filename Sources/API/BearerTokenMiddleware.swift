import Auth
import Hummingbird

/// Checks `Authorization: Bearer <JWT>` (HS256, signed with a configured API key's secret) and
/// puts the verified token in the context. Any failure is a 401 with the reason's code.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext
    let verifier: TokenVerifier

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError(status: .unauthorized, code: "unauthorized",
                           message: "send an access token as 'Authorization: Bearer <token>'")
        }
        var context = context
        do {
            context.token = try await verifier.verify(String(header.dropFirst("bearer ".count)))
        } catch {
            throw APIError(authError: error)
        }
        return try await next(request, context)
    }
}

extension APIError {
    /// 401 for a token that is not valid, 403 for a valid token without the grant.
    init(authError: AuthError) {
        switch authError {
        case .forbidden(let grant, let room):
            self.init(status: .forbidden, code: "forbidden",
                      message: "the token lacks the \(grant) grant" + (room.map { " for room '\($0)'" } ?? ""))
        case .expired:
            self.init(status: .unauthorized, code: "token_expired", message: "the access token has expired")
        case .notYetValid:
            self.init(status: .unauthorized, code: "token_not_yet_valid", message: "the access token is not valid yet")
        case .unknownKey:
            self.init(status: .unauthorized, code: "unknown_api_key", message: "the token names an unknown API key")
        case .badSignature:
            self.init(status: .unauthorized, code: "bad_signature", message: "the token's signature does not verify")
        case .unsupportedAlgorithm(let algorithm):
            self.init(status: .unauthorized, code: "unsupported_algorithm", message: "tokens must be HS256, not \(algorithm)")
        case .missingClaim(let claim):
            self.init(status: .unauthorized, code: "invalid_token", message: "the token has no '\(claim)' claim")
        case .malformed:
            self.init(status: .unauthorized, code: "invalid_token", message: "the access token is not a JWT")
        }
    }
}
