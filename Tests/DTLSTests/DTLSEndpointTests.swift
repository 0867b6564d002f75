import DTLS
import Testing

@Suite struct DTLSEndpointTests {
    // MARK: Handshake and keys

    /// (client offers, server offers, expected). OpenSSL's server picks by its own order of
    /// preference; DTLSContext's default order puts AES-GCM first.
    @Test(arguments: [
        (DTLSSRTPProfile.allCases, [DTLSSRTPProfile.aeadAES128GCM], DTLSSRTPProfile.aeadAES128GCM),
        (DTLSSRTPProfile.allCases, [.aes128CMHMACSHA1_80], .aes128CMHMACSHA1_80),
        ([.aeadAES128GCM], [.aeadAES128GCM], .aeadAES128GCM),
        ([.aes128CMHMACSHA1_80], [.aes128CMHMACSHA1_80], .aes128CMHMACSHA1_80),
        (DTLSSRTPProfile.allCases, DTLSSRTPProfile.allCases, .aeadAES128GCM),
        ([.aes128CMHMACSHA1_80, .aeadAES128GCM], DTLSSRTPProfile.allCases, .aeadAES128GCM),
        (DTLSSRTPProfile.allCases, [.aes128CMHMACSHA1_80, .aeadAES128GCM], .aes128CMHMACSHA1_80),
    ])
    func handshakeAgreesOnProfileAndKeyingMaterial(clientProfiles: [DTLSSRTPProfile],
                                                   serverProfiles: [DTLSSRTPProfile],
                                                   expected: DTLSSRTPProfile) throws {
        let link = try DTLSEndpointLink(clientProfiles: clientProfiles, serverProfiles: serverProfiles)
        #expect(!link.client.isConnected && !link.server.isConnected)
        try link.handshake()
        #expect(link.clientError == nil && link.serverError == nil)
        let client = try #require(link.clientInfo)
        let server = try #require(link.serverInfo)
        #expect(link.client.isConnected && link.server.isConnected)
        #expect(client.srtpProfile == expected && server.srtpProfile == expected)
        #expect(client.keyingMaterial.count == expected.keyingMaterialLength)
        #expect(client.keyingMaterial == server.keyingMaterial)
        #expect(client.keyingMaterial != [UInt8](repeating: 0, count: client.keyingMaterial.count))
        #expect(client.remoteFingerprint == link.serverCertificate.fingerprint)
        #expect(server.remoteFingerprint == link.clientCertificate.fingerprint)
        // Exactly one .connected each, nothing else.
        #expect(link.clientEvents.count == 1 && link.serverEvents.count == 1)
    }

    @Test func keyingMaterialLengthsFollowRFC5764And7714() {
        #expect(DTLSSRTPProfile.aeadAES128GCM.keyingMaterialLength == 56)
        #expect(DTLSSRTPProfile.aes128CMHMACSHA1_80.keyingMaterialLength == 60)
    }

    @Test func twoConnectionsExportDifferentKeys() throws {
        let first = try DTLSEndpointLink()
        let second = try DTLSEndpointLink()
        try first.handshake()
        try second.handshake()
        let firstKeys = try #require(first.clientInfo).keyingMaterial
        let secondKeys = try #require(second.clientInfo).keyingMaterial
        #expect(firstKeys != secondKeys)
    }

    @Test func clientStartSendsOneClientHelloAndServerStartSendsNothing() throws {
        let link = try DTLSEndpointLink()
        try link.server.start()
        #expect(link.wire.everyDatagram.isEmpty)
        #expect(link.server.retransmissionDeadline == nil)
        try link.client.start()
        try link.client.start() // again: no second ClientHello
        #expect(link.wire.toServer.count == 1)
        #expect(link.wire.toServer.first?.first == 22) // handshake record (RFC 6347 §4.1)
        #expect(link.client.retransmissionDeadline != nil)
    }

    @Test func handshakeWithoutCommonProfileFails() throws {
        // OpenSSL's server simply omits use_srtp when nothing matches; the client must refuse.
        let link = try DTLSEndpointLink(clientProfiles: [.aes128CMHMACSHA1_80], serverProfiles: [.aeadAES128GCM])
        try link.handshake()
        #expect(!link.client.isConnected)
        #expect(link.clientError == .noSRTPProfileNegotiated)
    }

