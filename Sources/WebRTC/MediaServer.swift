public import DTLS
public import NIOCore
import NIOPosix

/// Where and how the media workers listen.
public struct MediaServerConfiguration: Sendable, Equatable {
    /// Address the UDP sockets bind to.
    public var bindHost: String
    /// Worker i listens on `basePort + i`; 0 lets the system pick each port (tests).
    public var basePort: Int
    /// One worker (event loop + socket) per core by default.
    public var workerCount: Int
    /// Address the IPv6 UDP sockets bind to; nil: IPv4 only.
    public var bindIPv6Host: String?
    /// Also accept ICE-TCP (RFC 6544, passive) on each worker's port, for networks that block UDP.
    public var enableTCP: Bool
    /// Addresses announced as host candidates; empty = every interface address.
    public var announcedAddresses: [String]

    public init(bindHost: String = "0.0.0.0", bindIPv6Host: String? = "::", basePort: Int = 7882,
                workerCount: Int = System.coreCount, enableTCP: Bool = true, announcedAddresses: [String] = []) {
        self.bindHost = bindHost
        self.bindIPv6Host = bindIPv6Host
        self.basePort = basePort
        self.workerCount = workerCount
        self.enableTCP = enableTCP
        self.announcedAddresses = announcedAddresses
    }
}

/// The media plane: a set of workers, each an event loop with its own UDP port, and the DTLS
/// identity every transport presents.
public final class MediaServer: Sendable {
    public let workers: [MediaWorker]
    public let dtlsContext: DTLSContext
    /// Host candidate addresses put in every answer.
    public let announcedAddresses: [String]
    private let group: MultiThreadedEventLoopGroup

    private init(workers: [MediaWorker], dtlsContext: DTLSContext, announcedAddresses: [String],
                 group: MultiThreadedEventLoopGroup) {
        self.workers = workers
        self.dtlsContext = dtlsContext
        self.announcedAddresses = announcedAddresses
        self.group = group
    }

    public static func start(_ configuration: MediaServerConfiguration,
                             certificate: DTLSCertificate) async throws -> MediaServer {
        let dtlsContext = try DTLSContext(certificate: certificate)
        let count = max(1, configuration.workerCount)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: count)
        var workers: [MediaWorker] = []
        do {
            for (index, loop) in group.makeIterator().enumerated() where index < count {
                let port = configuration.basePort == 0 ? 0 : configuration.basePort + index
                workers.append(try await MediaWorker.bind(index: index, host: configuration.bindHost, port: port,
                                                          ipv6Host: configuration.bindIPv6Host,
                                                          enableTCP: configuration.enableTCP, on: loop))
            }
        } catch {
            for worker in workers { await worker.close() }
            try? await group.shutdownGracefully()
            throw error
        }
        let announced = configuration.announcedAddresses.isEmpty
            ? HostCandidateAddresses.discover()
            : configuration.announcedAddresses
        return MediaServer(workers: workers, dtlsContext: dtlsContext, announcedAddresses: announced, group: group)
    }

    /// The host candidates a transport on `worker` announces: each announced address with the
    /// worker's UDP port of that family, then the same addresses over ICE-TCP (less preferred).
    public func hostCandidates(on worker: MediaWorker) -> [HostCandidate] {
        var udp: [HostCandidate] = []
        var tcp: [HostCandidate] = []
        for address in announcedAddresses {
            let isIPv6 = address.contains(":")
            let udpPort = isIPv6 ? worker.localIPv6Address?.port : worker.localAddress.port
            if let udpPort { udp.append(HostCandidate(address: address, port: udpPort, transport: .udp)) }
            // The TCP listener is bound to the IPv4 address only.
            if !isIPv6, let tcpPort = worker.tcpLocalAddress?.port {
                tcp.append(HostCandidate(address: address, port: tcpPort, transport: .tcpPassive))
            }
        }
        return udp + tcp
    }

    /// The worker with the fewest transports (new sessions go there).
    public func leastLoadedWorker() async -> MediaWorker {
        var best = workers[0]
        var bestCount = Int.max
        for worker in workers {
            let count = await worker.transportCount
            if count < bestCount {
                best = worker
                bestCount = count
            }
        }
        return best
    }

    public func shutdown() async {
        for worker in workers { await worker.close() }
        try? await group.shutdownGracefully()
    }
}
