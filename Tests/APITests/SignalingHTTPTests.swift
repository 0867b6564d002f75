import API
import Auth
import Foundation
import HummingbirdTesting
import Testing

/// The HTTP side of signaling: who may open the socket, and the --dev token endpoint.
@Suite(.serialized) struct SignalingHTTPTests {
    func errorCode(_ response: TestResponse) -> String? {
        struct Body: Decodable { struct Inner: Decodable { let code: String }; let error: Inner }
        return (try? JSONDecoder().decode(Body.self, from: Data(buffer: response.body)))?.error.code
    }

    @Test func theSignalingEndpointChecksTheTokenAndWantsAWebSocket() async throws {
        try await SignalingTestServer.run { _, client in
            try await client.call("/v1/rtc", .get, token: nil) { response in
                #expect(response.status == .unauthorized && errorCode(response) == "unauthorized")
            }
            let forged = try await TokenIssuer(key: TestKeys.stranger).mint(
                identity: "mallory", grants: .join(room: "standup"), validFor: .seconds(60))
            try await client.call("/v1/rtc?access_token=\(forged)", .get, token: nil) { response in
                #expect(response.status == .unauthorized)
            }
            let noJoin = try await TestKeys.token(VideoGrants(roomList: true))
            try await client.call("/v1/rtc?access_token=\(noJoin)", .get, token: nil) { response in
                #expect(response.status == .forbidden && errorCode(response) == "forbidden")
            }
            let good = try await SignalingTestServer.joinToken("ann")
            try await client.call("/v1/rtc?access_token=\(good)", .get, token: nil) { response in
                #expect(response.status == .badRequest && errorCode(response) == "websocket_required")
            }
            // Clients that can set headers may send the token as a bearer token instead.
            try await client.call("/v1/rtc", .get, token: good) { response in
                #expect(response.status == .badRequest && errorCode(response) == "websocket_required")
            }
        }
    }

    @Test func devTokensExistOnlyInDevMode() async throws {
        try await SignalingTestServer.run(devMode: false) { _, client in
            try await client.call("/v1/dev/token?room=standup&name=Ann", .get, token: nil) { response in
                #expect(response.status == .notFound)
            }
            try await client.call("/v1/version", .get, token: nil) { response in
                #expect(String(buffer: response.body).contains(#""devMode":false"#))
            }
        }
        try await SignalingTestServer.run(devMode: true) { _, client in
            try await client.call("/v1/version", .get, token: nil) { response in
                #expect(String(buffer: response.body).contains(#""devMode":true"#))
            }
            try await client.call("/v1/dev/token?room=standup&name=Ann", .get, token: nil) { response in
                #expect(response.status == .ok)
                struct Body: Decodable { let token: String; let identity: String; let room: String }
                let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: response.body))
                #expect(body?.room == "standup" && body?.identity.hasPrefix("Ann-") == true)
                let verified = try? await TokenVerifier(keys: APIKeyStore([TestKeys.server])).verify(body?.token ?? "")
                #expect(verified?.grants.roomJoin == true && verified?.grants.room == "standup")
                #expect(verified?.name == "Ann")
            }
            try await client.call("/v1/dev/token?room=bad%20room&name=Ann", .get, token: nil) { response in
                #expect(response.status == .badRequest)
            }
            try await client.call("/v1/dev/token?room=standup&name=", .get, token: nil) { response in
                #expect(response.status == .badRequest && errorCode(response) == "invalid_field")
            }
        }
    }

    @Test func participantRoutesNeedTheAdminGrantAndAKnownRoom() async throws {
        try await SignalingTestServer.run { _, client in
            let admin = try await TestKeys.token(TestKeys.admin)
            try await client.call("/v1/rooms/nowhere/participants", .get, token: try await TestKeys.token(
                VideoGrants(roomAdmin: true, room: "nowhere"))) { response in
                #expect(response.status == .notFound)
            }
            try await client.call("/v1/rooms/standup/participants", .get, token: nil) { response in
                #expect(response.status == .unauthorized)
            }
            let otherRoom = try await TestKeys.token(VideoGrants(roomAdmin: true, room: "retro"))
            try await client.call("/v1/rooms/standup/participants/x", .delete, token: otherRoom) { response in
                #expect(response.status == .forbidden)
            }
            try await client.call("/v1/rooms/standup/participants/nobody", .get, token: admin) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
