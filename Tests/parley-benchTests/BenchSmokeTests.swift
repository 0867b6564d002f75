import Foundation
import Testing

/// `parley-bench` against a real `parley serve` on loopback, both as separate processes, as a
/// user would run them. Bounded: a few participants for 3 seconds each.
@Suite(.serialized) struct BenchSmokeTests {
    static var binaries: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    @Test func echoScenarioRunsWithLessThanOnePercentLoss() async throws {
        let report = try await runBench(["echo", "--participants", "3"])
        #expect(report["joined"] as? Int == 3)
        let ingress = try #require(report["ingress_pps"] as? Double)
        // 3 participants × (50 audio + 180 video packets/s: one 1.5 Mbit/s encoding).
        #expect(ingress > 3 * 230 * 0.8)
        let loss = try #require(report["loss_percent"] as? Double)
        #expect(loss < 1, "\(loss) % lost")
        #expect((report["latency_ms"] as? [String: Double])?["p50"] != nil)
        #expect(report["server_cpu_percent"] as? Double != nil)
    }

    /// Three participants in a room over signaling, each publishing Opus and three simulcast
    /// layers: every subscriber gets everyone else's audio and one video layer, the one it asked
    /// for, and the layer swap halfway is timed.
    /// Without `--server-pid`, the server's CPU and memory come from its `GET /metrics`.
    @Test func meetingScenarioForwardsOneSimulcastLayerToEachSubscriber() async throws {
        let report = try await runBench(["meeting", "--participants", "3"], dev: true, givingServerPID: false)
        #expect(report["joined"] as? Int == 3)
        #expect(report["tracks_received"] as? Int == 12 && report["tracks_expected"] as? Int == 12)
        let ingress = try #require(report["ingress_pps"] as? Double)
        let egress = try #require(report["egress_pps"] as? Double)
        // Each publisher: 50 audio + 30 + 60 + 180 video packets/s (150, 500, 1500 kbit/s).
        #expect(ingress > 3 * 320 * 0.8 && ingress < 3 * 320 * 1.2, "\(ingress)")
        // Subscribers ask for the top or the middle layer and swap halfway: about 1,020 packets/s
        // out. Every layer forwarded would be 1,920.
        #expect(egress > 1_020 * 0.85 && egress < 1_020 * 1.15, "one layer per subscriber: \(egress) out")
        let loss = try #require(report["loss_percent"] as? Double)
        #expect(loss < 1, "\(loss) % lost")
        #expect((report["join_ms"] as? [String: Double])?["p99"] != nil)
        #expect((report["keyframe_wait_ms"] as? [String: Double])?["p50"] != nil, "the layer swap was timed")
        #expect(report["egress_packets_per_server_cpu_second"] as? Double != nil)
        // The server's own share of the latency, from its histogram: no more than the whole
        // one-way latency (the bench's stamps include it), and counted at all.
        let delay = try #require(report["server_processing_delay_ms"] as? [String: Double], "read from /metrics")
        let latency = try #require(report["latency_ms"] as? [String: Double])
        #expect((delay["p50"] ?? .infinity) <= (latency["p50"] ?? 0) + 0.1, "\(delay) within \(latency)")
        let cpu = try #require(report["server_cpu_percent"] as? Double, "read from /metrics")
        #expect(cpu > 0 && cpu < 200, "\(cpu) % of the 2 cores")
        let resident = try #require(report["server_rss_mb"] as? Double, "read from /metrics")
        #expect(resident > 5 && resident < 2_000, "\(resident) MiB")
    }

    /// The same room from two bench processes: the parent adds up what the child measured.
    @Test func meetingSpreadOverTwoBenchProcesses() async throws {
        let report = try await runBench(["meeting", "--participants", "4", "--processes", "2"], dev: true)
        #expect(report["processes"] as? Int == 2)
        #expect(report["joined"] as? Int == 4)
        #expect(report["tracks_received"] as? Int == 24 && report["tracks_expected"] as? Int == 24)
        let loss = try #require(report["loss_percent"] as? Double)
        #expect(loss < 1, "\(loss) % lost")
    }

