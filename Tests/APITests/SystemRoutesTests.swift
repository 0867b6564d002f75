import API
import Auth
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Store
import Testing

/// Runs the real application in process (Hummingbird's router test mode: real routing,
/// middleware and encoding, no socket) against a real SQLite file.
func withApplication(metrics: ServerMetrics? = nil,
                     _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let folder = NSTemporaryDirectory() + "parley-api-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = try RoomStore(path: folder + "/parley.sqlite")
    let authentication = APIAuthentication(keys: try APIKeyStore([TestKeys.server]), issuingKey: TestKeys.server)
    let application = buildApplication(configuration: ServerConfiguration(host: "127.0.0.1", port: 0),
                                       store: store, metrics: metrics, authentication: authentication,
                                       logger: Logger(label: "test"))
    try await application.test(.router, body)
}

@Suite struct SystemRoutesTests {
    @Test func healthzAnswersOK() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func versionIsJSON() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/v1/version", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let info = try JSONDecoder().decode(VersionInfo.self, from: Data(buffer: response.body))
                #expect(info == VersionInfo.current)
            }
        }
    }

    @Test func unknownRouteIsAJSONErrorWithACode() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: response.body))
                #expect(body.error.code == "not_found")
                #expect(!body.error.message.isEmpty)
            }
        }
    }

    @Test func meetingPageIsServedAtTheRoot() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("<title>Parley</title>"))
            }
            try await client.execute(uri: "/main.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.contains("javascript") == true)
            }
        }
    }
}
