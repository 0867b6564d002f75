import Auth
import Hummingbird

/// `POST /v1/tokens`: mints a join token for a participant (for applications that hold an admin
/// token rather than the API secret, and for the `parley` CLI).
struct TokenRoutes: Sendable {
    let issuer: TokenIssuer

    func register(on group: RouterGroup<ParleyRequestContext>) {
        group.post { request, context -> EditedResponse<TokenResponse> in
            let body = try await request.decodeJSON(as: CreateTokenRequest.self)
            try RoomName.validate(body.room)
            guard (1...128).contains(body.identity.count) else {
                throw APIError(status: .badRequest, code: "invalid_field", message: "identity must be 1-128 characters")
            }
            let ttl = body.ttlSeconds ?? 6 * 3600
            guard (60...86_400).contains(ttl) else {
                throw APIError(status: .badRequest, code: "invalid_field", message: "ttlSeconds must be 60-86400")
            }
            // Minting for a room needs the right to administer it.
            try context.requireToken().require(.roomAdmin, room: body.room)
            let grants = VideoGrants(roomJoin: true, room: body.room, canPublish: body.canPublish,
                                     canSubscribe: body.canSubscribe, canPublishData: body.canPublishData,
                                     hidden: body.hidden ?? false)
            let token: String
            do {
                token = try await issuer.mint(identity: body.identity, name: body.name, metadata: body.metadata,
                                              grants: grants, validFor: .seconds(ttl))
            } catch {
                throw APIError.internalError("could not mint the token")
            }
            return EditedResponse(status: .created, response: TokenResponse(token: token, identity: body.identity,
                                                                            room: body.room, ttlSeconds: ttl))
        }
    }
}

struct CreateTokenRequest: Decodable {
    var identity: String
    var room: String
    var name: String?
    var metadata: String?
    var ttlSeconds: Int?
    var canPublish: Bool?
    var canSubscribe: Bool?
    var canPublishData: Bool?
    var hidden: Bool?
}

struct TokenResponse: ResponseCodable, Equatable {
    var token: String
    var identity: String
    var room: String
    var ttlSeconds: Int
}
