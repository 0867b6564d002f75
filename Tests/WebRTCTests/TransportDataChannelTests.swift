import NIOConcurrencyHelpers
import SCTP
import Testing
import WebRTC

/// Records data channel events (and the connection) of one transport, readable from the test.
final class DataChannelRecorder: WebRTCTransportDelegate, @unchecked Sendable {
    struct Message: Equatable {
        var streamID: UInt16
        var kind: DataChannelMessageKind
        var bytes: [UInt8]
    }

    private let lock = NIOLock()
    private var _sctpConnected = false
    private var _opened: [DataChannel] = []
    private var _messages: [Message] = []
    private var _closed: [UInt16] = []
    /// Sends every message back on its stream when set (runs on the transport's loop).
    let echo: Bool

    init(echo: Bool = false) { self.echo = echo }

    /// The SCTP association is up (which needs DTLS first).
    var connected: Bool { lock.withLock { _sctpConnected } }
    var opened: [DataChannel] { lock.withLock { _opened } }
    var messages: [Message] { lock.withLock { _messages } }
    var closed: [UInt16] { lock.withLock { _closed } }

    func transportDidConnect(_ transport: WebRTCTransport) {}
    func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {}
    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {}
    func transportDataChannelsDidConnect(_ transport: WebRTCTransport) { lock.withLock { _sctpConnected = true } }
    func transport(_ transport: WebRTCTransport, didOpenDataChannel channel: DataChannel) {
        lock.withLock { _opened.append(channel) }
    }
    func transport(_ transport: WebRTCTransport, didReceiveDataChannelMessage message: UnsafeRawBufferPointer,
                   kind: DataChannelMessageKind, onStream streamID: UInt16) {
        let copy = Message(streamID: streamID, kind: kind, bytes: Array(message))
        lock.withLock { _messages.append(copy) }
        if echo { try? transport.dataChannels?.send(message, kind: kind, on: streamID) }
    }
    func transport(_ transport: WebRTCTransport, didCloseDataChannel streamID: UInt16) {
        lock.withLock { _closed.append(streamID) }
    }
}

