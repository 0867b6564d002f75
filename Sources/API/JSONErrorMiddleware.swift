import Auth
import Hummingbird

/// Turns every error that reaches the edge of the server into the API's JSON error shape, so a
/// client never has to parse an HTML or plain-text error page.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as AuthError {
            throw APIError(authError: error)
        } catch let error as HTTPError {
            throw APIError(status: error.status, code: Self.code(for: error.status),
                           message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["path": "\(request.uri.path)",
                                                              "error": "\(error)"])
            throw APIError.internalError("internal server error")
        }
    }

    /// A stable code for errors raised by the framework itself (no route, bad method, …).
    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .contentTooLarge: "payload_too_large"
        default: status.code >= 500 ? "internal" : "http_\(status.code)"
        }
    }
}
