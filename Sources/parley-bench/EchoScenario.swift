import DTLS
import ICE
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOCore
import NIOPosix
import WebRTC

/// The participants of one client worker, touched only on that worker's loop.
final class WorkerParticipants: @unchecked Sendable {
    var participants: [BenchParticipant] = []
}

/// `echo`: every participant publishes audio and video to `POST /v1/echo` and receives it back,
/// so the server does a full receive → decrypt → encrypt → send per packet.
struct EchoScenario {
    let server: URL
    let participantCount: Int
    let duration: Duration
    let workerCount: Int
    let settings: BenchParticipant.Settings
    let serverPID: Int32?

    func run(progress: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        let clock = BenchClock()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: workerCount)
        var workers: [MediaWorker] = []
        for (index, loop) in group.makeIterator().enumerated() {
            workers.append(try await MediaWorker.bind(index: index, host: "127.0.0.1", port: 0, on: loop))
        }
        let owned = workers.map { _ in WorkerParticipants() }
        let context = try DTLSContext(certificate: .generateSelfSigned())
        let settings = self.settings

        // Join everyone: offer → answer over HTTP, then ICE/DTLS on a socket of its own.
        for index in 0..<participantCount {
            let worker = workers[index % workers.count], box = owned[index % workers.count]
            let participant = BenchParticipant(index: index, settings: settings, clock: clock)
            let credentials = ICECredentials.random()
            let offer = BenchOffer(credentials: credentials, fingerprint: context.certificate.fingerprint,
                                   sessionID: UInt64(index + 1))
            let answer = try BenchAnswer(sdp: try await postOffer(offer.sdp))
            let path = try await worker.openClientPath(to: answer.serverAddress)
            let handle = UncheckedParticipant(participant)
            try await worker.submit {
                let transport = try WebRTCTransport.makeClient(
                    on: worker, dtlsContext: context,
                    remote: .init(iceCredentials: answer.credentials, fingerprints: answer.fingerprints),
                    serverPath: path, localCredentials: credentials)
                transport.delegate = handle.participant
                handle.participant.transport = transport
                box.participants.append(handle.participant)
            }
        }
        let joinDeadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < joinDeadline {
            if try await count(owned, workers, { $0.joinMilliseconds != nil }) == participantCount { break }
            try await Task.sleep(for: .milliseconds(50))
        }

        // Send for `duration`, ticking every 5 ms on each worker.
        let serverCPUStart = serverPID.flatMap(ProcessUsage.cpuSeconds)
        let benchCPUStart = ProcessUsage.ownCPUSeconds()
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
            let (sent, received) = try await totals(owned, workers)
            progress("t=\(second)s sent \(sent) received \(received)")
        }
        for task in tasks { task.cancel() }
        let elapsed = ContinuousClock.now - started
        let serverCPUEnd = serverPID.flatMap(ProcessUsage.cpuSeconds)
        let benchCPUEnd = ProcessUsage.ownCPUSeconds()
        try await Task.sleep(for: .milliseconds(500)) // let the last echoes come back

        // Collect.
        var latency = LatencyHistogram()
        var joins = LatencyHistogram()
        var sent = 0, received = 0, sentBytes = 0, joined = 0
        for (worker, box) in zip(workers, owned) {
            let partial = try await worker.submit { () -> WorkerTotals in
                var totals = WorkerTotals()
                for participant in box.participants {
                    totals.sent += participant.sent
                    totals.received += participant.received
                    totals.sentBytes += participant.sentBytes
                    totals.latency.merge(participant.latency)
                    if let join = participant.joinMilliseconds {
                        totals.joined += 1
                        totals.joins.record(microseconds: Int64(join * 1000))
                    }
                    participant.transport?.close()
                }
                return totals
            }
            sent += partial.sent; received += partial.received; sentBytes += partial.sentBytes
            joined += partial.joined
            latency.merge(partial.latency)
            joins.merge(partial.joins)
        }
        for worker in workers { await worker.close() }
        try await group.shutdownGracefully()

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var serverCPU: Double?
        if let serverCPUStart, let serverCPUEnd { serverCPU = serverCPUEnd - serverCPUStart }
        return BenchReport(
            scenario: "echo", participants: participantCount, joined: joined, durationSeconds: seconds,
            ingressPPS: Double(sent) / seconds, egressPPS: Double(received) / seconds,
            ingressMbps: Double(sentBytes) * 8 / seconds / 1e6,
            lossPercent: sent > 0 ? max(0, Double(sent - received)) / Double(sent) * 100 : 100,
            latencyMilliseconds: .init(p50: latency.percentile(50), p95: latency.percentile(95), p99: latency.percentile(99)),
            joinMilliseconds: .init(p50: joins.percentile(50), p95: joins.percentile(95), p99: joins.percentile(99)),
            serverCPUPercent: serverCPU.map { $0 / seconds * 100 },
            serverRSSMegabytes: serverPID.flatMap(ProcessUsage.residentMegabytes),
            egressPacketsPerServerCPUSecond: serverCPU.flatMap { $0 > 0 ? Double(received) / $0 : nil },
            benchCPUPercent: (benchCPUEnd - benchCPUStart) / seconds * 100)
    }

    private func postOffer(_ sdp: String) async throws -> String {
        var request = URLRequest(url: server.appendingPathComponent("v1/echo"))
        request.httpMethod = "POST"
        request.setValue("application/sdp", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(sdp.utf8)
        request.timeoutInterval = 10
        let (body, response) = try await URLSession.shared.data(for: request)
        let text = String(decoding: body, as: UTF8.self)
        guard (response as? HTTPURLResponse)?.statusCode == 201 else {
            throw BenchError.server("POST /v1/echo failed: \(text)")
        }
        return text
    }

    private func count(_ owned: [WorkerParticipants], _ workers: [MediaWorker],
                       _ predicate: @escaping @Sendable (BenchParticipant) -> Bool) async throws -> Int {
        var total = 0
        for (worker, box) in zip(workers, owned) {
            total += try await worker.submit { box.participants.filter(predicate).count }
        }
        return total
    }

    private func totals(_ owned: [WorkerParticipants], _ workers: [MediaWorker]) async throws -> (Int, Int) {
        var sent = 0, received = 0
        for (worker, box) in zip(workers, owned) {
            let (s, r) = try await worker.submit {
                box.participants.reduce((0, 0)) { ($0.0 + $1.sent, $0.1 + $1.received) }
            }
            sent += s; received += r
        }
        return (sent, received)
    }
}

struct WorkerTotals: Sendable {
    var sent = 0, received = 0, sentBytes = 0, joined = 0
    var latency = LatencyHistogram()
    var joins = LatencyHistogram()
}

/// Carries a participant into its worker's loop (it is only used there).
struct UncheckedParticipant: @unchecked Sendable {
    let participant: BenchParticipant
    init(_ participant: BenchParticipant) { self.participant = participant }
}
