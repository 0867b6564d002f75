import Foundation
import Glibc
import NIOCore
import Synchronization

/// A user-space link between one bench client and the server (netem is not available here):
/// the client talks to `clientFacingAddress` as if it were the server's candidate; datagrams
/// go on to the server from a second socket, and the server's replies come back through the
/// `LinkShaper` (rate, queue, delay, jitter, loss) before they reach the client.
///
/// One thread with `poll(2)` and two UDP sockets on 127.0.0.1; it runs until `stop()`. IPv4
/// only, like the bench's candidate choice.
final class LinkEmulator: Sendable {
    /// What crossed the downlink so far (the qoe scenario samples it every second).
    struct Counters: Sendable, Equatable {
        var offeredPackets = 0
        var deliveredPackets = 0
        var deliveredBytes = 0
        var queueDrops = 0
        var randomDrops = 0
        var burstDrops = 0
        /// The rate in force, bits/s (0: unlimited).
        var rateBitsPerSecond = 0
        var queueDelayMicroseconds: Int64 = 0
        /// The longest the emulator's thread went without running (it shares the machine).
        var longestStallMicroseconds: Int64 = 0
    }

    let clientFacingAddress: SocketAddress
    private let clientSocket: Int32
    private let serverSocket: Int32
    private let server: sockaddr_in
    private let state: Mutex<(counters: Counters, stopped: Bool, scheduleStart: Int64)>
    private let clock: BenchClock
    private let startedAt: Int64
    private let conditions: LinkConditions

    init(forwardingTo serverAddress: SocketAddress, conditions: LinkConditions, clock: BenchClock) throws {
        guard case .v4(let server) = serverAddress else { throw BenchError.server("the link emulator needs an IPv4 server candidate") }
        self.server = server.address
        let client = try Self.bindLoopback()
        let upstream: Int32
        do {
            upstream = try Self.bindLoopback().descriptor
        } catch {
            close(client.descriptor)
            throw error
        }
        clientSocket = client.descriptor
        serverSocket = upstream
        clientFacingAddress = client.address
        self.conditions = conditions
        self.clock = clock
        startedAt = clock.nowMicroseconds()
        state = Mutex((Counters(rateBitsPerSecond: conditions.rateBitsPerSecond ?? 0), false, 0))
        let thread = Thread { [self] in run() }
        thread.name = "parley-bench link"
        thread.start()
    }

    var counters: Counters { state.withLock { $0.counters } }

    func stop() {
        state.withLock { $0.stopped = true }
    }

    /// Microseconds since the emulator started.
    var elapsed: Int64 { clock.nowMicroseconds() - startedAt }

    /// The rate schedule counts from now (the start of the measured run).
    func startSchedule() {
        let now = elapsed
        state.withLock {
            $0.scheduleStart = now
            $0.counters.longestStallMicroseconds = 0
        }
    }

    /// Microseconds into the schedule.
    var scheduleTime: Int64 {
        let now = elapsed
        return now - state.withLock { $0.scheduleStart }
    }

    private static func bindLoopback() throws -> (descriptor: Int32, address: SocketAddress) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError.server("link emulator: socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, size) }
        }
        guard bound == 0, withUnsafeMutablePointer(to: &address, {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &size) }
        }) == 0 else {
            close(descriptor)
            throw BenchError.server("link emulator: bind failed: errno \(errno)")
        }
        // Room for a burst the shaper has not admitted yet.
        var buffer: Int32 = 4 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        return (descriptor, SocketAddress(address, host: "127.0.0.1"))
    }

    /// Datagrams waiting for their time, in order.
    private struct Line {
        var packets: [(at: Int64, bytes: [UInt8])] = []
        var head = 0
        var next: Int64? { head < packets.count ? packets[head].at : nil }
        mutating func push(_ at: Int64, _ bytes: [UInt8]) { packets.append((at, bytes)) }
        mutating func pop() -> [UInt8] {
            let bytes = packets[head].bytes
            head += 1
            if head > 1024, head * 2 > packets.count {
                packets.removeFirst(head)
                head = 0
            }
            return bytes
        }
    }

    private func run() {
        var shaper = LinkShaper(conditions: conditions)
        var client: sockaddr_in?
        var down = Line(), up = Line()
        var buffer = [UInt8](repeating: 0, count: 2048)
        var descriptors = [pollfd(fd: clientSocket, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: serverSocket, events: Int16(POLLIN), revents: 0)]
        defer {
            close(clientSocket)
            close(serverSocket)
        }
        var lastTurn = elapsed
        while !state.withLock({ $0.stopped }) {
            let now = elapsed
            if now - lastTurn > 10_000 {
                let stall = now - lastTurn
                state.withLock { $0.counters.longestStallMicroseconds = max($0.counters.longestStallMicroseconds, stall) }
            }
            lastTurn = now
            while let at = down.next, at <= now, var target = client {
                let bytes = down.pop()
                send(bytes, from: clientSocket, to: &target)
                state.withLock {
                    $0.counters.deliveredPackets += 1
                    $0.counters.deliveredBytes += bytes.count
                }
            }
            while let at = up.next, at <= now {
                var target = server
                send(up.pop(), from: serverSocket, to: &target)
            }
            let nextDue = [down.next, up.next].compactMap { $0 }.min()
            let wait = nextDue.map { max(0, min(5, Int32(($0 - now + 999) / 1000))) } ?? 5
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            guard poll(&descriptors, 2, wait) >= 0 else { continue }
            // From the client: on to the server after the delay.
            while let (length, from) = receive(clientSocket, into: &buffer) {
                client = from
                up.push(elapsed + conditions.delayMicroseconds, Array(buffer[0..<length]))
            }
            // From the server: through the shaper.
            while let (length, _) = receive(serverSocket, into: &buffer) {
                let at = elapsed
                let rate = conditions.rate(atElapsed: at - state.withLock { $0.scheduleStart })
                let outcome = shaper.admit(size: length, at: at, rate: rate)
                state.withLock {
                    $0.counters.offeredPackets += 1
                    $0.counters.rateBitsPerSecond = rate ?? 0
                    $0.counters.queueDelayMicroseconds = shaper.queueDelay(at: at)
                    if case .failure(let drop) = outcome {
                        switch drop.reason {
                        case .queueFull: $0.counters.queueDrops += 1
                        case .random: $0.counters.randomDrops += 1
                        case .burst: $0.counters.burstDrops += 1
                        }
                    }
                }
                if case .success(let delivery) = outcome { down.push(delivery, Array(buffer[0..<length])) }
            }
        }
    }

    private func receive(_ descriptor: Int32, into buffer: inout [UInt8]) -> (Int, sockaddr_in)? {
        var from = sockaddr_in()
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let length = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0, &size)
                }
            }
        }
        return length > 0 ? (length, from) : nil
    }

    private func send(_ bytes: [UInt8], from descriptor: Int32, to target: inout sockaddr_in) {
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }
}