    @Test func tamperedServerKeyExchangeFailsBothSidesWithOpenSSLReasons() throws {
        let link = try DTLSEndpointLink()
        try link.client.start()
        link.deliverAll(rounds: 0)
        for datagram in link.wire.toServer { link.deliver(datagram, toServer: true) }
        link.wire.toServer = []
        // OpenSSL packs the flight's records into one datagram (RFC 6347 §4.1.1 allows it).
        // Find the ServerKeyExchange record (RFC 6347 §4.2.2: handshake type 12 right after the
        // 13-byte record header) and flip the last byte of its signature.
        #expect(link.wire.toClient.count == 1)
        var flight = try #require(link.wire.toClient.first)
        let records = Self.recordRanges(in: flight)
        let serverKeyExchange = try #require(records.first { flight[$0.lowerBound] == 22 && flight[$0.lowerBound + 13] == 12 })
        flight[serverKeyExchange.upperBound - 1] ^= 0x55
        link.wire.toClient = [flight]
        link.deliverAll()
        guard case .handshakeFailed(let clientReason)? = link.clientError else {
            Issue.record("client: \(String(describing: link.clientError))")
            return
        }
        #expect(!clientReason.isEmpty && clientReason != "no OpenSSL error recorded")
        // The client's fatal alert reached the server.
        guard case .handshakeFailed(let serverReason)? = link.serverError else {
            Issue.record("server: \(String(describing: link.serverError))")
            return
        }
        #expect(serverReason.contains("alert"))
        #expect(!link.client.isConnected && !link.server.isConnected)
        #expect(link.client.retransmissionDeadline == nil && link.server.retransmissionDeadline == nil)
    }

    /// The DTLS records in a datagram: 13-byte header with the length at offset 11 (RFC 6347 §4.1).
    static func recordRanges(in datagram: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var offset = 0
        while offset + 13 <= datagram.count {
            let end = offset + 13 + (Int(datagram[offset + 11]) << 8 | Int(datagram[offset + 12]))
            guard end <= datagram.count else { break }
            ranges.append(offset..<end)
            offset = end
        }
        return ranges
    }

    // MARK: Fingerprints

    @Test(arguments: [DTLSRole.client, .server])
    func wrongFingerprintFailsTheCheckingSide(checkingSide: DTLSRole) throws {
        let wrong = CertificateFingerprint(algorithm: "sha-256", bytes: [UInt8](repeating: 0xAB, count: 32))
        let link = try DTLSEndpointLink(clientExpects: checkingSide == .client ? { _ in [wrong] } : nil,
                                        serverExpects: checkingSide == .server ? { _ in [wrong] } : nil)
        try link.handshake()
        let error = checkingSide == .client ? link.clientError : link.serverError
        let peer = checkingSide == .client ? link.serverCertificate : link.clientCertificate
        #expect(error == .fingerprintMismatch(expected: [wrong], actual: peer.fingerprint))
        let failed = checkingSide == .client ? link.client : link.server
        #expect(!failed.isConnected)
        #expect(failed.retransmissionDeadline == nil)
        // Failed for good: no data in, none out.
        let sentBefore = link.wire.everyDatagram.count
        #expect(throws: DTLSError.notConnected) { try [UInt8](repeating: 23, count: 40).withUnsafeBytes { try failed.receive($0) } }
        #expect(throws: DTLSError.notConnected) { try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try failed.write(applicationData: $0) } }
        failed.close()
        #expect(link.wire.everyDatagram.count == sentBefore)
        #expect(DTLSEndpointLink.connectionInfo(in: checkingSide == .client ? link.clientEvents : link.serverEvents) == nil)
    }

    @Test func anyListedFingerprintMatches() throws {
        let other = CertificateFingerprint(algorithm: "sha-256", bytes: [UInt8](repeating: 1, count: 32))
        let link = try DTLSEndpointLink(clientExpects: { [other, $0.fingerprint] })
        try link.handshake()
        #expect(link.client.isConnected)
    }