@Suite struct TransportDataChannelTests {
    /// A server and a client transport with data channels on, SCTP up on both.
    private func connectedPair(server: DataChannelRecorder, client: DataChannelRecorder,
                               serverMaxMessageSize: Int = DataChannelConfiguration.advertisedMaxMessageSize)
        async throws -> (LoopbackPair, TransportHandle, TransportHandle) {
        let pair = try await LoopbackPair.make()
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (serverHandle, clientHandle) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents)
        try await serverHandle.run {
            $0.delegate = server
            $0.enableDataChannels(DataChannelConfiguration(remoteMaxMessageSize: 262_144,
                                                           localMaxMessageSize: serverMaxMessageSize))
        }
        try await clientHandle.run {
            $0.delegate = client
            $0.enableDataChannels(DataChannelConfiguration(remoteMaxMessageSize: serverMaxMessageSize))
        }
        try #require(try await eventually { server.connected && client.connected })
        return (pair, serverHandle, clientHandle)
    }

    @Test func clientOpensChannelsAndMessagesOfEveryKindAndSizeMakeTheRoundTrip() async throws {
        let server = DataChannelRecorder(echo: true), client = DataChannelRecorder()
        let (pair, serverHandle, clientHandle) = try await connectedPair(server: server, client: client)

        let streams = try await clientHandle.run { transport -> [UInt16] in
            guard let channels = transport.dataChannels else { return [] }
            let chat = (try? channels.open(label: "chat")) ?? 999
            let lossy = (try? channels.open(label: "lossy", channelType: .partialReliableRexmitUnordered,
                                            reliabilityParameter: 0)) ?? 999
            return [chat, lossy]
        }
        // RFC 8832 §6: the DTLS client (the client here) takes even stream ids.
        #expect(streams == [0, 2])
        #expect(try await eventually { server.opened.count == 2 })
        #expect(server.opened.map(\.label) == ["chat", "lossy"])
        #expect(server.opened.last?.channelType == .partialReliableRexmitUnordered)
        #expect(server.opened.allSatisfy { $0.isRemote })

        // Sizes from 1 byte to the advertised 256 KiB, text and binary, ordered and unordered,
        // and RFC 8831 §6.6's empty messages.
        var sent: [DataChannelRecorder.Message] = [
            .init(streamID: 0, kind: .text, bytes: Array("hello, room".utf8)),
            .init(streamID: 0, kind: .text, bytes: []),
            .init(streamID: 0, kind: .binary, bytes: []),
            .init(streamID: 2, kind: .text, bytes: Array("ping".utf8)),
            .init(streamID: 2, kind: .binary, bytes: [0x42]),
        ]
        for size in [1, 1_000, 1_200, 16_384, 65_536, 262_144] {
            sent.append(.init(streamID: 0, kind: .binary, bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        }
        for message in sent {
            let ok = try await clientHandle.run { transport -> Bool in
                (try? message.bytes.withUnsafeBytes {
                    try transport.dataChannels?.send($0, kind: message.kind, on: message.streamID)
                }) != nil
            }
            #expect(ok, "sending \(message.bytes.count) bytes on stream \(message.streamID)")
        }
        #expect(try await eventually(timeout: .seconds(20)) { client.messages.count == sent.count })
        // Reliable ordered stream 0 keeps its order; the unordered stream may interleave.
        #expect(server.messages.filter { $0.streamID == 0 } == sent.filter { $0.streamID == 0 })
        #expect(Set(server.messages.filter { $0.streamID == 2 }.map(\.bytes)) == [Array("ping".utf8), [0x42]])
        #expect(client.messages.filter { $0.streamID == 0 } == sent.filter { $0.streamID == 0 },
                "the echo comes back intact")

        // Closing resets the stream (RFC 8831 §6.7); the peer sees it closed.
        try await clientHandle.run { transport in try? transport.dataChannels?.close(2) }
        #expect(try await eventually { server.closed == [2] })
        _ = serverHandle
        try await pair.shutdown()
    }

    @Test func serverOpensChannelsOfItsOwnParityAndTheClientSeesThem() async throws {
        let server = DataChannelRecorder(), client = DataChannelRecorder(echo: true)
        let (pair, serverHandle, _) = try await connectedPair(server: server, client: client)
        let stream = try await serverHandle.run { transport -> UInt16? in
            guard let channels = transport.dataChannels,
                  let stream = try? channels.open(label: "chat") else { return nil }
            // Messages may follow the OPEN at once (they go ordered until the ACK).
            try? channels.send(text: "welcome", on: stream)
            return stream
        }
        #expect(stream == 1)
        #expect(try await eventually { client.opened.map(\.label) == ["chat"] && server.messages.count == 1 })
        #expect(server.messages.first == .init(streamID: 1, kind: .text, bytes: Array("welcome".utf8)))
        try await pair.shutdown()
    }

    @Test func badDCEPAndOversizedMessagesAreDroppedAndTheAssociationCarriesOn() async throws {
        let server = DataChannelRecorder(echo: true), client = DataChannelRecorder()
        let (pair, serverHandle, clientHandle) = try await connectedPair(server: server, client: client,
                                                                          serverMaxMessageSize: 4_096)
        let before = await pair.serverWorker.counters.droppedDataChannelMessages
        try await clientHandle.run { transport in
            guard let channels = transport.dataChannels else { return }
            let association = channels.association
            // An unknown DCEP message type, an OPEN cut short, and data on a stream never opened.
            for (bytes, ppid) in [([UInt8(0x07)], UInt32(50)), ([0x03, 0x00, 0x00], 50), ([0x01], 53)] {
                try? bytes.withUnsafeBytes {
                    try association.send(message: $0, streamID: 4, ppid: ppid, ordered: true, maxRetransmits: nil)
                }
            }
            let chat = try? channels.open(label: "chat")
            // Over the server's advertised 4 KiB: dropped by the server, the rest goes on.
            let big = [UInt8](repeating: 9, count: 8_192)
            try? big.withUnsafeBytes { try channels.send(binary: $0, on: chat ?? 0) }
            try? channels.send(text: "still here", on: chat ?? 0)
        }
        #expect(try await eventually { client.messages.map(\.bytes) == [Array("still here".utf8)] })
        #expect(server.messages.count == 1)
        #expect(await pair.serverWorker.counters.droppedDataChannelMessages - before == 3)
        #expect(try await serverHandle.run { $0.dataChannelsConnected })
        try await pair.shutdown()
    }
}
