import Foundation
import Logging
import NIOCore

/// `parley serve`'s settings after combining flags, environment variables and defaults, in that
/// order of precedence.
struct ServeSettings: Equatable {
    var httpHost: String
    var httpPort: Int
    var dataDirectory: String
    var logLevel: Logger.Level
    /// UDP port of the first media worker; worker i uses rtcPort + i. 0 = any free ports.
    var rtcPort: Int = defaultRTCPort
    /// Media workers (event loops with their own UDP socket).
    var rtcWorkers: Int = System.coreCount
    /// Addresses announced as ICE host candidates; empty = every IPv4 interface address.
    var announcedAddresses: [String] = []

    static let defaultRTCPort = 7882
    static let defaultHTTPHost = "0.0.0.0"
    static let defaultHTTPPort = 7800
    static let defaultDataDirectory = "./data"

    /// Flags as given on the command line (nil when absent).
    struct Flags: Equatable {
        var httpHost: String?
        var httpPort: Int?
        var dataDirectory: String?
        var logLevel: String?
        var rtcPort: Int?
        var rtcWorkers: Int?
        var announcedAddresses: String?
    }

    init(httpHost: String, httpPort: Int, dataDirectory: String, logLevel: Logger.Level) {
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.dataDirectory = dataDirectory
        self.logLevel = logLevel
    }

    init(flags: Flags, environment: [String: String]) throws(ServeError) {
        httpHost = flags.httpHost ?? environment["PARLEY_HTTP_HOST"] ?? Self.defaultHTTPHost
        if let port = flags.httpPort {
            httpPort = port
        } else if let text = environment["PARLEY_HTTP_PORT"] {
            guard let port = Int(text) else { throw .invalidSetting("PARLEY_HTTP_PORT=\(text) is not a port number") }
            httpPort = port
        } else {
            httpPort = Self.defaultHTTPPort
        }
        guard (0...65_535).contains(httpPort) else {
            throw .invalidSetting("HTTP port \(httpPort) is outside 0-65535")
        }
        dataDirectory = flags.dataDirectory ?? environment["PARLEY_DATA_DIR"] ?? Self.defaultDataDirectory
        let levelText = flags.logLevel ?? environment["PARLEY_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidSetting("log level '\(levelText)' is not one of \(known)")
        }
        logLevel = level

        rtcPort = try Self.integer(flags.rtcPort, environment["PARLEY_RTC_PORT"], name: "PARLEY_RTC_PORT")
            ?? Self.defaultRTCPort
        rtcWorkers = try Self.integer(flags.rtcWorkers, environment["PARLEY_RTC_WORKERS"], name: "PARLEY_RTC_WORKERS")
            ?? System.coreCount
        guard (0...65_535).contains(rtcPort) else { throw .invalidSetting("RTC port \(rtcPort) is outside 0-65535") }
        guard rtcPort == 0 || rtcPort + rtcWorkers - 1 <= 65_535 else {
            throw .invalidSetting("RTC ports \(rtcPort)...\(rtcPort + rtcWorkers - 1) go past 65535")
        }
        guard (1...256).contains(rtcWorkers) else { throw .invalidSetting("RTC workers must be 1-256, not \(rtcWorkers)") }
        let announced = flags.announcedAddresses ?? environment["PARLEY_ANNOUNCED_ADDRESSES"] ?? ""
        announcedAddresses = announced.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// A number from a flag or, failing that, an environment variable.
    private static func integer(_ flag: Int?, _ environmentValue: String?, name: String) throws(ServeError) -> Int? {
        if let flag { return flag }
        guard let environmentValue else { return nil }
        guard let value = Int(environmentValue) else { throw .invalidSetting("\(name)=\(environmentValue) is not a number") }
        return value
    }
}

/// Why `parley serve` could not start. Each reads as one line.
enum ServeError: Error, Equatable, CustomStringConvertible {
    case invalidSetting(String)
    case unusableDataDirectory(path: String, reason: String)

    var description: String {
        switch self {
        case .invalidSetting(let text): text
        case .unusableDataDirectory(let path, let reason): "cannot use data directory '\(path)': \(reason)"
        }
    }
}