    @Test(arguments: ["sha-1", "sha-384", "sha-512"])
    func otherHashAlgorithmsAreComputedWhenNoSHA256IsGiven(algorithm: String) throws {
        let serverCertificate = try DTLSCertificate.generateSelfSigned()
        // First learn the certificate's digest from the mismatch report…
        let placeholder = CertificateFingerprint(algorithm: algorithm, bytes: [0])
        let first = try DTLSEndpointLink(serverCertificate: serverCertificate, clientExpects: { _ in [placeholder] })
        try first.handshake()
        guard case .fingerprintMismatch(let expected, let actual)? = first.clientError else {
            Issue.record("expected a mismatch, got \(String(describing: first.clientError))")
            return
        }
        #expect(expected == [placeholder])
        #expect(actual.algorithm == algorithm)
        let lengths = ["sha-1": 20, "sha-384": 48, "sha-512": 64]
        #expect(actual.bytes.count == lengths[algorithm])
        #expect(!serverCertificate.fingerprint.bytes.starts(with: actual.bytes.prefix(20)))
        // …then expect it (next to an unknown algorithm, which is skipped): it matches.
        let md5 = CertificateFingerprint(algorithm: "md5", bytes: [UInt8](repeating: 0, count: 16))
        let second = try DTLSEndpointLink(serverCertificate: serverCertificate, clientExpects: { _ in [md5, actual] })
        try second.handshake()
        #expect(second.clientError == nil)
        #expect(second.client.isConnected)
        #expect(second.clientInfo?.remoteFingerprint == actual)
    }

