import Benchmark
import DTLS

/// How many DTLS 1.2 handshakes (RFC 6347, with use_srtp, RFC 5764) one core completes: the
/// cost of admitting a peer connection.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(3))

    // Per iteration a fresh client/server pair on pre-made contexts (certificates and
    // SSL_CTX are made once per process, as the server does), handshaking over in-memory
    // queues until both sides report `.connected` with verified fingerprints and exported
    // SRTP keys. Both sides run on this thread, so the wall clock is client + server work;
    // "server share" is the time spent inside the server endpoint alone.
    Benchmark("DTLS 1.2 handshake (in memory, client + server)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, DTLSHandshakePair.serverShare]))
    { benchmark in
        guard let contexts = DTLSHandshakePair.contexts else {
            benchmark.error("could not make certificates and contexts")
            return
        }
        benchmark.startMeasurement()
        let result = DTLSHandshakePair.handshake(contexts)
        benchmark.stopMeasurement()
        switch result {
        case .success(let serverNanoseconds):
            benchmark.measurement(DTLSHandshakePair.serverShare, serverNanoseconds)
        case .failure(let reason):
            benchmark.error("handshake failed: \(reason)")
        }
    }
}

enum DTLSHandshakePair {
    /// Nanoseconds spent inside the server endpoint's `receive` per handshake.
    static let serverShare = BenchmarkMetric.custom("server share (ns)", polarity: .prefersSmaller, useScalingFactor: true)

    struct Contexts: Sendable {
        let client: DTLSContext
        let server: DTLSContext
        let clientFingerprint: CertificateFingerprint
        let serverFingerprint: CertificateFingerprint
    }

    /// Made once per process (lazily, on first use).
    static let contexts: Contexts? = {
        guard let clientCertificate = try? DTLSCertificate.generateSelfSigned(commonName: "client"),
              let serverCertificate = try? DTLSCertificate.generateSelfSigned(commonName: "server"),
              let client = try? DTLSContext(certificate: clientCertificate),
              let server = try? DTLSContext(certificate: serverCertificate)
        else { return nil }
        return Contexts(client: client, server: server, clientFingerprint: clientCertificate.fingerprint,
                        serverFingerprint: serverCertificate.fingerprint)
    }()

    /// Datagrams in flight; each endpoint's `send` appends to the other side's queue.
    final class Wire {
        var toServer: [[UInt8]] = []
        var toClient: [[UInt8]] = []
    }

    enum Failure: Error, CustomStringConvertible {
        case endpoint(any Error)
        case notConnected(rounds: Int)
        var description: String {
            switch self {
            case .endpoint(let error): "\(error)"
            case .notConnected(let rounds): "not connected after \(rounds) rounds"
            }
        }
    }

    /// One complete handshake; returns the server's share of the time in nanoseconds.
    static func handshake(_ contexts: Contexts) -> Result<Int, Failure> {
        let wire = Wire()
        let client: DTLSEndpoint
        let server: DTLSEndpoint
        do throws(DTLSError) {
            client = try DTLSEndpoint(context: contexts.client, role: .client,
                                      expectedRemoteFingerprints: [contexts.serverFingerprint],
                                      send: { wire.toServer.append(Array($0)) })
            server = try DTLSEndpoint(context: contexts.server, role: .server,
                                      expectedRemoteFingerprints: [contexts.clientFingerprint],
                                      send: { wire.toClient.append(Array($0)) })
            try client.start()
        } catch {
            return .failure(.endpoint(error))
        }
        let clock = ContinuousClock()
        var serverTime = Duration.zero
        var clientConnected = false
        var serverConnected = false
        // A lossless handshake takes 2 round trips (RFC 6347 §4.2.4, no HelloVerifyRequest).
        let maximumRounds = 10
        for _ in 0..<maximumRounds {
            if clientConnected && serverConnected { break }
            let toServer = wire.toServer
            wire.toServer.removeAll()
            do {
                for datagram in toServer {
                    let started = clock.now
                    let events = try datagram.withUnsafeBytes { try server.receive($0) }
                    serverTime += clock.now - started
                    if events.contains(where: { if case .connected = $0 { true } else { false } }) {
                        serverConnected = true
                    }
                }
                let toClient = wire.toClient
                wire.toClient.removeAll()
                for datagram in toClient {
                    let events = try datagram.withUnsafeBytes { try client.receive($0) }
                    if events.contains(where: { if case .connected = $0 { true } else { false } }) {
                        clientConnected = true
                    }
                }
            } catch {
                return .failure(.endpoint(error))
            }
        }
        guard clientConnected && serverConnected else { return .failure(.notConnected(rounds: maximumRounds)) }
        let (seconds, attoseconds) = serverTime.components
        return .success(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
