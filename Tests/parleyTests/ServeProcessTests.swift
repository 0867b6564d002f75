import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Runs the built `parley` executable as a real process, as an operator would.
struct ParleyProcess {
    /// `parley` is built next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("parley")
    }

    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs `parley` with `arguments` to completion (bounded: killed after `timeout`).
    static func run(_ arguments: [String], timeout: Duration = .seconds(20)) async throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        return Outcome(status: process.terminationStatus,
                       standardOutput: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                       standardError: String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}

@Suite struct ServeProcessTests {
    @Test func unknownFlagPrintsOneLineAndFails() async throws {
        let outcome = try await ParleyProcess.run(["serve", "--no-such-flag"])
        #expect(outcome.status != 0)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("parley: ") == true)
        #expect(outcome.standardError.contains("--no-such-flag"))
    }

    @Test func dataDirectoryThatIsAFileIsRefusedInOneLine() async throws {
        let file = NSTemporaryDirectory() + "parley-not-a-dir-\(UUID().uuidString)"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = try await ParleyProcess.run(["serve", "--http-port", "0", "--data-dir", file])
        #expect(outcome.status != 0)
        #expect(outcome.standardError == "parley: cannot use data directory '\(file)': it exists and is not a directory\n")
    }

    @Test func serveAnswersHealthzAndStopsCleanlyOnSIGTERM() async throws {
        let folder = NSTemporaryDirectory() + "parley-serve-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (process, url) = try await startServe(["--data-dir", folder])
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        let (body, response) = try await URLSession.shared.data(from: url.appendingPathComponent("healthz"))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == #"{"status":"ok"}"#)
        #expect(FileManager.default.fileExists(atPath: folder + "/parley.sqlite"))
        let (metrics, metricsResponse) = try await URLSession.shared.data(from: url.appendingPathComponent("metrics"))
        #expect((metricsResponse as? HTTPURLResponse)?.statusCode == 200, "metrics are on by default")
        #expect(String(decoding: metrics, as: UTF8.self).contains("\nparley_media_workers "))

        process.terminate() // SIGTERM
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning, "stops within 10 s of SIGTERM")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test func noMetricsFlagTurnsTheEndpointOff() async throws {
        let folder = NSTemporaryDirectory() + "parley-serve-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (process, url) = try await startServe(["--rtc-port", "0", "--data-dir", folder, "--no-metrics"])
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        let (_, response) = try await URLSession.shared.data(from: url.appendingPathComponent("metrics"))
        #expect((response as? HTTPURLResponse)?.statusCode == 404)
    }

    /// Starts `parley serve` on a free loopback HTTP port with `arguments` added; returns the
    /// process (the caller stops it) and the URL its first line says it listens on.
    private func startServe(_ arguments: [String]) async throws -> (Process, URL) {
        let process = Process()
        process.executableURL = ParleyProcess.executable
        process.arguments = ["serve", "--http-host", "127.0.0.1", "--http-port", "0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            return (process, try await readListeningURL(from: output.fileHandleForReading))
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
    }

    private func readListeningURL(from handle: FileHandle) async throws -> URL {
        var text = ""
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"http://[^ /]+/"#, options: .regularExpression) {
                return try #require(URL(string: String(text[range])))
            }
        }
        Issue.record("no listening line in: \(text)")
        throw CancellationError()
    }
}
