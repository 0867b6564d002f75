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

/// What the participants of a run (or one measurement window) added up to. Codable so that
/// several bench processes can add theirs together.
struct WorkerTotals: Sendable, Codable {
    var sent = 0, received = 0, expected = 0, duplicates = 0, sentBytes = 0, receivedBytes = 0, joined = 0
    /// (receiver, sender, kind) combinations that carried anything.
    var tracks = 0
    var nacks = 0, plis = 0
    var latency = LatencyHistogram()
    var joins = LatencyHistogram()
    /// Microseconds from asking for another simulcast layer to its first packet.
    var keyFrameWaits: [Int64] = []

    mutating func add(_ other: WorkerTotals) {
        sent += other.sent; received += other.received; expected += other.expected
        duplicates += other.duplicates
        sentBytes += other.sentBytes; receivedBytes += other.receivedBytes
        joined += other.joined; tracks += other.tracks
        nacks += other.nacks; plis += other.plis
        latency.merge(other.latency)
        joins.merge(other.joins)
        keyFrameWaits += other.keyFrameWaits
    }

    /// One participant's share.
    mutating func add(_ participant: BenchParticipant, withDistributions: Bool) {
        sent += participant.sent
        received += participant.received
        expected += participant.streams.expected
        duplicates += participant.duplicates
        sentBytes += participant.sentBytes
        receivedBytes += participant.receivedBytes
        guard withDistributions else { return }
        tracks += participant.streams.tracks
        nacks += participant.feedbackSent.nacks
        plis += participant.feedbackSent.plis
        latency.merge(participant.latency)
        keyFrameWaits += participant.keyFrameWaits
        if let join = participant.joinMilliseconds {
            joined += 1
            joins.record(microseconds: Int64(join * 1000))
        }
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

    /// Starts every worker's tick (`tickMicroseconds`, 5 ms by default), on which each participant
    /// that is `sending` sends what is due and every receiver its periodic RTCP. Runs until
    /// `stopSending`.
    func startSending(clock: BenchClock, tickMicroseconds: Int64) async throws -> [RepeatedTask] {
        var tasks: [RepeatedTask] = []
        for (worker, box) in zip(workers, owned) {
            tasks.append(try await worker.submit {
                worker.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .microseconds(tickMicroseconds)) { _ in
                    let now = clock.nowMicroseconds()
                    for participant in box.participants { participant.sendDue(now: now) }
                }
            })
        }
        return tasks
    }

    /// Participants that have joined start sending (with the tick running).
    func startParticipants() async throws {
        for (worker, box) in zip(workers, owned) {
            try await worker.submit {
                for participant in box.participants where participant.joinMilliseconds != nil { participant.sending = true }
            }
        }
    }

    /// Starts a new measurement window on every participant.
    func resetMeasurements() async throws {
        for (worker, box) in zip(workers, owned) {
            try await worker.submit { for participant in box.participants { participant.resetMeasurements() } }
        }
    }

    /// Runs `body` on every participant, on its loop.
    func forEach(_ body: @escaping @Sendable (BenchParticipant) -> Void) async throws {
        for (worker, box) in zip(workers, owned) {
            try await worker.submit { for participant in box.participants { body(participant) } }
        }
    }

    /// Every participant's counters added up (with latencies, joins and tracks when
    /// `distributions`); with `closing`, their transports are closed.
    func collect(distributions: Bool = true, closing: Bool = false) async throws -> WorkerTotals {
        var totals = WorkerTotals()
        for (worker, box) in zip(workers, owned) {
            totals.add(try await worker.submit { () -> WorkerTotals in
                var partial = WorkerTotals()
                for participant in box.participants {
                    partial.add(participant, withDistributions: distributions)
                    if closing { participant.close() }
                }
                return partial
            })
        }
        return totals
    }

    /// One measurement window: counters from zero, `duration` of sending with a progress line
    /// per second (rates over that second, loss so far), `atHalf` run once halfway; then a pause
    /// for what is in flight before the counts are taken.
    func measure(for duration: Duration, serverUsage: ServerUsageSource, progress: @escaping @Sendable (String) -> Void,
                 atHalf: (() async throws -> Void)? = nil) async throws -> MeasuredWindow {
        try await resetMeasurements()
        let usage = await LoadUsage.start(serverUsage)
        let started = ContinuousClock.now
        var previous = WorkerTotals()
        var previousAt = started
        var halfway = atHalf
        while ContinuousClock.now - started < duration {
            try await Task.sleep(for: min(.seconds(1), duration - (ContinuousClock.now - started)))
            if let action = halfway, ContinuousClock.now - started >= duration / 2 {
                halfway = nil
                try await action()
            }
            let now = ContinuousClock.now
            let current = try await collect(distributions: false)
            let interval = max(1e-3, (now - previousAt).seconds)
            let loss = current.expected > 0 ? 100 * Double(max(0, current.expected - current.received)) / Double(current.expected) : 0
            progress(String(format: "t=%5.1fs  in %7.0f packets/s  out %8.0f packets/s  %7.2f Mbit/s out  loss %.3f %%",
                            (now - started).seconds, Double(current.sent - previous.sent) / interval,
                            Double(current.received - previous.received) / interval,
                            Double(current.receivedBytes - previous.receivedBytes) * 8 / interval / 1e6, loss))
            previous = current
            previousAt = now
        }
        let measured = await usage.finish()
        let seconds = (ContinuousClock.now - started).seconds
        // What was sent in the window gets to arrive before counting (a loaded relay lags),
        // then sending resumes for whatever comes next (a ramp's next step).
        try await forEach { $0.sending = false }
        try await Task.sleep(for: .milliseconds(300))
        let totals = try await collect()
        try await startParticipants()
        return MeasuredWindow(totals: totals, seconds: seconds, usage: measured)
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

/// What one measurement window produced.
struct MeasuredWindow {
    var totals: WorkerTotals
    var seconds: Double
    var usage: LoadUsage.Measured
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
