import API
import Auth
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

enum TestKeys {
    static let server = APIKeyPair.generate()
    static let stranger = APIKeyPair.generate()

    static func token(_ grants: VideoGrants, key: APIKeyPair = server, validFor: Duration = .seconds(600),
                      now: Date = Date()) async throws -> String {
        try await TokenIssuer(key: key).mint(identity: "admin", grants: grants, validFor: validFor, now: now)
    }

    static var admin: VideoGrants { VideoGrants(roomCreate: true, roomList: true, roomAdmin: true, room: "standup") }
}

extension TestClientProtocol {
    func call(_ uri: String, _ method: HTTPRequest.Method, token: String?, json: String? = nil,
              _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        try await execute(uri: uri, method: method, headers: headers,
                          body: json.map { ByteBuffer(string: $0) }, testCallback: check)
    }
}

func errorCode(_ response: TestResponse) throws -> String {
    try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: response.body)).error.code
}

@Suite struct RoomRoutesAuthTests {
    @Test func missingTokenIsUnauthorized() async throws {
        try await withApplication { client in
            try await client.call("/v1/rooms", .get, token: nil) { response in
                #expect(response.status == .unauthorized)
                #expect((try? errorCode(response)) == "unauthorized")
            }
        }
    }

    @Test func expiredForeignAndGarbageTokensAreUnauthorizedWithTheirReason() async throws {
        let expired = try await TestKeys.token(TestKeys.admin, validFor: .seconds(60), now: Date() - 3600)
        let foreign = try await TestKeys.token(TestKeys.admin, key: TestKeys.stranger)
        try await withApplication { client in
            for (token, code) in [(expired, "token_expired"), (foreign, "unknown_api_key"), ("not.a.jwt", "invalid_token")] {
                try await client.call("/v1/rooms", .get, token: token) { response in
                    #expect(response.status == .unauthorized)
                    #expect((try? errorCode(response)) == code)
                }
            }
        }
    }

    @Test func joinTokenCannotCreateRooms() async throws {
        let join = try await TestKeys.token(.join(room: "a"))
        try await withApplication { client in
            try await client.call("/v1/rooms", .post, token: join, json: #"{"name":"a"}"#) { response in
                #expect(response.status == .forbidden)
                #expect((try? errorCode(response)) == "forbidden")
            }
        }
    }
}

@Suite struct RoomRoutesTests {
    @Test func roomLifecycleThroughTheAPI() async throws {
        let admin = try await TestKeys.token(TestKeys.admin)
        try await withApplication { client in
            try await client.call("/v1/rooms", .post, token: admin,
                                  json: #"{"name":"standup","maxParticipants":8,"metadata":"{\"team\":1}"}"#) { response in
                #expect(response.status == .created)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["name"] as? String == "standup")
                #expect(body?["maxParticipants"] as? Int == 8)
                #expect(body?["emptyTimeoutSeconds"] as? Int == 300)
                let createdAt = try #require(body?["createdAt"] as? String)
                #expect(createdAt.hasSuffix("Z") && createdAt.contains("T"), "ISO 8601 in UTC: \(createdAt)")
            }
            try await client.call("/v1/rooms", .post, token: admin, json: #"{"name":"standup"}"#) { response in
                #expect(response.status == .conflict)
                #expect((try? errorCode(response)) == "room_exists")
            }
            try await client.call("/v1/rooms", .get, token: admin) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""name":"standup""#))
            }
            try await client.call("/v1/rooms/standup", .patch, token: admin, json: #"{"metadata":"v2"}"#) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""metadata":"v2""#))
            }
            try await client.call("/v1/rooms/standup", .delete, token: admin) { response in
                #expect(response.status == .noContent)
            }
            try await client.call("/v1/rooms/standup", .get, token: admin) { response in
                #expect(response.status == .notFound)
                #expect((try? errorCode(response)) == "not_found")
            }
        }
    }

    @Test(arguments: [
        (#"{"name":"has space"}"#, "invalid_field"),
        (#"{"name":""}"#, "invalid_field"),
        (#"{"name":"ok","maxParticipants":-1}"#, "invalid_field"),
        (#"{"name":"ok","emptyTimeoutSeconds":100000}"#, "invalid_field"),
        (#"{"maxParticipants":3}"#, "invalid_body"),
        (#"{"name":7}"#, "invalid_body"),
        ("not json", "invalid_body"),
    ])
    func badCreateRequestsAreRejectedWithACode(json: String, code: String) async throws {
        let admin = try await TestKeys.token(TestKeys.admin)
        try await withApplication { client in
            try await client.call("/v1/rooms", .post, token: admin, json: json) { response in
                #expect(response.status == .badRequest)
                #expect((try? errorCode(response)) == code)
            }
        }
    }

    @Test func roomAdminMintsJoinTokensForItsRoomOnly() async throws {
        let roomAdmin = try await TestKeys.token(VideoGrants(roomAdmin: true, room: "standup"))
        try await withApplication { client in
            try await client.call("/v1/tokens", .post, token: roomAdmin,
                                  json: #"{"identity":"ada","room":"standup","canPublish":false}"#) { response in
                #expect(response.status == .created)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let token = try #require(body?["token"] as? String)
                let verified = try await TokenVerifier(keys: APIKeyStore([TestKeys.server])).verify(token)
                #expect(verified.identity == "ada")
                #expect(verified.grants.roomJoin && verified.grants.room == "standup")
                #expect(!verified.grants.canPublish && verified.grants.canSubscribe)
            }
            try await client.call("/v1/tokens", .post, token: roomAdmin,
                                  json: #"{"identity":"ada","room":"other"}"#) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
