import Logging

/// `parley serve`'s settings after combining flags, environment variables and defaults, in that
/// order of precedence.
struct ServeSettings: Equatable {
    var httpHost: String
    var httpPort: Int
    var dataDirectory: String
    var logLevel: Logger.Level

    static let defaultHTTPHost = "0.0.0.0"
    static let defaultHTTPPort = 7800
    static let defaultDataDirectory = "./data"

    /// Flags as given on the command line (nil when absent).
    struct Flags: Equatable {
        var httpHost: String?
        var httpPort: Int?
        var dataDirectory: String?
        var logLevel: String?
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
