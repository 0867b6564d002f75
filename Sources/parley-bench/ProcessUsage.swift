import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// CPU time and memory of a process on this machine, from /proc (Linux).
struct ProcessUsage {
    /// User + system CPU seconds so far; nil if the process is not readable.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let closing = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: closing)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident set size in MiB; nil if the process is not readable.
    static func residentMegabytes(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
        return kilobytes / 1024
    }

    /// This process's own CPU seconds.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

/// Where the server's CPU time and memory come from: /proc when it runs on this machine
/// (`--server-pid`), otherwise its Prometheus endpoint (`GET /metrics`), which works for a remote
/// server too. Either may be missing (another machine without metrics): then they are unknown.
struct ServerUsageSource: Sendable {
    struct Sample: Sendable {
        var cpuSeconds: Double
        var residentMegabytes: Double?
        /// The server's processing-delay histogram so far; nil when it has no `/metrics`.
        var processingDelay: ServerProcessingDelay?
    }

    let pid: Int32?
    let metricsURL: URL?

    init(pid: Int32?, server: URL?) {
        self.pid = pid
        metricsURL = server.map { $0.appendingPathComponent("metrics") }
    }

    func sample() async -> Sample? {
        // The metrics are read even with a pid: the processing delay is only there.
        let text = await metrics()
        let delay = text.flatMap(ServerProcessingDelay.init(exposition:))
        if let pid {
            return ProcessUsage.cpuSeconds(pid: pid).map {
                Sample(cpuSeconds: $0, residentMegabytes: ProcessUsage.residentMegabytes(pid: pid), processingDelay: delay)
            }
        }
        guard let text, let cpu = Self.value(of: "process_cpu_seconds_total", in: text) else { return nil }
        return Sample(cpuSeconds: cpu,
                      residentMegabytes: Self.value(of: "process_resident_memory_bytes", in: text).map { $0 / 1_048_576 },
                      processingDelay: delay)
    }

    private func metrics() async -> String? {
        guard let metricsURL,
              let (body, response) = try? await URLSession.shared.data(from: metricsURL),
              (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// A label-less series' value in the Prometheus text format.
    static func value(of name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).prefix { $0 != " " })
        }
        return nil
    }
}

/// CPU seconds the server and this process spent over a window of the run, and the server's
/// memory at its end.
struct LoadUsage {
    struct Measured {
        var serverCPUSeconds: Double?
        var serverResidentMegabytes: Double?
        var benchCPUSeconds: Double
        /// The server's processing delay over the window.
        var serverProcessingDelay: ServerProcessingDelay?
    }

    let server: ServerUsageSource
    private let serverStart: ServerUsageSource.Sample?
    private let benchStart: Double

    static func start(_ server: ServerUsageSource) async -> LoadUsage {
        LoadUsage(server: server, serverStart: await server.sample(), benchStart: ProcessUsage.ownCPUSeconds())
    }

    func finish() async -> Measured {
        let benchCPUSeconds = ProcessUsage.ownCPUSeconds() - benchStart
        let serverEnd = await server.sample()
        var cpu: Double?
        if let serverStart, let serverEnd { cpu = serverEnd.cpuSeconds - serverStart.cpuSeconds }
        var delay: ServerProcessingDelay?
        if let start = serverStart?.processingDelay, let end = serverEnd?.processingDelay { delay = end.since(start) }
        return Measured(serverCPUSeconds: cpu, serverResidentMegabytes: serverEnd?.residentMegabytes,
                        benchCPUSeconds: benchCPUSeconds, serverProcessingDelay: delay)
    }
}
