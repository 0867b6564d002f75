import Auth
import Foundation
import Hummingbird

/// `GET /v1/dev/token?room=R&name=N` (only with `parley serve --dev`): a join token for anyone,
/// so the meeting page works without an embedding application. Never enable it in production.
struct DevTokenRoutes: Sendable {
    let issuer: TokenIssuer

    func register(on router: Router<ParleyRequestContext>) {
        let issuer = issuer
        router.get("v1/dev/token") { request, _ -> DevTokenResponse in
            let room = request.uri.queryParameters["room"].map(String.init) ?? ""
            let name = request.uri.queryParameters["name"].map(String.init) ?? ""
            try RoomName.validate(room)
            guard (1...64).contains(name.count) else {
                throw APIError(status: .badRequest, code: "invalid_field", message: "name must be 1-64 characters")
            }
            // Names need not be unique; identities must: a suffix tells two "Alex"es apart.
            let identity = name.prefix(48) + "-" + RandomID.make(length: 6)
            let token: String
            do {
                token = try await issuer.mint(identity: String(identity), name: name, metadata: nil,
                                              grants: .join(room: room), validFor: .seconds(6 * 3600))
            } catch {
                throw APIError.internalError("could not mint the token")
            }
            return DevTokenResponse(token: token, identity: String(identity), room: room)
        }
    }
}

struct DevTokenResponse: ResponseEncodable {
    var token: String
    var identity: String
    var room: String
}
