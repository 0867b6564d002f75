import API
import Auth
import DTLS
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import SFU
import Signaling
import Store
import Testing
import WebRTC

/// A real server in process: HTTP and WebSocket on a loopback port, one media worker on a
/// loopback UDP port, SQLite in a temporary folder.
struct SignalingTestServer {
    let store: RoomStore
    let meetings: MeetingRegistry
    let port: Int
    /// Sockets from `open`, by key; all closed when the test's body returns.
    let sockets = OpenSockets()

    final class OpenSockets: @unchecked Sendable {
        private let lock = NSLock()
        private var byKey: [String: SignalingTestSocket] = [:]

        func replace(_ key: String, with socket: SignalingTestSocket?) -> SignalingTestSocket? {
            lock.withLock {
                let previous = byKey[key]
                byKey[key] = socket
                return previous
            }
        }

        func socket(_ key: String) -> SignalingTestSocket? {
            lock.withLock { byKey[key] }
        }

        func closeAll() {
            let all = lock.withLock { byKey.values }
            for socket in all { socket.close() }
        }
    }

    static func run(devMode: Bool = false, limits: SignalingLimits = .default,
                    _ body: @Sendable (SignalingTestServer, any TestClientProtocol) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "parley-signaling-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try RoomStore(path: folder + "/parley.sqlite")
        let media = try await MediaServer.start(
            MediaServerConfiguration(bindHost: "127.0.0.1", bindIPv6Host: nil, basePort: 0, workerCount: 1,
                                     enableTCP: false, announcedAddresses: ["127.0.0.1"]),
            certificate: .generateSelfSigned())
        let logger = Logger(label: "signaling-test")
        let meetings = MeetingRegistry(rooms: RoomRegistry(media: media), store: store, limits: limits, logger: logger)
        let authentication = APIAuthentication(keys: try APIKeyStore([TestKeys.server]), issuingKey: TestKeys.server)
        let application = buildApplication(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, devMode: devMode), store: store,
            signaling: SignalingSetup(meetings: meetings, media: media, limits: limits),
            authentication: authentication, logger: logger)
        do {
            try await application.test(.live) { client in
                let port = try #require(client.port)
                let server = SignalingTestServer(store: store, meetings: meetings, port: port)
                defer { server.sockets.closeAll() }
                try await body(server, client)
            }
        } catch {
            await meetings.endAll(reason: .serverShutdown)
            await media.shutdown()
            throw error
        }
        await meetings.endAll(reason: .serverShutdown)
        await media.shutdown()
    }

    static func joinToken(_ identity: String, room: String = "standup", name: String? = nil,
                          canPublish: Bool = true) async throws -> String {
        try await TokenIssuer(key: TestKeys.server).mint(
            identity: identity, name: name ?? identity,
            grants: VideoGrants(roomJoin: true, room: room, canPublish: canPublish), validFor: .seconds(600))
    }

    /// A signaling socket for `identity`, closed when `body` returns.
    func connect<T: Sendable>(_ identity: String, room: String = "standup", canPublish: Bool = true,
                              _ body: @Sendable (SignalingTestSocket) async throws -> T) async throws -> T {
        let token = try await Self.joinToken(identity, room: room, canPublish: canPublish)
        let socket = SignalingTestSocket(url: "ws://127.0.0.1:\(port)/v1/rtc?access_token=\(token)")
        defer { socket.close() }
        return try await body(socket)
    }
}

extension SignalingTestServer {
    /// A signaling socket for `identity` that stays open until `closeSocket(of: key)` or the
    /// end of the test (a socket opened under the same key replaces it without closing it).
    func open(_ identity: String, key: String? = nil) async throws -> SignalingTestSocket {
        let token = try await Self.joinToken(identity)
        let socket = SignalingTestSocket(url: "ws://127.0.0.1:\(port)/v1/rtc?access_token=\(token)")
        _ = sockets.replace(key ?? identity, with: socket)
        return socket
    }

