import Hummingbird
import SFU

/// `POST /v1/echo`: the body is a browser's SDP offer (`application/sdp`), the answer comes
/// back as `201 Created` with the answer SDP, WHIP-style (RFC 9725 §4.2). Media then flows to
/// the server and straight back.
struct EchoRoutes: Sendable {
    let echo: EchoService
    /// Real offers are a few kilobytes; anything far bigger is not an offer.
    static let maximumOfferSize = 64 * 1024

    func register(on router: Router<some RequestContext>) {
        router.post("v1/echo") { request, _ -> Response in
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/sdp") == true else {
                throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                               message: "send the SDP offer with Content-Type: application/sdp")
            }
            let body = try await request.collectBody(upTo: Self.maximumOfferSize)
            let answer: String
            do throws(EchoError) {
                answer = try await echo.answer(offer: String(buffer: body))
            } catch {
                throw APIError(status: .badRequest, code: error.code, message: error.message)
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/sdp"
            return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
    }
}
