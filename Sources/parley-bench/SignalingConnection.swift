import Foundation
import HummingbirdWSClient
import Logging
import Signaling

/// A participant's signaling WebSocket (`/v1/rtc`), as a browser client uses it: messages out
/// in order, server messages in as a stream. Ends when `close()` is called or the server closes.
final class SignalingConnection: Sendable {
    let messages: AsyncStream<ServerMessage>
    private let outgoing: AsyncStream<ClientMessage>.Continuation
    private let task: Task<Void, Never>

    init(server: URL, token: String) {
        let (messages, incoming) = AsyncStream.makeStream(of: ServerMessage.self)
        let (outbox, outgoing) = AsyncStream.makeStream(of: ClientMessage.self)
        self.messages = messages
        self.outgoing = outgoing
        var address = server.absoluteString.replacingOccurrences(of: "http", with: "ws", options: .anchored)
        if !address.hasSuffix("/") { address += "/" }
        address += "v1/rtc?access_token=" + token
        task = Task {
            _ = try? await WebSocketClient.connect(url: address, logger: Logger(label: "parley-bench")) {
                inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await message in outbox {
                            let text = String(decoding: SignalingCodec.encode(message), as: UTF8.self)
                            try await outbound.write(.text(text))
                        }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 4 << 20) {
                            guard case .text(let text) = message,
                                  let decoded = try? SignalingCodec.decodeServer(Data(text.utf8)) else { continue }
                            incoming.yield(decoded)
                        }
                    }
                    // Either side ending (close, or the server closing) ends the connection.
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
            incoming.finish()
        }
    }

    func send(_ message: ClientMessage) { outgoing.yield(message) }

    func close() {
        outgoing.yield(.leave(ClientLeave()))
        outgoing.finish()
    }

    /// Waits until the connection has ended.
    func closed() async { await task.value }
}