    /// The socket `open` made under `key`.
    func socket(of key: String) throws -> SignalingTestSocket {
        try #require(sockets.socket(key))
    }

    /// Closes the socket `open` made under `key`, as a dropped connection would (no `leave`).
    func closeSocket(of key: String) async throws {
        let socket = try #require(sockets.replace(key, with: nil))
        socket.close()
        #expect(try await socket.waitUntilClosed(timeout: .seconds(5)))
    }
}

/// The client side of a signaling WebSocket, for tests: send text, await server messages.
final class SignalingTestSocket: Sendable {
    private let outgoing: AsyncStream<String>.Continuation
    private let incoming: AsyncStream<SignalingEnvelope<ServerMessage>>
    private let iterator: IteratorBox
    private let task: Task<Void, Never>

    /// Holds the one iterator over incoming messages; tests read it from one task at a time.
    private final class IteratorBox: @unchecked Sendable {
        var iterator: AsyncStream<SignalingEnvelope<ServerMessage>>.AsyncIterator
        init(_ iterator: AsyncStream<SignalingEnvelope<ServerMessage>>.AsyncIterator) { self.iterator = iterator }
    }

    init(url: String) {
        let (outgoingStream, outgoing) = AsyncStream.makeStream(of: String.self)
        let (incoming, incomingContinuation) = AsyncStream.makeStream(of: SignalingEnvelope<ServerMessage>.self)
        self.outgoing = outgoing
        self.incoming = incoming
        self.iterator = IteratorBox(incoming.makeAsyncIterator())
        task = Task {
            _ = try? await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 1 << 20), logger: Logger(label: "test-socket")
            ) { inbound, outbound, _ in
                // Ends when either side closes: the server (reading ends) or the test (`close`).
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            guard case .text(let text) = message,
                                  let envelope = try? SignalingCodec.decodeServerEnvelope(Data(text.utf8)) else { continue }
                            incomingContinuation.yield(envelope)
                        }
                    }
                    group.addTask {
                        for await text in outgoingStream { try await outbound.write(.text(text)) }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
            incomingContinuation.finish()
        }
    }

    func send(_ message: ClientMessage, id: Int? = nil) {
        outgoing.yield(String(decoding: SignalingCodec.encode(message, id: id), as: UTF8.self))
    }

    func sendRaw(_ text: String) {
        outgoing.yield(text)
    }

    /// The next server message whose type is `type` (others are skipped), within `timeout`.
    func next(_ type: String, timeout: Duration = .seconds(10)) async throws -> SignalingEnvelope<ServerMessage> {
        let box = iterator
        let found = try await firstOf(orAfter: timeout, nil) { () async -> SignalingEnvelope<ServerMessage>? in
            while let envelope = await box.iterator.next() {
                if envelope.message.type == type { return envelope }
            }
            return nil
        }
        guard let found else { throw SocketTimeout(type: type) }
        return found
    }

    func close() {
        outgoing.finish()
    }

    /// Whether the connection ended (either side closed it) within `timeout`.
    func waitUntilClosed(timeout: Duration) async throws -> Bool {
        let task = self.task
        return try await firstOf(orAfter: timeout, false) {
            await task.value
            return true
        }
    }

    struct SocketTimeout: Error, CustomStringConvertible {
        let type: String
        var description: String { "no '\(type)' message arrived" }
    }
}

/// What `work` returns, or `fallback` if `timeout` passes first (the loser is cancelled).
private func firstOf<Result: Sendable>(orAfter timeout: Duration, _ fallback: Result,
                                       _ work: @escaping @Sendable () async -> Result) async throws -> Result {
    try await withThrowingTaskGroup(of: Result.self) { group in
        group.addTask { await work() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return fallback
        }
        let first = try await group.next() ?? fallback
        group.cancelAll()
        return first
    }
}
