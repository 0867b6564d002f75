import ArgumentParser
import Auth
import Foundation

/// `parley-bench`: load-tests a running Parley server with real ICE/DTLS/SRTP clients.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Load-test a Parley server with real WebRTC client transports.",
        discussion: """
            Scenarios:
              meeting  every participant joins a room over signaling, publishes Opus (50 packets/s)
                       and VP8 (30 fps) and receives everyone else: loss, one-way latency through
                       the router, join time, egress packets per server CPU-second
              webinar  participant 0 publishes, the others only receive
              audio    every participant publishes Opus only and receives everyone else
              data     every participant sends 1 KiB messages on a reliable data channel (the
                       room relays them to everyone else): messages/s, loss, latency
              echo     every participant sends audio and video to POST /v1/echo and gets it back
            Against a server started with --dev no key is needed; otherwise pass --api-key and
            --api-secret (the room is created over REST and join tokens are signed here).
            """
    )

    @Argument(help: "The scenario to run: meeting, webinar, audio, data or echo.")
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

    @Option(help: "Data scenario: messages per second each participant sends.")
    var messageRate: Int = 500

    @Option(help: "Data scenario: message size in bytes.")
    var messageSize: Int = 1_024

    @Option(help: "Process id of a server on this machine, to report its CPU and memory from /proc.")
    var serverPID: Int32?

    @Option(help: "Write the summary as JSON to this file.")
    var json: String?

    @Option(help: "API key id, to create the room and sign join tokens (not needed with --dev).")
    var apiKey: String?

    @Option(help: "API key secret.")
    var apiSecret: String?

    @Option(help: "The room the room scenarios use (default: a new name per run).")
    var room: String?

    static let scenarios = ["echo"] + RoomScenario.Kind.allCases.map(\.rawValue)

    mutating func validate() throws {
        guard Self.scenarios.contains(scenario) else {
            throw ValidationError("unknown scenario '\(scenario)'; available: \(Self.scenarios.joined(separator: ", "))")
        }
        guard (apiKey == nil) == (apiSecret == nil) else {
            throw ValidationError("--api-key and --api-secret go together")
        }
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
        settings.dataMessagesPerSecond = max(1, messageRate)
        settings.dataMessageSize = min(max(messageSize, 32), 200_000)
        let progress: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let report: BenchReport
        if let kind = RoomScenario.Kind(rawValue: scenario) {
            let key = try apiKey.map { try APIKeyPair(keyID: $0, secret: apiSecret ?? "") }
            let room = self.room ?? "bench-\(kind.rawValue)-\(UInt32.random(in: 0...UInt32.max))"
            report = try await RoomScenario(
                kind: kind, server: url, room: room, apiKey: key, participantCount: participants,
                duration: .milliseconds(Int(duration * 1000)), workerCount: workers, settings: settings,
                serverPID: serverPID).run(progress: progress)
        } else {
            report = try await EchoScenario(
                server: url, participantCount: participants, duration: .milliseconds(Int(duration * 1000)),
                workerCount: workers, settings: settings, serverPID: serverPID).run(progress: progress)
        }
        print(report.table)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }
}
