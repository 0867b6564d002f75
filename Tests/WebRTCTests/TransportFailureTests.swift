import DTLS
import ICE
import NIOCore
import Testing
import WebRTC

@Suite struct TransportFailureTests {
    @Test func certificateNotMatchingTheSDPFingerprintIsRejected() async throws {
        let pair = try await LoopbackPair.make()
        let impostor = try DTLSCertificate.generateSelfSigned().fingerprint
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (server, _) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents,
                                                 serverExpectsFingerprint: impostor)
        #expect(try await eventually { serverEvents.closeReason != nil })
        guard case .dtlsFailed(.fingerprintMismatch) = serverEvents.closeReason else {
            Issue.record("expected a fingerprint mismatch, got \(String(describing: serverEvents.closeReason))")
            return
        }
        #expect(!serverEvents.connected)
        // The server never keys SRTP, so nothing it is asked to send leaves.
        let packet = rtpPacket(sequenceNumber: 1, ssrc: 1, payloadByte: 1)
        #expect(try await server.run { transport in packet.withUnsafeBytes { !transport.sendRTP($0) } })
        try await pair.shutdown()
    }

    @Test func bindingRequestWithWrongPasswordIsNotAnswered() async throws {
        let pair = try await LoopbackPair.make()
        let serverWorker = pair.serverWorker, context = pair.serverContext
        let server = try await serverWorker.submit {
            TransportHandle(transport: WebRTCTransport.makeServer(on: serverWorker, dtlsContext: context),
                            worker: serverWorker)
        }
        let serverCredentials = try await server.run { $0.localCredentials }
        let attacker = try await RawUDPSocket.bind(on: pair.group)
        let wrong = ICECredentials(usernameFragment: serverCredentials.usernameFragment,
                                   password: "not-the-password-at-all")
        let agent = ICEControllingAgent(local: .random(), remote: wrong)
        var request = [UInt8](repeating: 0, count: 512)
        let length = request.withUnsafeMutableBytes { agent.makeBindingRequest(nominate: true, now: .now, into: $0) }
        try await attacker.send(Array(request[0..<length]), to: serverWorker.localAddress)

        #expect(try await eventually { await serverWorker.counters.droppedSTUN == 1 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(attacker.datagrams.isEmpty, "no response, not even an error, to a bad MESSAGE-INTEGRITY")
        #expect(try await server.run { "\($0.state)" } == "new")
        try await attacker.close()
        try await pair.shutdown()
    }

    @Test func consentWindowStartsWhenThePeerIsKnown() async throws {
        // A browser's subscriber connection is negotiated only when there is something to
        // receive: until then its server transport must not expire.
        let pair = try await LoopbackPair.make()
        let events = RecordingDelegate()
        let serverWorker = pair.serverWorker, serverContext = pair.serverContext
        let server = try await serverWorker.submit {
            let transport = WebRTCTransport.makeServer(on: serverWorker, dtlsContext: serverContext,
                                                       consentTimeout: .milliseconds(500))
            transport.delegate = events
            return TransportHandle(transport: transport, worker: serverWorker)
        }
        try await Task.sleep(for: .milliseconds(1200))
        #expect(try await server.run { "\($0.state)" } == "new", "no peer parameters yet: nothing expires")
        try await server.run { transport in
            transport.setRemoteParameters(.init(iceCredentials: ICECredentials(usernameFragment: "peer", password: "peer-password-1234567"),
                                                fingerprints: []))
        }
        #expect(try await server.run { "\($0.state)" } == "new", "the window restarts with the parameters")
        #expect(try await eventually(timeout: .seconds(5)) { events.closeReason == .consentExpired },
                "a known peer that never checks is gone after the window")
        try await pair.shutdown()
    }

    @Test func transportClosesWhenConsentExpires() async throws {
        let pair = try await LoopbackPair.make()
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        // The client checks consent every 4-6 s (RFC 7675); a 1 s timeout lapses before that.
        _ = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents,
                                   consentTimeout: .seconds(1))
        #expect(try await eventually { serverEvents.connected })
        let start = ContinuousClock.now
        #expect(try await eventually(timeout: .seconds(5)) { serverEvents.closeReason == .consentExpired })
        #expect(ContinuousClock.now - start < .seconds(3))
        try await pair.shutdown()
    }

    @Test func garbageFloodFromAnotherPortDoesNotDisturbAnEstablishedTransport() async throws {
        let pair = try await LoopbackPair.make()
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (server, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents)
        #expect(try await eventually { serverEvents.connected && clientEvents.connected })

        // Every RFC 7983 range: STUN-, DTLS- and RTP-looking noise, plus bytes nobody speaks.
        let flood = try await RawUDPSocket.bind(on: pair.group)
        var generator = SystemRandomNumberGenerator()
        let firstBytes: [UInt8] = [0x00, 0x01, 0x16, 0x17, 0x80, 0x90, 0xC0, 0x40, 0xFF]
        let floodCount = 2_000
        for index in 0..<floodCount {
            var datagram = (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            datagram[0] = firstBytes[index % firstBytes.count]
            try await flood.send(datagram, to: pair.serverWorker.localAddress)
        }
        #expect(try await eventually {
            let counters = await pair.serverWorker.counters
            return counters.droppedFromUnknownAddress + counters.droppedSTUNForUnknownUsername
                + counters.droppedUnknownKind + counters.droppedSTUN >= UInt64(floodCount)
        })

        // Media still flows both ways and nothing reached the transport's owner.
        for sequenceNumber in UInt16(1)...20 {
            let up = rtpPacket(sequenceNumber: sequenceNumber, ssrc: 0x1111, payloadByte: 0xAA)
            let down = rtpPacket(sequenceNumber: sequenceNumber, ssrc: 0x2222, payloadByte: 0xBB)
            _ = try await client.run { transport in up.withUnsafeBytes { transport.sendRTP($0) } }
            _ = try await server.run { transport in down.withUnsafeBytes { transport.sendRTP($0) } }
        }
        #expect(try await eventually { serverEvents.rtp.count == 20 && clientEvents.rtp.count == 20 })
        #expect(serverEvents.closeReason == nil && clientEvents.closeReason == nil)
        #expect(flood.datagrams.isEmpty, "the server answers noise with nothing")
        try await flood.close()
        try await pair.shutdown()
    }

    @Test func nominationFromANewAddressMovesThePath() async throws {
        let pair = try await LoopbackPair.make()
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (server, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents)
        #expect(try await eventually { serverEvents.connected && clientEvents.connected })
        let serverCredentials = try await server.run { $0.localCredentials }
        let clientCredentials = try await client.run { $0.localCredentials }

        // The same peer, after a network change, checks from a new address (RFC 8445 §8.1.1).
        let moved = try await RawUDPSocket.bind(on: pair.group)
        let agent = ICEControllingAgent(local: clientCredentials, remote: serverCredentials)
        var request = [UInt8](repeating: 0, count: 512)
        let length = request.withUnsafeMutableBytes { agent.makeBindingRequest(nominate: true, now: .now, into: $0) }
        try await moved.send(Array(request[0..<length]), to: pair.serverWorker.localAddress)
        #expect(try await eventually { moved.datagrams.count == 1 }, "the check is answered")

        let packet = rtpPacket(sequenceNumber: 1, ssrc: 0x2222, payloadByte: 0xCC)
        #expect(try await server.run { transport in packet.withUnsafeBytes { transport.sendRTP($0) } })
        #expect(try await eventually { moved.datagrams.count == 2 }, "media now goes to the new address")
        try await Task.sleep(for: .milliseconds(200))
        #expect(clientEvents.rtp.isEmpty, "and no longer to the old one")
        try await moved.close()
        try await pair.shutdown()
    }

    @Test func iceRestartKeepsMediaOnTheOldPathUntilTheNewCredentialsNominateAnother() async throws {
        let pair = try await LoopbackPair.make()
        let serverEvents = RecordingDelegate(), clientEvents = RecordingDelegate()
        let (server, client) = try await pair.connect(serverDelegate: serverEvents, clientDelegate: clientEvents)
        #expect(try await eventually { serverEvents.connected && clientEvents.connected })
        let oldServer = try await server.run { $0.localCredentials }
        let clientCredentials = try await client.run { $0.localCredentials }

        let newServer = try await server.run { $0.restartICE() }
        #expect(newServer.usernameFragment != oldServer.usernameFragment)
        #expect(newServer.password != oldServer.password)
        // DTLS and SRTP survive: media still reaches the client on the old path.
        let first = rtpPacket(sequenceNumber: 1, ssrc: 0x3333, payloadByte: 0xAA)
        #expect(try await server.run { transport in first.withUnsafeBytes { transport.sendRTP($0) } })
        #expect(try await eventually { clientEvents.rtp.count == 1 })

        // The client's network changed; it checks from a new address. The old credentials are dead.
        let moved = try await RawUDPSocket.bind(on: pair.group)
        func check(local: ICECredentials, remote: ICECredentials) async throws {
            let agent = ICEControllingAgent(local: local, remote: remote)
            var request = [UInt8](repeating: 0, count: 512)
            let length = request.withUnsafeMutableBytes { agent.makeBindingRequest(nominate: true, now: .now, into: $0) }
            try await moved.send(Array(request[0..<length]), to: pair.serverWorker.localAddress)
        }
        let droppedBefore = await pair.serverWorker.counters.droppedSTUNForUnknownUsername
        try await check(local: clientCredentials, remote: oldServer)
        // (The real client's own periodic checks, still on the old ufrag, are dropped too.)
        #expect(try await eventually { await pair.serverWorker.counters.droppedSTUNForUnknownUsername > droppedBefore })
        try await Task.sleep(for: .milliseconds(200))
        #expect(moved.datagrams.isEmpty, "a check with the old ufrag is not answered")

        let restartedClient = ICECredentials(usernameFragment: "rst1", password: "restartedClientPasswd/")
        let clientFingerprint = try await client.run { $0.localFingerprint }
        try await server.run { transport in
            transport.setRemoteParameters(.init(iceCredentials: restartedClient, fingerprints: [clientFingerprint]))
        }
        try await check(local: restartedClient, remote: newServer)
        #expect(try await eventually { moved.datagrams.count == 1 }, "the new credentials are answered")
        let second = rtpPacket(sequenceNumber: 2, ssrc: 0x3333, payloadByte: 0xBB)
        #expect(try await server.run { transport in second.withUnsafeBytes { transport.sendRTP($0) } })
        #expect(try await eventually { moved.datagrams.count == 2 }, "media follows the new nomination")
        #expect(try await server.run { $0.state } == .connected)
        try await moved.close()
        try await pair.shutdown()
    }
}
