import Foundation

/// This process's CPU time, memory and open files, as Prometheus's standard `process_*` metrics
/// report them (Linux: getrusage and /proc/self).
struct ProcessResourceUsage: Sendable, Equatable {
    var cpuSeconds: Double = 0
    var residentBytes: Double = 0
    var virtualBytes: Double = 0
    var openFileDescriptors: Double = 0
    /// Seconds since the Unix epoch at which the process started.
    var startTimeSeconds: Double = 0

    static func current() -> ProcessResourceUsage {
        var usage = ProcessResourceUsage()
        var rusage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &rusage) == 0 {
            usage.cpuSeconds = Double(rusage.ru_utime.tv_sec) + Double(rusage.ru_utime.tv_usec) / 1e6
                + Double(rusage.ru_stime.tv_sec) + Double(rusage.ru_stime.tv_usec) / 1e6
        }
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        // statm: total program size and resident set, in pages (proc(5)).
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let size = Double(fields[0]), let resident = Double(fields[1]) {
                usage.virtualBytes = size * pageSize
                usage.residentBytes = resident * pageSize
            }
        }
        usage.openFileDescriptors = Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0)
        usage.startTimeSeconds = processStartTime ?? 0
        return usage
    }

    /// Boot time (/proc/stat `btime`) plus the process's start in clock ticks after boot
    /// (/proc/self/stat field 22); it never changes, so it is read once.
    private static let processStartTime: Double? = {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let closing = stat.lastIndex(of: ")"),
              let system = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let bootLine = system.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let bootTime = Double(bootLine.dropFirst("btime ".count)) else { return nil }
        // Fields after the command name start at field 3 (state); starttime is field 22.
        let fields = stat[stat.index(after: closing)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        return bootTime + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }()
}
