import DTLS

/// Two endpoints wired back to back: each `send` appends to a queue that the test delivers
/// (always in bounded loops), so tests can drop, inject and inspect datagrams.
final class DTLSEndpointLink {
    /// The queues; a separate object so the `send` closures can exist before the endpoints.
    final class Wire {
        var toServer: [[UInt8]] = []
        var toClient: [[UInt8]] = []
        var everyDatagram: [[UInt8]] = []
        func record(_ bytes: UnsafeRawBufferPointer, toServer: Bool) {
            let datagram = Array(bytes)
            everyDatagram.append(datagram)
            if toServer { self.toServer.append(datagram) } else { toClient.append(datagram) }
        }
    }

    let wire = Wire()
    let clientCertificate: DTLSCertificate
    let serverCertificate: DTLSCertificate
    let client: DTLSEndpoint
    let server: DTLSEndpoint
    var clientEvents: [DTLSEvent] = []
    var serverEvents: [DTLSEvent] = []
    var clientError: DTLSError?
    var serverError: DTLSError?

    init(clientProfiles: [DTLSSRTPProfile] = DTLSSRTPProfile.allCases,
         serverProfiles: [DTLSSRTPProfile] = DTLSSRTPProfile.allCases,
         mtu: Int = 1200,
         serverCertificate: DTLSCertificate? = nil,
         clientExpects: ((DTLSCertificate) -> [CertificateFingerprint])? = nil,
         serverExpects: ((DTLSCertificate) -> [CertificateFingerprint])? = nil) throws {
        clientCertificate = try DTLSCertificate.generateSelfSigned(commonName: "client")
        self.serverCertificate = try serverCertificate ?? DTLSCertificate.generateSelfSigned(commonName: "server")
        let wire = wire
        client = try DTLSEndpoint(
            context: DTLSContext(certificate: clientCertificate, srtpProfiles: clientProfiles), role: .client,
            expectedRemoteFingerprints: clientExpects?(self.serverCertificate) ?? [self.serverCertificate.fingerprint],
            mtu: mtu, send: { wire.record($0, toServer: true) })
        server = try DTLSEndpoint(
            context: DTLSContext(certificate: self.serverCertificate, srtpProfiles: serverProfiles), role: .server,
            expectedRemoteFingerprints: serverExpects?(clientCertificate) ?? [clientCertificate.fingerprint],
            mtu: mtu, send: { wire.record($0, toServer: false) })
    }

    /// Delivers queued datagrams both ways until both queues are empty (at most `rounds` passes).
    func deliverAll(rounds: Int = 50) {
        for _ in 0..<rounds {
            if wire.toServer.isEmpty && wire.toClient.isEmpty { return }
            let toServer = wire.toServer
            wire.toServer = []
            for datagram in toServer { deliver(datagram, toServer: true) }
            let toClient = wire.toClient
            wire.toClient = []
            for datagram in toClient { deliver(datagram, toServer: false) }
        }
    }

    func deliver(_ datagram: [UInt8], toServer: Bool) {
        let endpoint = toServer ? server : client
        if (toServer ? serverError : clientError) != nil { return }
        do {
            let events = try datagram.withUnsafeBytes { try endpoint.receive($0) }
            if toServer { serverEvents += events } else { clientEvents += events }
        } catch {
            if toServer { serverError = error as? DTLSError } else { clientError = error as? DTLSError }
        }
    }

    /// Starts the client and runs the handshake to its end without losses.
    func handshake() throws {
        try client.start()
        deliverAll()
    }

    /// Waits (really: OpenSSL reads the system clock) for the earliest retransmission deadline,
    /// then runs both endpoints' timers. Returns false when no timer is pending.
    func runTimers() async throws -> Bool {
        let deadlines = [client.retransmissionDeadline, server.retransmissionDeadline].compactMap { $0 }
        guard let earliest = deadlines.min() else { return false }
        try await Task.sleep(until: earliest, clock: .continuous)
        let now = ContinuousClock.now
        try client.handleTimeout(now: now)
        try server.handleTimeout(now: now)
        return true
    }

    var clientInfo: DTLSConnectionInfo? { Self.connectionInfo(in: clientEvents) }
    var serverInfo: DTLSConnectionInfo? { Self.connectionInfo(in: serverEvents) }

    static func connectionInfo(in events: [DTLSEvent]) -> DTLSConnectionInfo? {
        for case .connected(let info) in events { return info }
        return nil
    }

    static func applicationData(in events: [DTLSEvent]) -> [[UInt8]] {
        events.compactMap { event in
            if case .applicationData(let bytes) = event { bytes } else { nil }
        }
    }
}

/// Deterministic bytes for payloads and garbage (tests must be reproducible).
struct DTLSTestBytes {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }
}
