import Foundation
import Hummingbird

extension Request {
    /// Largest JSON body the REST API reads.
    static let maximumJSONBodySize = 256 * 1024

    /// Decodes the JSON body, answering a body that is too large, not JSON or of the wrong shape
    /// with a 400/413 that says which field was wrong (without echoing the body).
    func decodeJSON<T: Decodable>(as type: T.Type) async throws -> T {
        let body = try await collectBody(upTo: Self.maximumJSONBodySize)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw APIError(status: .badRequest, code: "invalid_body",
                           message: "the JSON body does not match: \(Self.describe(error))")
        }
    }

    /// The whole body, or a 413 when it is larger than `limit` bytes.
    func collectBody(upTo limit: Int) async throws(APIError) -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch {
            throw APIError(status: .contentTooLarge, code: "payload_too_large",
                           message: "the body must be at most \(limit) bytes")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted: "not valid JSON"
        @unknown default: "invalid"
        }
    }
}
