import SCTP
import Testing

/// What one endpoint observed.
final class EndpointLog {
    var opened: [DataChannel] = []
    var acknowledged: [DataChannel] = []
    var messages: [(UInt16, DataChannelMessageKind, [UInt8])] = []
    var closed: [UInt16] = []
    var rejected: [DataChannelEndpointError] = []

    func attach(to endpoint: DataChannelEndpoint) {
        endpoint.onChannelOpened = { [unowned self] in opened.append($0) }
        endpoint.onChannelAcknowledged = { [unowned self] in acknowledged.append($0) }
        endpoint.onMessage = { [unowned self] in messages.append(($0, $1, Array($2))) }
        endpoint.onChannelClosed = { [unowned self] in closed.append($0) }
        endpoint.onRejected = { [unowned self] in rejected.append($0) }
    }
}

extension UsrsctpProcessTests {
    @Suite struct DataChannelEndpointTests {
        /// A is the DTLS client, B the server.
        private func withEndpoints(
            _ body: (SCTPTestPair, DataChannelEndpoint, EndpointLog, DataChannelEndpoint, EndpointLog) throws -> Void
        ) throws {
            do {
                let pair = try SCTPTestPair()
                defer { pair.close() }
                try pair.connect()
                let client = DataChannelEndpoint(association: pair.a, isDTLSClient: true)
                let server = DataChannelEndpoint(association: pair.b, isDTLSClient: false)
                let clientLog = EndpointLog(), serverLog = EndpointLog()
                clientLog.attach(to: client)
                serverLog.attach(to: server)
                try body(pair, client, clientLog, server, serverLog)
            }
        }

        @Test func openAndAckWorkBothWaysWithRoleParity() throws {
            try withEndpoints { pair, client, clientLog, server, serverLog in
                let first = try client.open(label: "chat", protocol: "json")
                let second = try client.open(label: "file", channelType: .reliableUnordered)
                let fromServer = try server.open(label: "srv", channelType: .partialReliableRexmit,
                                                 reliabilityParameter: 2)
                #expect([first, second] == [0, 2])
                #expect(fromServer == 1)
                #expect(client.channels[0]?.state == .opening)
                try #require(pair.pump { clientLog.acknowledged.count == 2 && serverLog.acknowledged.count == 1 })
                #expect(serverLog.opened.map(\.streamID) == [0, 2])
                #expect(serverLog.opened.first?.label == "chat")
                #expect(serverLog.opened.first?.subprotocol == "json")
                #expect(serverLog.opened.last?.channelType == .reliableUnordered)
                #expect(clientLog.opened.map(\.label) == ["srv"])
                #expect(clientLog.opened.first?.reliabilityParameter == 2)
                #expect(client.channels.values.allSatisfy { $0.state == .open })
                #expect(server.channels.count == 3)
                #expect(clientLog.rejected.isEmpty && serverLog.rejected.isEmpty)
            }
        }

        @Test(arguments: [DataChannelType.reliable, .reliableUnordered, .partialReliableRexmitUnordered,
                          .partialReliableTimed])
        func textBinaryAndEmptyMessagesArriveWithTheirKind(type: DataChannelType) throws {
            try withEndpoints { pair, client, _, _, serverLog in
                let stream = try client.open(label: "x", channelType: type, reliabilityParameter: 3000)
                try #require(pair.pump { serverLog.opened.count == 1 })
                let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
                try client.send(text: "héllo", on: stream)
                try client.send(text: "", on: stream)
                try [UInt8]().withUnsafeBytes { try client.send(binary: $0, on: stream) }
                try big.withUnsafeBytes { try client.send(binary: $0, on: stream) }
                try #require(pair.pump { serverLog.messages.count == 4 })
                // Unordered channels may reorder; compare as a set of (kind, bytes).
                let got = serverLog.messages.map { "\($0.1):\($0.2.count):\($0.2.prefix(8))" }.sorted()
                let want = [(DataChannelMessageKind.text, Array("héllo".utf8)), (.text, []), (.binary, []),
                            (.binary, big)].map { "\($0.0):\($0.1.count):\($0.1.prefix(8))" }.sorted()
                #expect(got == want)
                #expect(serverLog.messages.allSatisfy { $0.0 == stream })
                #expect(serverLog.messages.first { $0.2.count == big.count }?.2 == big)
            }
        }

