import Foundation
import SCTP
import SFU
import Testing
import WebRTC

/// Splits a delivered message into its envelope header (as JSON) and payload.
private func open(_ message: RoomClient.DataMessage) -> (header: [String: Any], payload: [UInt8])? {
    guard let newline = message.bytes.firstIndex(of: UInt8(ascii: "\n")),
          let header = try? JSONSerialization.jsonObject(with: Data(message.bytes[..<newline])) as? [String: Any]
    else { return nil }
    return (header, Array(message.bytes[(newline + 1)...]))
}

private func envelope(_ header: String, _ payload: [UInt8]) -> [UInt8] {
    Array((header + "\n").utf8) + payload
}

/// Sends on a client's channel, waiting while its SCTP send buffer is full.
private func send(_ bytes: [UInt8], kind: DataChannelMessageKind = .binary, on stream: UInt16,
                  from client: RoomClient) async throws {
    for _ in 0..<1_000 {
        let accepted = try await client.withDataChannels { endpoint -> Bool in
            do throws(DataChannelEndpointError) {
                try endpoint.send(bytes, kind: kind, on: stream)
                return true
            } catch .association(.wouldBlock) {
                return false
            }
        }
        if accepted { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("the send buffer stayed full")
}

@Suite struct RoomDataChannelTests {
    private func joinWithData(_ bed: RoomTestBed, _ ids: [String]) async throws -> [RoomClient] {
        var clients: [RoomClient] = []
        for id in ids {
            clients.append(try await RoomClient.join(bed.room, as: id, clientWorker: bed.clientWorker,
                                                     context: bed.clientContext, dataChannels: true))
        }
        let all = clients
        try #require(try await eventually { all.allSatisfy(\.dataConnected) })
        return clients
    }

    @Test func messagesOfEveryKindAndSizeReachTheOthersTaggedWithTheSender() async throws {
        let bed = try await RoomTestBed.make(name: "data")
        let clients = try await joinWithData(bed, ["alice", "bob", "carol"])
        let (alice, bob, carol) = (clients[0], clients[1], clients[2])
        let (chat, lossy) = try await alice.withDataChannels { endpoint in
            (try endpoint.open(label: "chat"),
             try endpoint.open(label: "lossy", channelType: .partialReliableRexmitUnordered, reliabilityParameter: 0))
        }

        // Text, binary, empty payloads, then binary from 1 byte up to 256 KiB minus room for the
        // envelope (the whole relayed message must fit the receiver's 256 KiB).
        var payloads: [(DataChannelMessageKind, [UInt8])] = [
            (.text, Array("hello, room ✓".utf8)), (.text, []), (.binary, []), (.binary, [0, 10, 255]),
        ]
        for size in [1, 1_200, 16_384, 100_000, 262_144 - 1_024] {
            payloads.append((.binary, (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        }
        for (kind, payload) in payloads {
            try await send(envelope(#"{"topic":"t"}"#, payload), kind: kind, on: chat, from: alice)
        }
        try await send(envelope("{}", Array("fast".utf8)), kind: .text, on: lossy, from: alice)

        for receiver in [bob, carol] {
            #expect(try await eventually(timeout: .seconds(20)) { receiver.dataMessages.count == payloads.count + 1 })
            let onChat = receiver.dataMessages.filter { $0.label == "chat" }
            #expect(onChat.map(\.kind) == payloads.map(\.0), "kinds kept, in order")
            #expect(onChat.compactMap { open($0)?.payload } == payloads.map(\.1), "payloads intact, in order")
            #expect(onChat.allSatisfy { open($0)?.header["from"] as? String == "alice" })
            #expect(onChat.allSatisfy { open($0)?.header["topic"] as? String == "t" })
            let onLossy = receiver.dataMessages.filter { $0.label == "lossy" }
            #expect(onLossy.compactMap { open($0)?.payload } == [Array("fast".utf8)])
            // The room opened each channel with the sender's label and reliability (odd ids: DTLS server).
            let opened = receiver.openedChannels
            #expect(opened.map(\.label).sorted() == ["chat", "lossy"])
            #expect(opened.first { $0.label == "lossy" }?.channelType == .partialReliableRexmitUnordered)
            #expect(opened.allSatisfy { $0.streamID % 2 == 1 })
        }
        #expect(alice.dataMessages.isEmpty, "a sender does not get its own messages back")

        // A reply on the channel the room opened reaches alice on the channel she opened.
        let bobsChat = try #require(bob.openedChannels.first { $0.label == "chat" }?.streamID)
        try await send(envelope(#"{"to":["alice"]}"#, Array("hi alice".utf8)), kind: .text, on: bobsChat, from: bob)
        #expect(try await eventually { alice.dataMessages.count == 1 })
        #expect(alice.dataMessages.first?.streamID == chat)
        #expect(alice.dataMessages.first.flatMap { open($0)?.header["from"] as? String } == "bob")
        // Addressed to alice only: carol got nothing more.
        try await Task.sleep(for: .milliseconds(200))
        #expect(carol.dataMessages.count == payloads.count + 1)

        let relayed = await bed.room.relayedDataMessages
        #expect(relayed == 2 * (payloads.count + 1) + 1)
        try await bed.shutdown()
    }

    @Test func badEnvelopesAndSendersWithoutPermissionAreRefusedAndToldWhy() async throws {
        let bed = try await RoomTestBed.make(name: "data-refused")
        let clients = try await joinWithData(bed, ["alice", "bob"])
        let (alice, bob) = (clients[0], clients[1])
        let chat = try await alice.withDataChannels { try $0.open(label: "chat") }

        try await send(Array("no header line".utf8), kind: .text, on: chat, from: alice)
        try await send(envelope(#"{"to":"bob"}"#, [1]), on: chat, from: alice)
        #expect(try await eventually { alice.dataMessages.count == 2 })
        #expect(alice.dataMessages.compactMap { (open($0)?.header["error"] as? [String: Any])?["code"] as? String }
                == ["bad_envelope", "bad_envelope"])
        // The association is still there: the next good message goes through.
        try await send(envelope("{}", Array("ok".utf8)), kind: .text, on: chat, from: alice)
        #expect(try await eventually { bob.dataMessages.count == 1 })

        try await bed.room.setCanPublishData("alice", false)
        try await send(envelope("{}", Array("muted".utf8)), kind: .text, on: chat, from: alice)
        #expect(try await eventually { alice.dataMessages.count == 3 })
        #expect((alice.dataMessages.last.flatMap { open($0)?.header["error"] } as? [String: Any])?["code"] as? String
                == "not_allowed")
        #expect(bob.dataMessages.count == 1)
        #expect(await bed.room.droppedDataMessages == 3)
        try await bed.shutdown()
    }

    @Test func aReceiverThatStopsReadingOverflowsAloneAndTheSenderIsTold() async throws {
        let bed = try await RoomTestBed.make(name: "data-slow")
        let clients = try await joinWithData(bed, ["alice", "bob", "carol"])
        let (alice, bob, carol) = (clients[0], clients[1], clients[2])
        let chat = try await alice.withDataChannels { try $0.open(label: "chat") }
        try await send(envelope("{}", [0]), on: chat, from: alice)
        #expect(try await eventually { bob.dataMessages.count == 1 && carol.dataMessages.count == 1 })

        // Bob's side stops taking anything in: no SACKs, so the room's buffers for him fill.
        let bobTransport = UncheckedTransport(bob.transport)
        try await bed.clientWorker.submit { bobTransport.transport?.receiveFilter = { _, kind in kind != .dtls } }
        // 3.6 MB at about 1.5 MB/s, as a file transfer paced by bufferedAmount would go: more
        // than usrsctp's 1 MiB and the outbox's 1 MiB hold for bob, and easy for carol.
        let chunk = [UInt8](repeating: 7, count: 60_000)
        let count = 60
        for index in 0..<count {
            try await send(envelope("{}", [UInt8(index)] + chunk), on: chat, from: alice)
            try await Task.sleep(for: .milliseconds(40))
        }
        #expect(try await eventually(timeout: .seconds(30)) { carol.dataMessages.count == 1 + count },
                "carol gets everything although bob reads nothing")
        #expect(carol.dataMessages.dropFirst().compactMap { open($0)?.payload.first } == (0..<count).map(UInt8.init))
        #expect(try await eventually {
            alice.dataMessages.contains { (open($0)?.header["error"] as? [String: Any])?["to"] as? String == "bob" }
        })
        let notices = alice.dataMessages.compactMap { open($0)?.header["error"] as? [String: Any] }
        print("NOTICES", notices.filter { $0["to"] as? String != "bob" }, notices.count)
        #expect(notices.allSatisfy { $0["code"] as? String == "receiver_overflow" && $0["to"] as? String == "bob" })
        #expect(await bed.room.droppedDataMessages == notices.count)
        try await bed.shutdown()
    }

    @Test func serverMessagesArriveOnTheReliableChannelFromNobody() async throws {
        let bed = try await RoomTestBed.make(name: "data-server")
        let clients = try await joinWithData(bed, ["alice", "bob"])
        let withoutData = try await bed.join("dave")
        let delivered = await bed.room.sendServerData(Array("maintenance at 5".utf8), topic: "ops",
                                                      to: ["bob", "dave", "nobody"])
        #expect(delivered == ["bob"], "dave has no data channels, nobody is not here")
        #expect(try await eventually { clients[1].dataMessages.count == 1 })
        let message = try #require(clients[1].dataMessages.first)
        #expect(message.label == Room.reliableDataLabel && message.kind == .text)
        let (header, payload) = try #require(open(message))
        #expect(header["from"] is NSNull && header["topic"] as? String == "ops")
        #expect(payload == Array("maintenance at 5".utf8))
        #expect(clients[0].dataMessages.isEmpty && withoutData.dataMessages.isEmpty)
        try await bed.shutdown()
    }
}
