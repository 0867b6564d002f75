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
    /// Addresses announced as host candidates; empty = every IPv4 interface address.
    public var announcedAddresses: [String]

    public init(bindHost: String = "0.0.0.0", basePort: Int = 7882,
                workerCount: Int = System.coreCount, announcedAddresses: [String] = []) {
        self.bindHost = bindHost
        self.basePort = basePort
        self.workerCount = workerCount
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
                workers.append(try await MediaWorker.bind(index: index, host: configuration.bindHost,
                                                          port: port, on: loop))
            }
        } catch {
            for worker in workers { await worker.close() }
            try? await group.shutdownGracefully()
            throw error
        }
        // The sockets are IPv4 for now, so only IPv4 addresses are reachable.
        let announced = configuration.announcedAddresses.isEmpty
            ? HostCandidateAddresses.discover().filter { !$0.contains(":") }
            : configuration.announcedAddresses
        return MediaServer(workers: workers, dtlsContext: dtlsContext, announcedAddresses: announced, group: group)
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
