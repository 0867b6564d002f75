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
}
