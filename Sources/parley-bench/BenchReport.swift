import Foundation

/// The summary of a run, printed as a table and written as JSON (`--json FILE`).
struct BenchReport: Codable {
    struct Percentiles: Codable {
        var p50: Double?
        var p95: Double?
        var p99: Double?
    }

    var scenario: String
    var participants: Int
    var joined: Int
    var durationSeconds: Double
    /// Packets the server received from the participants per second.
    var ingressPPS: Double
    /// Packets the server sent to the participants per second.
    var egressPPS: Double
    var ingressMbps: Double
    var egressMbps: Double
    /// Packets that did not arrive, of those that should have (each sent packet once per
    /// participant it is forwarded to).
    var lossPercent: Double
    /// Sender → server → receiver: one way through the router in the room scenarios (sender and
    /// receiver share this process's clock), the round trip in the echo scenario.
    var latencyMilliseconds: Percentiles
    var joinMilliseconds: Percentiles
    var serverCPUPercent: Double?
    var serverRSSMegabytes: Double?
    var egressPacketsPerServerCPUSecond: Double?
    var benchCPUPercent: Double

    enum CodingKeys: String, CodingKey {
        case scenario, participants, joined
        case durationSeconds = "duration_s"
        case ingressPPS = "ingress_pps"
        case egressPPS = "egress_pps"
        case ingressMbps = "ingress_mbps"
        case egressMbps = "egress_mbps"
        case lossPercent = "loss_percent"
        case latencyMilliseconds = "latency_ms"
        case joinMilliseconds = "join_ms"
        case serverCPUPercent = "server_cpu_percent"
        case serverRSSMegabytes = "server_rss_mb"
        case egressPacketsPerServerCPUSecond = "egress_packets_per_server_cpu_second"
        case benchCPUPercent = "bench_cpu_percent"
    }

    /// From a run's totals: `expectedPerSent` is how many participants each sent packet should
    /// reach (1 for the echo, the other participants in a meeting).
    init(scenario: String, participants: Int, expectedPerSent: Int, totals: WorkerTotals, seconds: Double,
         usage: LoadUsage.Measured, serverPID: Int32?) {
        let expected = Double(totals.sent * expectedPerSent)
        self.init(
            scenario: scenario, participants: participants, joined: totals.joined, durationSeconds: seconds,
            ingressPPS: Double(totals.sent) / seconds, egressPPS: Double(totals.received) / seconds,
            ingressMbps: Double(totals.sentBytes) * 8 / seconds / 1e6,
            egressMbps: Double(totals.receivedBytes) * 8 / seconds / 1e6,
            lossPercent: expected > 0 ? max(0, expected - Double(totals.received)) / expected * 100 : 100,
            latencyMilliseconds: .init(p50: totals.latency.percentile(50), p95: totals.latency.percentile(95),
                                       p99: totals.latency.percentile(99)),
            joinMilliseconds: .init(p50: totals.joins.percentile(50), p95: totals.joins.percentile(95),
                                    p99: totals.joins.percentile(99)),
            serverCPUPercent: usage.serverCPUSeconds.map { $0 / seconds * 100 },
            serverRSSMegabytes: serverPID.flatMap(ProcessUsage.residentMegabytes),
            egressPacketsPerServerCPUSecond: usage.serverCPUSeconds.flatMap { $0 > 0 ? Double(totals.received) / $0 : nil },
            benchCPUPercent: usage.benchCPUSeconds / seconds * 100)
    }

    init(scenario: String, participants: Int, joined: Int, durationSeconds: Double, ingressPPS: Double,
         egressPPS: Double, ingressMbps: Double, egressMbps: Double, lossPercent: Double,
         latencyMilliseconds: Percentiles, joinMilliseconds: Percentiles, serverCPUPercent: Double?,
         serverRSSMegabytes: Double?, egressPacketsPerServerCPUSecond: Double?, benchCPUPercent: Double) {
        self.scenario = scenario
        self.participants = participants
        self.joined = joined
        self.durationSeconds = durationSeconds
        self.ingressPPS = ingressPPS
        self.egressPPS = egressPPS
        self.ingressMbps = ingressMbps
        self.egressMbps = egressMbps
        self.lossPercent = lossPercent
        self.latencyMilliseconds = latencyMilliseconds
        self.joinMilliseconds = joinMilliseconds
        self.serverCPUPercent = serverCPUPercent
        self.serverRSSMegabytes = serverRSSMegabytes
        self.egressPacketsPerServerCPUSecond = egressPacketsPerServerCPUSecond
        self.benchCPUPercent = benchCPUPercent
    }

    var table: String {
        func number(_ value: Double?, _ digits: Int = 1) -> String {
            value.map { String(format: "%.\(digits)f", $0) } ?? "n/a"
        }
        let rows: [(String, String)] = [
            ("scenario", scenario),
            ("participants (joined)", "\(participants) (\(joined))"),
            ("duration", "\(number(durationSeconds)) s"),
            ("ingress", "\(number(ingressPPS, 0)) packets/s, \(number(ingressMbps, 2)) Mbit/s"),
            ("egress", "\(number(egressPPS, 0)) packets/s, \(number(egressMbps, 2)) Mbit/s"),
            ("loss", "\(number(lossPercent, 3)) %"),
            ("latency p50/p95/p99", "\(number(latencyMilliseconds.p50, 2)) / \(number(latencyMilliseconds.p95, 2)) / \(number(latencyMilliseconds.p99, 2)) ms"),
            ("join p50/p99", "\(number(joinMilliseconds.p50)) / \(number(joinMilliseconds.p99)) ms"),
            ("server CPU, RSS", "\(number(serverCPUPercent)) %, \(number(serverRSSMegabytes)) MiB"),
            ("egress packets per server CPU-second", number(egressPacketsPerServerCPUSecond, 0)),
            ("parley-bench CPU", "\(number(benchCPUPercent)) %"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }
}
