import Foundation

/// The summary of a run, printed as a table and written as JSON (`--json FILE`).
struct BenchReport: Codable {
    struct Percentiles: Codable {
        var p50: Double?
        var p95: Double?
        var p99: Double?

        init(_ histogram: LatencyHistogram) {
            p50 = histogram.percentile(50)
            p95 = histogram.percentile(95)
            p99 = histogram.percentile(99)
        }

        init(_ delay: ServerProcessingDelay) {
            p50 = delay.percentile(50)
            p95 = delay.percentile(95)
            p99 = delay.percentile(99)
        }
    }

    /// One step of a `--ramp` run.
    struct RampStep: Codable {
        var participants: Int
        var egressPPS: Double
        var lossPercent: Double
        var latencyP99: Double?
        var held: Bool

        enum CodingKeys: String, CodingKey {
            case participants, held
            case egressPPS = "egress_pps"
            case lossPercent = "loss_percent"
            case latencyP99 = "latency_p99_ms"
        }
    }

    var scenario: String
    var participants: Int
    var joined: Int
    /// Bench processes the participants were spread over.
    var processes = 1
    /// (receiver, sender, kind) combinations that carried media, of those that should have.
    var tracksReceived: Int
    var tracksExpected: Int
    var durationSeconds: Double
    /// Packets the server received from the participants per second.
    var ingressPPS: Double
    /// Packets the server sent to the participants per second.
    var egressPPS: Double
    var ingressMbps: Double
    var egressMbps: Double
    /// Packets that did not arrive, of those that should have: per (receiver, sender, stream),
    /// the sequences between the first and the highest that arrived.
    var lossPercent: Double
    /// Sender → server → receiver (one clock for all bench processes on the machine); the round
    /// trip in the echo scenario.
    var latencyMilliseconds: Percentiles
    /// The part of it spent inside the server (its `parley_processing_delay_seconds`), when the
    /// server reports it.
    var serverProcessingDelayMilliseconds: Percentiles?
    var joinMilliseconds: Percentiles
    /// From asking for another simulcast layer to the first packet of it (a key frame).
    var keyFrameWaitMilliseconds: Percentiles
    var nacksSent: Int
    var plisSent: Int
    var serverCPUPercent: Double?
    var serverRSSMegabytes: Double?
    var egressPacketsPerServerCPUSecond: Double?
    var benchCPUPercent: Double
    var ramp: [RampStep]?
    /// `--ramp`: the most participants held with < 1 % loss and p99 < 50 ms.
    var largestLoadHeld: Int?

    enum CodingKeys: String, CodingKey {
        case scenario, participants, joined, processes, ramp
        case tracksReceived = "tracks_received"
        case tracksExpected = "tracks_expected"
        case durationSeconds = "duration_s"
        case ingressPPS = "ingress_pps"
        case egressPPS = "egress_pps"
        case ingressMbps = "ingress_mbps"
        case egressMbps = "egress_mbps"
        case lossPercent = "loss_percent"
        case latencyMilliseconds = "latency_ms"
        case serverProcessingDelayMilliseconds = "server_processing_delay_ms"
        case joinMilliseconds = "join_ms"
        case keyFrameWaitMilliseconds = "keyframe_wait_ms"
        case nacksSent = "nacks_sent"
        case plisSent = "plis_sent"
        case serverCPUPercent = "server_cpu_percent"
        case serverRSSMegabytes = "server_rss_mb"
        case egressPacketsPerServerCPUSecond = "egress_packets_per_server_cpu_second"
        case benchCPUPercent = "bench_cpu_percent"
        case largestLoadHeld = "largest_load_held"
    }

