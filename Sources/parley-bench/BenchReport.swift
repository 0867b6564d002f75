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
    var lossPercent: Double
    /// Round trip participant → server → participant (the echo scenario measures both legs).
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
        case lossPercent = "loss_percent"
        case latencyMilliseconds = "latency_ms"
        case joinMilliseconds = "join_ms"
        case serverCPUPercent = "server_cpu_percent"
        case serverRSSMegabytes = "server_rss_mb"
        case egressPacketsPerServerCPUSecond = "egress_packets_per_server_cpu_second"
        case benchCPUPercent = "bench_cpu_percent"
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
            ("egress", "\(number(egressPPS, 0)) packets/s"),
            ("loss", "\(number(lossPercent, 3)) %"),
            ("round trip p50/p95/p99", "\(number(latencyMilliseconds.p50, 2)) / \(number(latencyMilliseconds.p95, 2)) / \(number(latencyMilliseconds.p99, 2)) ms"),
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
