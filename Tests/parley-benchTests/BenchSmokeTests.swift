import Foundation
import Testing

/// `parley-bench echo` against a real `parley serve` on loopback, both as separate processes,
/// as a user would run them. Bounded: 3 participants for 3 seconds.
@Suite struct BenchSmokeTests {
    static var binaries: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    @Test func echoScenarioRunsWithLessThanOnePercentLoss() async throws {
        let folder = NSTemporaryDirectory() + "parley-bench-smoke-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = Process()
        server.executableURL = Self.binaries.appendingPathComponent("parley")
        server.arguments = ["serve", "--http-host", "127.0.0.1", "--http-port", "0", "--rtc-port", "0",
                            "--announce", "127.0.0.1", "--data-dir", folder, "--log-level", "warning"]
        let serverOutput = Pipe()
        server.standardOutput = serverOutput
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        let url = try readListeningURL(serverOutput.fileHandleForReading)

        let json = folder + "-report.json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let bench = Process()
        bench.executableURL = Self.binaries.appendingPathComponent("parley-bench")
        bench.arguments = ["echo", "--server", url, "--participants", "3", "--duration", "3", "--workers", "1",
                           "--server-pid", "\(server.processIdentifier)", "--json", json]
        bench.standardOutput = FileHandle.nullDevice
        bench.standardError = FileHandle.nullDevice
        try bench.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while bench.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if bench.isRunning { bench.terminate() }
        bench.waitUntilExit()
        #expect(bench.terminationStatus == 0)

        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
                                  as? [String: Any])
        #expect(report["joined"] as? Int == 3)
        let ingress = try #require(report["ingress_pps"] as? Double)
        // 3 participants × (50 audio + 90 video packets/s).
        #expect(ingress > 3 * 140 * 0.8)
        #expect(try #require(report["loss_percent"] as? Double) < 1)
        #expect((report["latency_ms"] as? [String: Double])?["p50"] != nil)
        #expect(report["server_cpu_percent"] as? Double != nil)
    }

    private func readListeningURL(_ handle: FileHandle) throws -> String {
        var text = ""
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"http://[^ /]+/"#, options: .regularExpression) { return String(text[range]) }
        }
        throw CancellationError()
    }
}
