public import Hummingbird
import Foundation

/// An error as the REST API reports it: an HTTP status and a body
/// `{"error": {"code": "...", "message": "..."}}` whose `code` is stable for programs to branch
/// on and whose `message` is for people.
public struct APIError: HTTPResponseError, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    public static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, code: "internal", message: message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = APIErrorBody(error: .init(code: code, message: message))
        var response = try JSONEncoder().encode(body, from: request, context: context)
        response.status = status
        return response
    }
}

/// The wire shape of an error, also what clients decode.
public struct APIErrorBody: Codable, Equatable, Sendable {
    public struct Detail: Codable, Equatable, Sendable {
        public let code: String
        public let message: String
    }

    public let error: Detail
}
