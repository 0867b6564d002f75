import ArgumentParser
import Foundation

/// `parley-bench`: load-tests a running Parley server with real ICE/DTLS/SRTP clients.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Load-test a Parley server with real WebRTC client transports.",
        discussion: """
            Scenarios:
              echo   every participant publishes Opus-sized audio (50 packets/s) and 30 fps video
                     to POST /v1/echo and receives it back; reports loss, round-trip latency,
                     join time and, with --server-pid, the server's CPU and memory.
            """
    )

    @Argument(help: "The scenario to run (echo).")
    var scenario: String

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:7800/.")
    var server: String

    @Option(help: "Participants to simulate.")
    var participants: Int = 4

    @Option(help: "Seconds to send media for.")
    var duration: Double = 10

    @Option(help: "Client event loops (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Video packets per frame (30 frames/s).")
    var videoPacketsPerFrame: Int = 3

    @Option(help: "Process id of a server on this machine, to report its CPU and memory from /proc.")
    var serverPID: Int32?

    @Option(help: "Write the summary as JSON to this file.")
    var json: String?

    mutating func validate() throws {
        guard scenario == "echo" else { throw ValidationError("unknown scenario '\(scenario)'; available: echo") }
        guard URL(string: server)?.scheme?.hasPrefix("http") == true else {
            throw ValidationError("--server must be an http(s) URL")
        }
        guard (1...10_000).contains(participants) else { throw ValidationError("--participants must be 1-10000") }
        guard duration > 0, duration <= 3_600 else { throw ValidationError("--duration must be in (0, 3600] seconds") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be 1-64") }
    }

    func run() async throws {
        guard let url = URL(string: server) else { return }
        var settings = BenchParticipant.Settings()
        settings.videoPacketsPerFrame = max(1, videoPacketsPerFrame)
        let echo = EchoScenario(server: url, participantCount: participants,
                                duration: .milliseconds(Int(duration * 1000)), workerCount: workers,
                                settings: settings, serverPID: serverPID)
        let report = try await echo.run { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        print(report.table)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }
}
