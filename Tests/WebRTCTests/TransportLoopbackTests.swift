import DTLS
import NIOCore
import Testing
import WebRTC

@Suite struct TransportLoopbackTests {
    @Test(arguments: [
        ([DTLSSRTPProfile.aeadAES128GCM, .aes128CMHMACSHA1_80], "AEAD_AES_128_GCM"),
        ([DTLSSRTPProfile.aes128CMHMACSHA1_80], "AES_CM_128_HMAC_SHA1_80"),
    ])
    func clientAndServerConnectAndExchangeMediaBothWays(serverProfiles: [DTLSSRTPProfile], expectedProfile: String) async throws {
        let pair = try await LoopbackPair.make(serverProfiles: serverProfiles)
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (server, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents)

        #expect(try await eventually { serverEvents.connected && clientEvents.connected })
        #expect(try await server.run { "\($0.srtpProfile.map(String.init(describing:)) ?? "none")" } == expectedProfile)
        #expect(try await client.run { "\($0.srtpProfile.map(String.init(describing:)) ?? "none")" } == expectedProfile)

        let up = rtpPacket(sequenceNumber: 1, ssrc: 0x1111, payloadByte: 0xAA)
        let down = rtpPacket(sequenceNumber: 7, ssrc: 0x2222, payloadByte: 0xBB)
        #expect(try await client.run { transport in up.withUnsafeBytes { transport.sendRTP($0) } })
        #expect(try await server.run { transport in down.withUnsafeBytes { transport.sendRTP($0) } })
        #expect(try await eventually { serverEvents.rtp.count == 1 && clientEvents.rtp.count == 1 })
        #expect(serverEvents.rtp.first.map { $0 == up } == true, "the server decrypts exactly what the client sent")
        #expect(clientEvents.rtp.first.map { $0 == down } == true)

        let receiverReport: [UInt8] = [0x80, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x11, 0x11]
        #expect(try await client.run { transport in receiverReport.withUnsafeBytes { transport.sendRTCP($0) } })
        #expect(try await eventually { serverEvents.rtcp == [receiverReport] })

        try await client.run { $0.close() }
        #expect(try await eventually { serverEvents.closeReason == .closedByPeer })
        try await pair.shutdown()
    }

    @Test(arguments: [ClientPath.udpIPv6, .tcp])
    func mediaFlowsOverIPv6AndICETCP(path: ClientPath) async throws {
        let pair = try await LoopbackPair.make()
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (server, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents,
                                                      via: path)
        #expect(try await eventually { serverEvents.connected && clientEvents.connected })
        #expect(try await server.run { $0.isUsingTCP } == (path == .tcp))
        for sequenceNumber in UInt16(1)...50 {
            let up = rtpPacket(sequenceNumber: sequenceNumber, ssrc: 0x1111, payloadByte: UInt8(sequenceNumber))
            let down = rtpPacket(sequenceNumber: sequenceNumber, ssrc: 0x2222, payloadByte: UInt8(sequenceNumber))
            _ = try await client.run { transport in up.withUnsafeBytes { transport.sendRTP($0) } }
            _ = try await server.run { transport in down.withUnsafeBytes { transport.sendRTP($0) } }
        }
        #expect(try await eventually { serverEvents.rtp.count == 50 && clientEvents.rtp.count == 50 })
        #expect(serverEvents.rtp.map { $0[12] } == (1...50).map(UInt8.init), "in order and intact")
        try await pair.shutdown()
    }

    /// An offer with `a=setup:passive` makes the ICE-lite server the DTLS client.
    @Test func serverCanBeTheDTLSClientWhenTheOfferSaysPassive() async throws {
        let pair = try await LoopbackPair.make()
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (server, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents,
                                                      serverIsDTLSClient: true)
        #expect(try await eventually { serverEvents.connected && clientEvents.connected })
        #expect(try await server.run { $0.dtlsRole } == .client)
        #expect(try await client.run { $0.dtlsRole } == .server)
        let up = rtpPacket(sequenceNumber: 3, ssrc: 0x3333, payloadByte: 0x33)
        _ = try await client.run { transport in up.withUnsafeBytes { transport.sendRTP($0) } }
        #expect(try await eventually { serverEvents.rtp.count == 1 })
        #expect(serverEvents.rtp.first.map { $0 == up } == true, "keys were split by DTLS role")
        try await pair.shutdown()
    }

    /// The client role must scale to load generation: many transports in one process.
    @Test func twoHundredClientTransportsConnectToOneServerWorker() async throws {
        let pair = try await LoopbackPair.make()
        let count = 200
        var delegates: [(RecordingDelegate, RecordingDelegate)] = []
        var handles: [TransportHandle] = []
        for _ in 0..<count {
            let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
            let (_, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents)
            delegates.append((serverEvents, clientEvents))
            handles.append(client)
        }
        #expect(try await eventually(timeout: .seconds(30)) { delegates.allSatisfy { $0.0.connected && $0.1.connected } })
        for (index, client) in handles.enumerated() {
            let packet = rtpPacket(sequenceNumber: 1, ssrc: UInt32(index + 1), payloadByte: 0x5A, payloadSize: 200)
            _ = try await client.run { transport in packet.withUnsafeBytes { transport.sendRTP($0) } }
        }
        let received = try await eventually { delegates.allSatisfy { $0.0.rtp.count == 1 } }
        let serverCounters = await pair.serverWorker.counters
        #expect(received, "received per server transport: \(Dictionary(grouping: delegates, by: { $0.0.rtp.count }).mapValues(\.count)); server: \(serverCounters)")
        #expect(await pair.serverWorker.transportCount == count)
        try await pair.shutdown()
    }
}