        @Test func wireUsesRFC8831PPIDsAndEmptyMessagesAreOneZeroByte() throws {
            do {
                let pair = try SCTPTestPair()
                defer { pair.close() }
                try pair.connect()
                // Only A runs DCEP; B is a raw peer that records what arrives.
                let client = DataChannelEndpoint(association: pair.a, isDTLSClient: true)
                let stream = try client.open(label: "raw")
                try #require(pair.pump { pair.receivedByB.count == 1 })
                let open = pair.receivedByB[0]
                #expect(open.ppid == 50 && open.streamID == stream)
                try open.bytes.withUnsafeBytes { bytes in
                    let parsed = try DataChannelOpenMessage(parsing: bytes)
                    #expect(Array(bytes[parsed.labelRange]) == Array("raw".utf8))
                }
                try DataChannelAckMessage.bytes.withUnsafeBytes {
                    try pair.b.send(message: $0, streamID: stream, ppid: 50, ordered: true, maxRetransmits: nil)
                }
                try #require(pair.pump { client.channels[stream]?.state == .open })
                try client.send(text: "", on: stream)
                try client.send(text: "t", on: stream)
                try [UInt8]().withUnsafeBytes { try client.send(binary: $0, on: stream) }
                try [UInt8(9)].withUnsafeBytes { try client.send(binary: $0, on: stream) }
                try #require(pair.pump { pair.receivedByB.count == 5 })
                #expect(pair.receivedByB.dropFirst().map(\.ppid) == [56, 51, 57, 53])
                #expect(pair.receivedByB.dropFirst().map(\.bytes) == [[0], Array("t".utf8), [0], [9]])
            }
        }

        @Test func badDCEPIsRejectedAndTheAssociationKeepsWorking() throws {
            do {
                let pair = try SCTPTestPair()
                defer { pair.close() }
                try pair.connect()
                let client = DataChannelEndpoint(association: pair.a, isDTLSClient: true)
                let log = EndpointLog()
                log.attach(to: client)
                let valid = try DataChannelOpenMessage.build(channelType: .reliable, label: "ok")
                let bad: [(UInt16, UInt32, [UInt8])] = [
                    (1, 50, Array(valid.prefix(9))),            // truncated OPEN
                    (3, 50, [0x03, 0x07] + valid.dropFirst(2)), // unknown channel type
                    (5, 50, [0x09]),                            // unknown DCEP message type
                    (7, 50, DataChannelAckMessage.bytes),       // ACK for nothing
                    (2, 50, valid),                             // OPEN with the client's parity
                    (9, 51, Array("hi".utf8)),                  // data before any OPEN
                    (11, 52, [1]),                              // deprecated partial PPID
                ]
                for (stream, ppid, bytes) in bad {
                    try bytes.withUnsafeBytes {
                        try pair.b.send(message: $0, streamID: stream, ppid: ppid, ordered: true, maxRetransmits: nil)
                    }
                }
                try #require(pair.pump { client.rejectedMessageCount == bad.count })
                #expect(log.rejected == [
                    .malformedDCEP(streamID: 1, .truncated(needed: 12, available: 9)),
                    .malformedDCEP(streamID: 3, .unknownChannelType(0x07)),
                    .malformedDCEP(streamID: 5, .unknownMessageType(0x09)),
                    .unexpectedAck(streamID: 7),
                    .openWithWrongParity(streamID: 2),
                    .messageOnUnknownStream(streamID: 9),
                    .unsupportedPPID(streamID: 11, ppid: 52),
                ])
                #expect(client.channels.isEmpty)
                #expect(pair.a.state == .connected)
                // A valid OPEN after all that still opens a channel and gets its ACK.
                try valid.withUnsafeBytes {
                    try pair.b.send(message: $0, streamID: 13, ppid: 50, ordered: true, maxRetransmits: nil)
                }
                try #require(pair.pump { log.opened.count == 1 && pair.receivedByB.count == 1 })
                #expect(log.opened.first?.streamID == 13)
                #expect(pair.receivedByB == [.init(streamID: 13, ppid: 50, bytes: [0x02])])
                // Duplicate OPEN on a stream in use is rejected too.
                try valid.withUnsafeBytes {
                    try pair.b.send(message: $0, streamID: 13, ppid: 50, ordered: true, maxRetransmits: nil)
                }
                try #require(pair.pump { client.rejectedMessageCount == bad.count + 1 })
                #expect(log.rejected.last == .openOnStreamInUse(streamID: 13))
            }
        }

        @Test func closingResetsStreamsAndBothSidesForgetTheChannel() throws {
            try withEndpoints { pair, client, clientLog, server, serverLog in
                let stream = try client.open(label: "bye")
                let other = try server.open(label: "stay")
                try #require(pair.pump { clientLog.acknowledged.count == 1 && serverLog.acknowledged.count == 1 })
                try client.close(stream)
                #expect(client.channels[stream]?.state == .closing)
                #expect(throws: DataChannelEndpointError.channelNotOpen(streamID: stream)) {
                    try client.send(text: "late", on: stream)
                }
                try #require(pair.pump { serverLog.closed == [stream] && clientLog.closed == [stream] })
                #expect(client.channels[stream] == nil && server.channels[stream] == nil)
                #expect(client.channels[other] != nil)
                // The other channel still carries data, and the id is reused by the next open.
                try server.send(text: "still here", on: other)
                try #require(pair.pump { clientLog.messages.count == 1 })
                #expect(try client.open(label: "again") == stream)
                try #require(pair.pump { serverLog.opened.count == 2 })
                #expect(serverLog.opened.last?.label == "again")
            }
        }
    }
}
