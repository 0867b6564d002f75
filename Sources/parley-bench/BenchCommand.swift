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
                       and VP8 in three simulcast layers (30 fps, temporal layers) and receives
                       everyone else: loss, one-way latency through the router, join time,
                       key-frame wait after a layer switch, egress packets per server CPU-second
              webinar  the first --publishers (1) publish, the others only receive
              audio    every participant publishes Opus only and receives everyone else
              data     every participant sends 1 KiB messages on a reliable data channel (the
                       room relays them to everyone else): messages/s, loss, latency
              echo     every participant sends audio and video to POST /v1/echo and gets it back
              qoe      one simulcast publisher, one subscriber behind the link emulator (default:
                       5,000 kbit/s, 500 at 20 s, 5,000 at 40 s, 50 ms RTT, 1 % loss; run it with
                       --duration 60): per second the capacity, the server's estimate, the layer,
                       what arrived, loss and frozen video; then the down-switch, recovery,
                       freeze, flapping, bottleneck use and overshoot loss
            The link emulator (--link-*) sits between one participant's receiving transport and
            the server: a rate limit with a bounded queue, delay, jitter, random and bursty loss.
            Against a server started with --dev no key is needed; otherwise pass --api-key and
            --api-secret (the room is created over REST and join tokens are signed here).
            """
    )

    @Argument(help: "The scenario to run: meeting, webinar, audio, data, qoe or echo.")
    var scenario: String

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:7800/.")
    var server: String

    @Option(help: "Participants to simulate.")
    var participants: Int = 4

    @Option(help: "Seconds to send media for.")
    var duration: Double = 10

    @Option(help: "Client event loops (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Video bitrates in kbit/s, one per simulcast layer, lowest first (one value: no simulcast).")
    var videoBitrates: String = "150,500,1500"

    @Option(help: "How many times the size of a delta frame a key frame is (1-20; an encoder's are several times larger).")
    var keyFrameFactor: Int = 1

    @Option(help: "Webinar: how many participants publish.")
    var publishers: Int = 1

    @Option(help: """
        How often clients send what is due, in ms (1-20). Every client of a bench worker sends on the \
        same tick, so a shorter one spreads the load as independent browsers' pacers would.
        """)
    var sendTick: Int = 5

    @Option(help: "The bandwidth subscribers report in REMB, kbit/s.")
    var subscriberBandwidth: Int = 100_000

    @Flag(inversion: .prefixedNo, help: """
        Subscribers negotiate transport-cc and send its feedback every 50 ms, as browsers do, so the server \
        estimates their downlink from delay (default: on in qoe; off in the load scenarios, where a loaded \
        bench's own receive timing would be read as congestion and REMB reports --subscriber-bandwidth).
        """)
    var transportCC: Bool?

    @Option(help: "Add this many participants per step, measuring each step for --duration, until one loses ≥ 1 % or has p99 ≥ 50 ms.")
    var ramp: Int?

    @Option(help: "Bench processes to spread the participants over (room scenarios).")
    var processes: Int = 1

    @Option(help: .hidden)
    var childResult: String?

    @Option(help: .hidden)
    var firstIndex: Int = 0

    @Option(help: .hidden)
    var totalParticipants: Int?

    @Option(help: "Data scenario: messages per second each participant sends.")
    var messageRate: Int = 500

    @Option(help: "Data scenario: message size in bytes.")
    var messageSize: Int = 1_024

    @Option(help: "Link emulator: downlink rate in kbit/s at the start.")
    var linkRate: Int?

    @Option(help: "Link emulator: rate changes, seconds:kbit/s, e.g. 20:500,40:5000.")
    var linkSchedule: String?

    @Option(help: "Link emulator: one-way delay in ms, each direction (RTT is twice this).")
    var linkDelay: Double?

    @Option(help: "Link emulator: extra downlink delay in ms, uniform in 0…this (order kept).")
    var linkJitter: Double?

    @Option(help: "Link emulator: random downlink loss in percent.")
    var linkLoss: Double?

    @Option(help: "Link emulator: bursty loss, ENTER,LEAVE percent per packet (Gilbert-Elliott: every packet in a burst is lost).")
    var linkBurstLoss: String?

    @Option(help: "Link emulator: the bottleneck queue, in ms at the current rate (drop tail).")
    var linkQueue: Double = 200

    @Option(help: "Link emulator: the participant whose receiving transport goes through it.")
    var linkParticipant: Int = 1

    @Option(help: "Process id of a server on this machine: its CPU and memory from /proc (default: from the server's GET /metrics).")
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

    static func burstLoss(_ text: String) -> (enter: Double, leave: Double)? {
        let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 && $0 <= 100 }) else { return nil }
        return (parts[0] / 100, parts[1] / 100)
    }

    /// The link emulator's conditions from the options; the qoe scenario's defaults when none is
    /// given there; nil when no link is asked for.
    func linkConditions() -> LinkConditions? {
        let given = linkRate != nil || linkSchedule != nil || linkDelay != nil || linkJitter != nil
            || linkLoss != nil || linkBurstLoss != nil
        guard given || scenario == "qoe" else { return nil }
        var conditions = LinkConditions()
        conditions.rateBitsPerSecond = (linkRate ?? (scenario == "qoe" ? 5_000 : nil)).map { $0 * 1000 }
        conditions.schedule = (linkSchedule ?? (scenario == "qoe" && !given ? "20:500,40:5000" : nil))
            .flatMap(LinkConditions.parseSchedule) ?? []
        conditions.delayMicroseconds = Int64((linkDelay ?? (scenario == "qoe" ? 25 : 0)) * 1000)
        conditions.jitterMicroseconds = Int64((linkJitter ?? 0) * 1000)
        conditions.randomLoss = (linkLoss ?? (scenario == "qoe" ? 1 : 0)) / 100
        if let burst = linkBurstLoss.flatMap(Self.burstLoss) {
            conditions.burstEnter = burst.enter
            conditions.burstLeave = burst.leave
        }
        conditions.queueMicroseconds = Int64(linkQueue * 1000)
        return conditions
    }

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
        guard (1...20).contains(sendTick) else { throw ValidationError("--send-tick must be 1-20 ms") }
        guard (1...20).contains(keyFrameFactor) else { throw ValidationError("--key-frame-factor must be 1-20") }
        guard let bitrates = Self.bitrates(videoBitrates), (1...3).contains(bitrates.count) else {
            throw ValidationError("--video-bitrates takes 1 to 3 comma-separated kbit/s values, e.g. 150,500,1500")
        }
        guard (1...max(1, participants)).contains(publishers) else { throw ValidationError("--publishers must be 1-participants") }
        guard ramp.map({ $0 >= 1 }) ?? true else { throw ValidationError("--ramp must be at least 1") }
        guard (1...16).contains(processes), processes <= participants else {
            throw ValidationError("--processes must be 1-16 and at most --participants")
        }
        if processes > 1 || ramp != nil {
            guard scenario != "echo" else { throw ValidationError("--processes and --ramp are for the room scenarios") }
        }
        guard ramp == nil || processes == 1 else { throw ValidationError("--ramp runs in one process") }
        if let linkSchedule, LinkConditions.parseSchedule(linkSchedule) == nil {
            throw ValidationError("--link-schedule takes seconds:kbit/s pairs, e.g. 20:500,40:5000")
        }
        if let linkBurstLoss, Self.burstLoss(linkBurstLoss) == nil {
            throw ValidationError("--link-burst-loss takes ENTER,LEAVE percentages, e.g. 1,30")
        }
        guard (linkLoss ?? 0) >= 0 && (linkLoss ?? 0) < 100, (linkRate ?? 8) >= 8, linkQueue > 0,
              (linkDelay ?? 0) >= 0, (linkJitter ?? 0) >= 0 else {
            throw ValidationError("--link-* values must be positive (loss below 100 %)")
        }
        if scenario == "qoe" {
            guard processes == 1, ramp == nil else { throw ValidationError("qoe runs in one process, without --ramp") }
        } else if linkConditions() != nil {
            guard processes == 1, scenario != "echo" else {
                throw ValidationError("the link emulator works in one process, in the room scenarios")
            }
        }
    }

    static func bitrates(_ list: String) -> [Int]? {
        let values = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard values.allSatisfy({ ($0 ?? 0) >= 10 }) else { return nil }
        return values.compactMap { $0.map { $0 * 1000 } }
    }

    func run() async throws {
        guard let url = URL(string: server) else { return }
        var settings = BenchParticipant.Settings()
        settings.videoBitrates = Self.bitrates(videoBitrates) ?? settings.videoBitrates
        settings.receiveBandwidth = UInt64(max(1, subscriberBandwidth)) * 1000
        settings.transportCC = transportCC ?? (scenario == "qoe")
        settings.dataMessagesPerSecond = max(1, messageRate)
        settings.dataMessageSize = min(max(messageSize, 32), 200_000)
        settings.sendTickMicroseconds = Int64(sendTick) * 1000
        settings.keyFrameFactor = keyFrameFactor
        let quiet = childResult != nil
        let progress: @Sendable (String) -> Void = { line in
            if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
        let report: BenchReport
        if let kind = RoomScenario.Kind(rawValue: scenario) {
            let key = try apiKey.map { try APIKeyPair(keyID: $0, secret: apiSecret ?? "") }
            let room = self.room ?? "bench-\(kind.rawValue)-\(UInt32.random(in: 0...UInt32.max))"
            let total = totalParticipants ?? participants
            // The first share runs here; the others in child processes of this executable.
            let share = (participants + processes - 1) / processes
            var children: [BenchChild] = []
            do {
                for process in 1..<processes {
                    let first = process * share
                    let count = min(share, participants - first)
                    guard count > 0 else { break }
                    children.append(try BenchChild(
                        arguments: childArguments(room: room, first: first, count: count, total: total),
                        resultPath: NSTemporaryDirectory() + "parley-bench-\(getpid())-\(process).json"))
                }
            } catch {
                children.forEach { $0.terminate() }
                throw error
            }
            var scenario = RoomScenario(
                kind: kind, server: url, room: room, apiKey: key, participantCount: children.isEmpty ? participants : share,
                firstIndex: firstIndex, totalParticipants: total, duration: .milliseconds(Int(duration * 1000)),
                workerCount: workers, settings: settings,
                // A child's counts go to the parent, which measures the server for the whole run.
                serverUsage: ServerUsageSource(pid: serverPID, server: childResult == nil ? url : nil))
            scenario.publisherCount = publishers
            scenario.rampStep = ramp
            scenario.link = linkConditions()
            scenario.linkParticipant = linkParticipant
            if kind == .qoe {
                let qoe = try await scenario.runQoE(progress: progress)
                print(qoe.table)
                if let json { try Self.write(qoe, to: json) }
                return
            }
            if let childResult {
                scenario.coordination = .child(resultPath: childResult)
            } else if !children.isEmpty {
                scenario.coordination = .parent(children)
            }
            do {
                report = try await scenario.run(progress: progress)
            } catch {
                children.forEach { $0.terminate() }
                throw error
            }
            for child in children { try? FileManager.default.removeItem(atPath: child.resultPath) }
        } else {
            report = try await EchoScenario(
                server: url, participantCount: participants, duration: .milliseconds(Int(duration * 1000)),
                workerCount: workers, settings: settings, serverUsage: ServerUsageSource(pid: serverPID, server: url)).run(progress: progress)
        }
        guard childResult == nil else { return }
        print(report.table)
        if let json { try Self.write(report, to: json) }
    }

    static func write(_ report: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: path))
    }

    /// The command line of a child process running participants `first ..< first + count`.
    private func childArguments(room: String, first: Int, count: Int, total: Int) -> [String] {
        var arguments = [scenario, "--server", server, "--room", room, "--participants", "\(count)",
                         "--first-index", "\(first)", "--total-participants", "\(total)",
                         "--duration", "\(duration)", "--workers", "\(workers)", "--video-bitrates", videoBitrates,
                         "--publishers", "\(publishers)", "--subscriber-bandwidth", "\(subscriberBandwidth)",
                         "--message-rate", "\(messageRate)", "--message-size", "\(messageSize)",
                         "--send-tick", "\(sendTick)", "--key-frame-factor", "\(keyFrameFactor)",
                         (transportCC ?? false) ? "--transport-cc" : "--no-transport-cc"]
        // `=`: a secret may begin with `-`.
        if let apiKey, let apiSecret { arguments += ["--api-key=\(apiKey)", "--api-secret=\(apiSecret)"] }
        return arguments
    }
}