    /// `--ramp`: steps of two audio participants, each measured; the largest load held is the
    /// last step within < 1 % loss and p99 < 50 ms. (Whether a step holds its p99 depends on
    /// how busy the machine is, so the test checks the bookkeeping, and loss, not the verdict.)
    @Test func rampAddsParticipantsStepByStep() async throws {
        let report = try await runBench(["audio", "--participants", "4", "--ramp", "2"], dev: true)
        let steps = try #require(report["ramp"] as? [[String: Any]])
        let sizes = steps.compactMap { $0["participants"] as? Int }
        #expect(sizes == [2, 4] || sizes == [2], "\(sizes)")
        for step in steps {
            #expect((step["egress_pps"] as? Double ?? 0) > 0)
            let loss = try #require(step["loss_percent"] as? Double)
            #expect(loss < 1)
            let p99 = step["latency_p99_ms"] as? Double ?? .infinity
            #expect(step["held"] as? Bool == (loss < 1 && p99 < 50))
        }
        // Every step before the last was held (the ramp stops at the first that is not).
        #expect(steps.dropLast().allSatisfy { $0["held"] as? Bool == true })
        let held = steps.last { $0["held"] as? Bool == true }?["participants"] as? Int
        #expect(report["largest_load_held"] as? Int == held)
        if sizes == [2] { #expect(held == nil) }
    }

    /// Two participants exchanging 1 KiB messages over data channels through the room.
    @Test func dataScenarioRelaysMessagesBetweenTwoClients() async throws {
        let report = try await runBench(["data", "--participants", "2", "--message-rate", "200"], dev: true)
        #expect(report["joined"] as? Int == 2)
        let ingress = try #require(report["ingress_pps"] as? Double)
        let egress = try #require(report["egress_pps"] as? Double)
        #expect(ingress > 2 * 200 * 0.8, "two senders at 200 messages/s: \(ingress)")
        // The window's edges clip what was in flight: loss is the exact check.
        #expect(egress > ingress * 0.9, "each message reaches the other: \(ingress) in, \(egress) out")
        let loss = try #require(report["loss_percent"] as? Double)
        #expect(loss < 1, "\(loss) % lost")
        #expect((report["latency_ms"] as? [String: Double])?["p50"] != nil)
    }

    /// One publisher and four receivers, with the room created over REST and tokens signed by
    /// the API key the server generated.
    @Test func webinarScenarioWithAnAPIKeyFansOut() async throws {
        let report = try await runBench(["webinar", "--participants", "5"], dev: false)
        #expect(report["joined"] as? Int == 5)
        #expect(report["tracks_received"] as? Int == 8 && report["tracks_expected"] as? Int == 8)
        let ingress = try #require(report["ingress_pps"] as? Double)
        let egress = try #require(report["egress_pps"] as? Double)
        #expect(ingress > 320 * 0.8 && ingress < 320 * 1.2, "one publisher: \(ingress) packets/s")
        // Four receivers, each with the audio and the top or the middle layer.
        #expect(egress > 4 * (50 + 60) * 0.9, "\(egress)")
        let loss = try #require(report["loss_percent"] as? Double)
        #expect(loss < 1, "\(loss) % lost")
    }

    private func runBench(_ arguments: [String], dev: Bool = false, givingServerPID: Bool = true) async throws -> [String: Any] {
        try await Self.runBench(arguments + ["--duration", "3", "--workers", "1"], dev: dev, givingServerPID: givingServerPID)
    }

    /// Starts `parley serve` (with `--dev`, or with the API key it generates passed to the
    /// bench), runs the bench with `arguments`, and returns its JSON report.
    static func runBench(_ arguments: [String], dev: Bool = false, givingServerPID: Bool = true,
                         timeout: Duration = .seconds(90)) async throws -> [String: Any] {
        let folder = NSTemporaryDirectory() + "parley-bench-smoke-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = Process()
        server.executableURL = Self.binaries.appendingPathComponent("parley")
        server.arguments = ["serve", "--http-host", "127.0.0.1", "--http-port", "0", "--rtc-port", "0",
                            "--announce", "127.0.0.1", "--data-dir", folder, "--log-level", "warning"]
            + (dev ? ["--dev"] : [])
        let serverOutput = Pipe()
        server.standardOutput = serverOutput
        // Kept, so a server that ends at start-up says why.
        let serverErrors = folder + "-server-stderr.txt"
        FileManager.default.createFile(atPath: serverErrors, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: serverErrors) }
        server.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: serverErrors))
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        guard let startup = readStartup(serverOutput.fileHandleForReading) else {
            server.waitUntilExit()
            let errors = (try? String(contentsOfFile: serverErrors, encoding: .utf8)) ?? ""
            throw ServerDidNotStart(status: server.terminationStatus, standardError: errors)
        }

        let json = folder + "-report.json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let bench = Process()
        bench.executableURL = Self.binaries.appendingPathComponent("parley-bench")
        bench.arguments = arguments + ["--server", startup.url, "--json", json]
            + (givingServerPID ? ["--server-pid", "\(server.processIdentifier)"] : [])
            + (dev ? [] : ["--api-key=\(startup.key)", "--api-secret=\(startup.secret)"])
        bench.standardOutput = FileHandle.nullDevice
        bench.standardError = FileHandle.nullDevice
        try bench.run()
        let deadline = ContinuousClock.now + timeout
        while bench.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if bench.isRunning { bench.terminate() }
        bench.waitUntilExit()
        #expect(bench.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
                            as? [String: Any])
    }

    /// The listening URL and the generated API key from the server's first lines.
    private static func readStartup(_ handle: FileHandle) -> (url: String, key: String, secret: String)? {
        var text = ""
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            guard let url = text.range(of: #"http://[^ /]+/"#, options: .regularExpression) else { continue }
            func value(_ label: String) -> String {
                text.range(of: label + #"\s+\S+"#, options: .regularExpression)
                    .map { String(text[$0].dropFirst(label.count)).trimmingCharacters(in: .whitespaces) } ?? ""
            }
            return (String(text[url]), value("key:"), value("secret:"))
        }
        return nil
    }
}

/// `parley serve` closed its output before saying where it listens.
struct ServerDidNotStart: Error, CustomStringConvertible {
    let status: Int32
    let standardError: String
    var description: String { "parley serve ended at start-up with status \(status): \(standardError)" }
}