    /// From a measurement window; `expectedTracks` is how many (receiver, sender, kind)
    /// combinations should carry media.
    init(scenario: String, participants: Int, expectedTracks: Int, window: MeasuredWindow) {
        let totals = window.totals, seconds = max(window.seconds, 1e-3)
        self.scenario = scenario
        self.participants = participants
        joined = totals.joined
        tracksReceived = totals.tracks
        tracksExpected = expectedTracks
        durationSeconds = seconds
        ingressPPS = Double(totals.sent) / seconds
        egressPPS = Double(totals.received) / seconds
        ingressMbps = Double(totals.sentBytes) * 8 / seconds / 1e6
        egressMbps = Double(totals.receivedBytes) * 8 / seconds / 1e6
        let expected = Double(totals.expected)
        lossPercent = expected > 0 ? max(0, expected - Double(totals.received)) / expected * 100 : 100
        latencyMilliseconds = Percentiles(totals.latency)
        serverProcessingDelayMilliseconds = window.usage.serverProcessingDelay.map(Percentiles.init)
        joinMilliseconds = Percentiles(totals.joins)
        var waits = LatencyHistogram()
        for wait in totals.keyFrameWaits { waits.record(microseconds: wait) }
        keyFrameWaitMilliseconds = Percentiles(waits)
        nacksSent = totals.nacks
        plisSent = totals.plis
        serverCPUPercent = window.usage.serverCPUSeconds.map { $0 / seconds * 100 }
        serverRSSMegabytes = window.usage.serverResidentMegabytes
        egressPacketsPerServerCPUSecond = window.usage.serverCPUSeconds.flatMap {
            $0 > 0 ? Double(totals.received) / $0 : nil
        }
        benchCPUPercent = window.usage.benchCPUSeconds / seconds * 100
    }

    /// Whether a load was held: < 1 % loss and p99 < 50 ms.
    var held: Bool { lossPercent < 1 && (latencyMilliseconds.p99 ?? .infinity) < 50 }

    var table: String {
        func number(_ value: Double?, _ digits: Int = 1) -> String {
            value.map { String(format: "%.\(digits)f", $0) } ?? "n/a"
        }
        var rows: [(String, String)] = [
            ("scenario", scenario + (processes > 1 ? " (\(processes) bench processes)" : "")),
            ("participants (joined)", "\(participants) (\(joined))"),
            ("tracks received / expected", "\(tracksReceived) / \(tracksExpected)"),
            ("duration", "\(number(durationSeconds)) s"),
            ("ingress", "\(number(ingressPPS, 0)) packets/s, \(number(ingressMbps, 2)) Mbit/s"),
            ("egress", "\(number(egressPPS, 0)) packets/s, \(number(egressMbps, 2)) Mbit/s"),
            ("loss", "\(number(lossPercent, 3)) %"),
            ("latency p50/p95/p99", "\(number(latencyMilliseconds.p50, 2)) / \(number(latencyMilliseconds.p95, 2)) / \(number(latencyMilliseconds.p99, 2)) ms"),
            ("server processing delay p50/p95/p99", serverProcessingDelayMilliseconds.map {
                "\(number($0.p50, 3)) / \(number($0.p95, 3)) / \(number($0.p99, 3)) ms"
            } ?? "n/a"),
            ("join p50/p99", "\(number(joinMilliseconds.p50)) / \(number(joinMilliseconds.p99)) ms"),
            ("key-frame wait after a switch p50/p99", "\(number(keyFrameWaitMilliseconds.p50)) / \(number(keyFrameWaitMilliseconds.p99)) ms"),
            ("NACKs, PLIs sent by subscribers", "\(nacksSent), \(plisSent)"),
            ("server CPU, RSS", "\(number(serverCPUPercent)) %, \(number(serverRSSMegabytes)) MiB"),
            ("egress packets per server CPU-second", number(egressPacketsPerServerCPUSecond, 0)),
            ("parley-bench CPU", "\(number(benchCPUPercent)) %"),
        ]
        for step in ramp ?? [] {
            rows.append(("ramp: \(step.participants) participants",
                         "\(number(step.egressPPS, 0)) packets/s out, loss \(number(step.lossPercent, 3)) %, p99 \(number(step.latencyP99, 2)) ms" + (step.held ? "" : "  (not held)")))
        }
        if ramp != nil {
            rows.append(("largest load held (<1 % loss, p99 <50 ms)", largestLoadHeld.map { "\($0) participants" } ?? "none"))
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }
}
