import Foundation

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

/// CPU seconds the server and this process spent over a window of the run.
struct LoadUsage {
    struct Measured {
        var serverCPUSeconds: Double?
        var benchCPUSeconds: Double
    }

    let serverPID: Int32?
    private let serverStart: Double?
    private let benchStart: Double

    init(serverPID: Int32?) {
        self.serverPID = serverPID
        serverStart = serverPID.flatMap(ProcessUsage.cpuSeconds)
        benchStart = ProcessUsage.ownCPUSeconds()
    }

    func finish() -> Measured {
        let serverEnd = serverPID.flatMap(ProcessUsage.cpuSeconds)
        var server: Double?
        if let serverStart, let serverEnd { server = serverEnd - serverStart }
        return Measured(serverCPUSeconds: server, benchCPUSeconds: ProcessUsage.ownCPUSeconds() - benchStart)
    }
}