    @Test func unknownFingerprintAlgorithmsAreRefusedUpFront() throws {
        let context = try DTLSContext(certificate: DTLSCertificate.generateSelfSigned())
        let md5 = CertificateFingerprint(algorithm: "md5", bytes: [UInt8](repeating: 0, count: 16))
        #expect(throws: DTLSError.unsupportedFingerprintAlgorithm(["md5"])) {
            _ = try DTLSEndpoint(context: context, role: .server, expectedRemoteFingerprints: [md5], send: { _ in })
        }
        #expect(throws: DTLSError.unsupportedFingerprintAlgorithm([])) {
            _ = try DTLSEndpoint(context: context, role: .server, expectedRemoteFingerprints: [], send: { _ in })
        }
    }

    @Test(arguments: [0, 255, 4_097])
    func unusableMTUIsRefused(mtu: Int) throws {
        let certificate = try DTLSCertificate.generateSelfSigned()
        let context = try DTLSContext(certificate: certificate)
        #expect(throws: DTLSError.invalidMTU(mtu)) {
            _ = try DTLSEndpoint(context: context, role: .client, expectedRemoteFingerprints: [certificate.fingerprint],
                                 mtu: mtu, send: { _ in })
        }
    }

    // MARK: Application data and close

    @Test(arguments: [1, 100, 1_200, 4_000, 16_384])
    func applicationDataFlowsBothWays(size: Int) throws {
        let link = try DTLSEndpointLink()
        try link.handshake()
        var bytes = DTLSTestBytes(seed: UInt64(size))
        let fromClient = bytes.next(size)
        let fromServer = bytes.next(size)
        try fromClient.withUnsafeBytes { try link.client.write(applicationData: $0) }
        try fromServer.withUnsafeBytes { try link.server.write(applicationData: $0) }
        try fromServer.withUnsafeBytes { try link.server.write(applicationData: $0) }
        // One record per write, one datagram per record.
        #expect(link.wire.toServer.count == 1 && link.wire.toClient.count == 2)
        link.deliverAll()
        #expect(DTLSEndpointLink.applicationData(in: link.serverEvents) == [fromClient])
        #expect(DTLSEndpointLink.applicationData(in: link.clientEvents) == [fromServer, fromServer])
    }

    @Test func applicationDataLimitsAreEnforcedWithoutHarm() throws {
        let link = try DTLSEndpointLink()
        let small = [UInt8](repeating: 7, count: 10)
        #expect(throws: DTLSError.notConnected) { try small.withUnsafeBytes { try link.client.write(applicationData: $0) } }
        try link.handshake()
        let tooLarge = [UInt8](repeating: 7, count: 16_385)
        #expect(throws: DTLSError.applicationDataTooLarge(size: 16_385, maximum: 16_384)) {
            try tooLarge.withUnsafeBytes { try link.client.write(applicationData: $0) }
        }
        #expect(link.wire.toServer.isEmpty)
        try small.withUnsafeBytes { try link.client.write(applicationData: $0) }
        link.deliverAll()
        #expect(DTLSEndpointLink.applicationData(in: link.serverEvents) == [small])
    }

    @Test(arguments: [DTLSRole.client, .server])
    func closeNotifyReachesThePeerOnce(closingSide: DTLSRole) throws {
        let link = try DTLSEndpointLink()
        try link.handshake()
        let (closing, peer) = closingSide == .client ? (link.client, link.server) : (link.server, link.client)
        closing.close()
        #expect(!closing.isConnected)
        let sent = link.wire.everyDatagram.count
        closing.close()
        #expect(link.wire.everyDatagram.count == sent) // only once
        let payload: [UInt8] = [1, 2, 3]
        #expect(throws: DTLSError.notConnected) { try payload.withUnsafeBytes { try closing.write(applicationData: $0) } }
        link.deliverAll()
        let peerEvents = closingSide == .client ? link.serverEvents : link.clientEvents
        #expect(peerEvents.last == .closed)
        #expect(peerEvents.filter { $0 == .closed }.count == 1)
        #expect(!peer.isConnected)
        #expect(link.clientError == nil && link.serverError == nil)
    }

    // MARK: Loss, garbage, MTU

    @Test func droppedServerFlightIsRecoveredByRetransmission() async throws {
        let link = try DTLSEndpointLink()
        try link.client.start()
        let clientHello = link.wire.toServer
        link.wire.toServer = []
        for datagram in clientHello { link.deliver(datagram, toServer: true) }
        #expect(!link.wire.toClient.isEmpty)
        link.wire.toClient = [] // the whole first server flight is lost
        let deadline = try #require(link.client.retransmissionDeadline)
        // Too early: nothing happens.
        try link.client.handleTimeout(now: deadline - .milliseconds(50))
        #expect(link.wire.toServer.isEmpty)
        var rounds = 0
        while !(link.client.isConnected && link.server.isConnected), rounds < 10 {
            rounds += 1
            guard try await link.runTimers() else { break }
            link.deliverAll()
        }
        #expect(link.client.isConnected && link.server.isConnected)
        #expect(link.clientInfo?.keyingMaterial == link.serverInfo?.keyingMaterial)
        // The client's first timer retransmitted its ClientHello.
        // (Handshake record, message type 1 at offset 13: RFC 6347 §4.1 and §4.2.2.)
        let clientHellos = link.wire.everyDatagram.filter { $0.count > 13 && $0[0] == 22 && $0[13] == 1 }
        #expect(clientHellos.count >= 2)
    }

    @Test func droppedFinalServerFlightIsResentWhenTheClientRetransmits() async throws {
        let link = try DTLSEndpointLink()
        try link.client.start()
        // ClientHello → server flight → client's second flight, which completes the server.
        link.deliverAll(rounds: 1)
        let clientSecondFlight = link.wire.toServer
        link.wire.toServer = []
        for datagram in clientSecondFlight { link.deliver(datagram, toServer: true) }
        #expect(link.server.isConnected && !link.client.isConnected)
        #expect(!link.wire.toClient.isEmpty)
        link.wire.toClient = [] // ChangeCipherSpec + Finished lost
        var rounds = 0
        while !link.client.isConnected, rounds < 10 {
            rounds += 1
            guard try await link.runTimers() else { break }
            link.deliverAll()
        }
        #expect(link.client.isConnected)
        #expect(link.clientError == nil && link.serverError == nil)
        #expect(link.clientInfo?.keyingMaterial == link.serverInfo?.keyingMaterial)
        #expect(link.serverEvents.count == 1) // the retransmission produced no events
    }

    @Test func retransmissionDeadlineStartsShortAndClearsWhenConnected() throws {
        let link = try DTLSEndpointLink()
        let before = ContinuousClock.now
        try link.client.start()
        let deadline = try #require(link.client.retransmissionDeadline)
        #expect(deadline > before && deadline <= before + .milliseconds(150))
        link.deliverAll()
        #expect(link.client.isConnected)
        #expect(link.client.retransmissionDeadline == nil)
    }

    /// Datagrams that are not valid DTLS records for this connection: RFC 6347 §4.1.2.7 says to
    /// discard them silently.
    static func garbage(seed: UInt64) -> [[UInt8]] {
        var bytes = DTLSTestBytes(seed: seed)
        return [
            [22],                                                   // one byte
            [22, 0xFE, 0xFD, 0, 0],                                 // truncated record header
            [23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 40] + bytes.next(40), // app data, bad MAC
            [22, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30] + bytes.next(30), // wrong version
            [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0] + bytes.next(20), // length past the end
            [21, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 3, 0, 26] + bytes.next(26), // encrypted-looking alert
            bytes.next(200),
        ]
    }

    @Test func garbageDuringTheHandshakeIsIgnored() throws {
        let link = try DTLSEndpointLink()
        for datagram in Self.garbage(seed: 1) { link.deliver(datagram, toServer: true) }
        try link.client.start()
        for datagram in Self.garbage(seed: 2) { link.deliver(datagram, toServer: false) }
        // Between every flight, garbage to both sides.
        for _ in 0..<20 where !(link.client.isConnected && link.server.isConnected) {
            for datagram in Self.garbage(seed: 3) {
                link.wire.toServer.insert(datagram, at: 0)
                link.wire.toClient.insert(datagram, at: 0)
            }
            link.deliverAll(rounds: 1)
        }
        #expect(link.clientError == nil && link.serverError == nil)
        #expect(link.client.isConnected && link.server.isConnected)
        #expect(link.clientInfo?.keyingMaterial == link.serverInfo?.keyingMaterial)
    }

    @Test func garbageAfterTheHandshakeIsDroppedAndTheConnectionLives() throws {
        let link = try DTLSEndpointLink()
        try link.handshake()
        for datagram in Self.garbage(seed: 4) {
            link.deliver(datagram, toServer: true)
            link.deliver(datagram, toServer: false)
        }
        // A real record from this connection, corrupted: fails its AEAD tag, dropped.
        let payload: [UInt8] = Array(0..<100)
        try payload.withUnsafeBytes { try link.client.write(applicationData: $0) }
        #expect(link.wire.toServer.count == 1)
        let record = link.wire.toServer.popLast()
        var corrupted = try #require(record)
        corrupted[corrupted.count - 1] ^= 0x01
        link.deliver(corrupted, toServer: true)
        #expect(link.serverEvents.count == 1) // still only .connected
        #expect(link.clientError == nil && link.serverError == nil)
        #expect(link.client.isConnected && link.server.isConnected)
        try payload.withUnsafeBytes { try link.client.write(applicationData: $0) }
        try payload.withUnsafeBytes { try link.server.write(applicationData: $0) }
        link.deliverAll()
        #expect(DTLSEndpointLink.applicationData(in: link.serverEvents) == [payload])
        #expect(DTLSEndpointLink.applicationData(in: link.clientEvents) == [payload])
    }

    @Test func emptyDatagramIsIgnored() throws {
        let link = try DTLSEndpointLink()
        #expect(try [UInt8]().withUnsafeBytes { try link.server.receive($0) } == [])
        try link.handshake()
        #expect(link.server.isConnected)
    }

    @Test(arguments: [1200, 600, 300, 256])
    func everyHandshakeDatagramFitsTheMTU(mtu: Int) throws {
        let link = try DTLSEndpointLink(mtu: mtu)
        try link.handshake()
        #expect(link.client.isConnected && link.server.isConnected)
        let largest = link.wire.everyDatagram.map(\.count).max() ?? 0
        #expect(largest <= mtu)
        #expect(largest > mtu / 2 || mtu == 1200) // small MTUs really fragmented something
        // A write of the advertised maximum also fits.
        let maximum = link.client.maximumApplicationDataPerDatagram
        #expect(maximum > 0 && maximum < mtu)
        let payload = [UInt8](repeating: 0x5A, count: maximum)
        try payload.withUnsafeBytes { try link.client.write(applicationData: $0) }
        #expect(link.wire.toServer.count == 1 && (link.wire.toServer.first?.count ?? .max) <= mtu)
        link.deliverAll()
        #expect(DTLSEndpointLink.applicationData(in: link.serverEvents) == [payload])
    }

    @Test func certificateFlightIsFragmentedUnderASmallMTU() throws {
        let large = try DTLSEndpointLink(mtu: 1200)
        try large.handshake()
        let small = try DTLSEndpointLink(mtu: 256)
        try small.handshake()
        #expect(small.server.isConnected)
        #expect(small.wire.everyDatagram.count > large.wire.everyDatagram.count)
    }
}
