import DTLS
import ICE
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import WebRTC

/// Records what a transport reported, readable from the test's thread.
final class RecordingDelegate: WebRTCTransportDelegate, @unchecked Sendable {
    private let lock = NIOLock()
    private var _connected = false
    private var _rtp: [[UInt8]] = []
    private var _rtcp: [[UInt8]] = []
    private var _closeReason: TransportCloseReason?

    var connected: Bool { lock.withLock { _connected } }
    var rtp: [[UInt8]] { lock.withLock { _rtp } }
    var rtcp: [[UInt8]] { lock.withLock { _rtcp } }
    var closeReason: TransportCloseReason? { lock.withLock { _closeReason } }

    func transportDidConnect(_ transport: WebRTCTransport) { lock.withLock { _connected = true } }
    func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {
        let bytes = Array(packet)
        lock.withLock { _rtp.append(bytes) }
    }
    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {
        let bytes = Array(packet)
        lock.withLock { _rtcp.append(bytes) }
    }
    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {
        lock.withLock { _closeReason = reason }
    }
}

/// Waits (bounded) until `condition` holds.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// A transport on a worker, kept in a Sendable box so tests can call into it on its loop.
struct TransportHandle: @unchecked Sendable {
    let transport: WebRTCTransport
    let worker: MediaWorker

    func run<T: Sendable>(_ body: @escaping @Sendable (WebRTCTransport) -> T) async throws -> T {
        let handle = self
        return try await worker.submit { body(handle.transport) }
    }
}

/// How the client reaches the server's worker.
enum ClientPath: Sendable, CaseIterable { case udpIPv4, udpIPv6, tcp }

/// A server worker and a client worker on loopback, each on its own event loop.
struct LoopbackPair {
    let group: MultiThreadedEventLoopGroup
    let serverWorker: MediaWorker
    let clientWorker: MediaWorker
    let serverContext: DTLSContext
    let clientContext: DTLSContext

    static func make(serverProfiles: [DTLSSRTPProfile] = DTLSSRTPProfile.allCases) async throws -> LoopbackPair {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let serverWorker = try await MediaWorker.bind(index: 0, host: "127.0.0.1", port: 0, ipv6Host: "::1",
                                                      enableTCP: true, on: loops[0])
        let clientWorker = try await MediaWorker.bind(index: 1, host: "127.0.0.1", port: 0, on: loops[1])
        return LoopbackPair(
            group: group, serverWorker: serverWorker, clientWorker: clientWorker,
            serverContext: try DTLSContext(certificate: .generateSelfSigned(), srtpProfiles: serverProfiles),
            clientContext: try DTLSContext(certificate: .generateSelfSigned()))
    }

    func shutdown() async throws {
        await serverWorker.close()
        await clientWorker.close()
        try await group.shutdownGracefully()
    }

    /// Creates both ends and exchanges their parameters as an offer/answer would.
    func connect(serverDelegate: some WebRTCTransportDelegate & Sendable, clientDelegate: some WebRTCTransportDelegate & Sendable,
                 serverExpectsFingerprint: CertificateFingerprint? = nil,
                 consentTimeout: Duration = .seconds(30),
                 via path: ClientPath = .udpIPv4,
                 serverIsDTLSClient: Bool = false) async throws -> (server: TransportHandle, client: TransportHandle) {
        let serverWorker = self.serverWorker, clientWorker = self.clientWorker
        let serverContext = self.serverContext, clientContext = self.clientContext
        let server = try await serverWorker.submit {
            let transport = WebRTCTransport.makeServer(on: serverWorker, dtlsContext: serverContext,
                                                       consentTimeout: consentTimeout)
            transport.delegate = serverDelegate
            return TransportHandle(transport: transport, worker: serverWorker)
        }
        let serverParameters = try await server.run { transport in
            WebRTCTransport.RemoteParameters(iceCredentials: transport.localCredentials,
                                             fingerprints: [transport.localFingerprint],
                                             localDTLSRole: serverIsDTLSClient ? .server : nil)
        }
        let serverPath: TransportPath
        switch path {
        case .udpIPv4: serverPath = try await clientWorker.openClientPath(to: serverWorker.localAddress)
        case .udpIPv6: serverPath = try await clientWorker.openClientPath(to: try #require(serverWorker.localIPv6Address))
        case .tcp: serverPath = .tcp(try await clientWorker.connectTCP(to: try #require(serverWorker.tcpLocalAddress)))
        }
        let client = try await clientWorker.submit {
            let transport = try WebRTCTransport.makeClient(on: clientWorker, dtlsContext: clientContext,
                                                           remote: serverParameters, serverPath: serverPath)
            transport.delegate = clientDelegate
            return TransportHandle(transport: transport, worker: clientWorker)
        }
        let clientParameters = try await client.run { transport in
            WebRTCTransport.RemoteParameters(iceCredentials: transport.localCredentials,
                                             fingerprints: [serverExpectsFingerprint ?? transport.localFingerprint],
                                             localDTLSRole: serverIsDTLSClient ? .client : nil)
        }
        try await server.run { $0.setRemoteParameters(clientParameters) }
        return (server, client)
    }
}

/// An RTP packet with a recognisable payload.
func rtpPacket(sequenceNumber: UInt16, ssrc: UInt32, payloadByte: UInt8, payloadSize: Int = 1000) -> [UInt8] {
    var packet: [UInt8] = [0x80, 96, UInt8(sequenceNumber >> 8), UInt8(sequenceNumber & 0xFF), 0, 0, 0x10, 0]
    packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
    packet += [UInt8](repeating: payloadByte, count: payloadSize)
    return packet
}
