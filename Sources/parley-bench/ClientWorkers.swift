import DTLS
import ICE
import NIOCore
import NIOPosix
import WebRTC

/// The participants of one client worker, touched only on that worker's loop.
final class WorkerParticipants: @unchecked Sendable {
    var participants: [BenchParticipant] = []
}

/// Carries a participant into its worker's loop (it is only used there).
struct UncheckedParticipant: @unchecked Sendable {
    let participant: BenchParticipant
    init(_ participant: BenchParticipant) { self.participant = participant }
}

/// What the participants of a run added up to.
struct WorkerTotals: Sendable {
    var sent = 0, received = 0, sentBytes = 0, receivedBytes = 0, joined = 0
    var latency = LatencyHistogram()
    var joins = LatencyHistogram()

    mutating func add(_ other: WorkerTotals) {
        sent += other.sent; received += other.received
        sentBytes += other.sentBytes; receivedBytes += other.receivedBytes
        joined += other.joined
        latency.merge(other.latency)
        joins.merge(other.joins)
    }
}

/// The client side of a run: event loops with a UDP socket each, the participants spread over
/// them, the send loop and the collection of results. Shared by every scenario.
struct ClientWorkers {
    let group: MultiThreadedEventLoopGroup
    let workers: [MediaWorker]
    let owned: [WorkerParticipants]

    static func start(count: Int) async throws -> ClientWorkers {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: count)
        var workers: [MediaWorker] = []
        for (index, loop) in group.makeIterator().enumerated() {
            workers.append(try await MediaWorker.bind(index: index, host: "127.0.0.1", port: 0, on: loop))
        }
        return ClientWorkers(group: group, workers: workers, owned: workers.map { _ in WorkerParticipants() })
    }

    /// The worker participant `index` lives on.
    func worker(for index: Int) -> (MediaWorker, WorkerParticipants) {
        (workers[index % workers.count], owned[index % workers.count])
    }

    func count(_ predicate: @escaping @Sendable (BenchParticipant) -> Bool) async throws -> Int {
        var total = 0
        for (worker, box) in zip(workers, owned) {
            total += try await worker.submit { box.participants.filter(predicate).count }
        }
        return total
    }

    /// Waits (at most `timeout`) until `predicate` holds for `expected` participants.
    func waitUntil(_ expected: Int, timeout: Duration,
                   _ predicate: @escaping @Sendable (BenchParticipant) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await count(predicate) >= expected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends for `duration`, ticking every 5 ms on each worker; a progress line every second.
    /// Returns the seconds it sent for.
    func send(for duration: Duration, clock: BenchClock,
              progress: @escaping @Sendable (String) -> Void) async throws -> Double {
        let started = ContinuousClock.now
        var tasks: [RepeatedTask] = []
        for (worker, box) in zip(workers, owned) {
            tasks.append(try await worker.submit {
                for participant in box.participants where participant.joinMilliseconds != nil { participant.sending = true }
                return worker.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(5)) { _ in
                    let now = clock.nowMicroseconds()
                    for participant in box.participants { participant.sendDue(now: now) }
                }
            })
        }
        var second = 0
        while ContinuousClock.now - started < duration {
            try await Task.sleep(for: .seconds(1))
            second += 1
            let totals = try await collect(closing: false)
            progress("t=\(second)s sent \(totals.sent) received \(totals.received)")
        }
        for task in tasks { task.cancel() }
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Every participant's counters added up; with `closing`, their transports are closed.
    func collect(closing: Bool) async throws -> WorkerTotals {
        var totals = WorkerTotals()
        for (worker, box) in zip(workers, owned) {
            totals.add(try await worker.submit { () -> WorkerTotals in
                var partial = WorkerTotals()
                for participant in box.participants {
                    partial.sent += participant.sent
                    partial.received += participant.received
                    partial.sentBytes += participant.sentBytes
                    partial.receivedBytes += participant.receivedBytes
                    if closing {
                        partial.latency.merge(participant.latency)
                        if let join = participant.joinMilliseconds {
                            partial.joined += 1
                            partial.joins.record(microseconds: Int64(join * 1000))
                        }
                        participant.close()
                    }
                }
                return partial
            })
        }
        return totals
    }

    func shutdown() async throws {
        for worker in workers { await worker.close() }
        try await group.shutdownGracefully()
    }
}

extension MediaWorker {
    /// Opens a client transport (ICE controlling, DTLS client) to the server an SDP names, on
    /// this worker's loop; `attach` wires it to its participant there.
    func connectClient(to server: BenchAnswer, context: DTLSContext, credentials: ICECredentials,
                       attach: @escaping @Sendable (WebRTCTransport) -> Void) async throws {
        let path = try await openClientPath(to: server.serverAddress)
        try await submit {
            let transport = try WebRTCTransport.makeClient(
                on: self, dtlsContext: context,
                remote: .init(iceCredentials: server.credentials, fingerprints: server.fingerprints),
                serverPath: path, localCredentials: credentials)
            attach(transport)
        }
    }
}
