import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Store

/// `parley serve`: runs the server until SIGINT or SIGTERM, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Parley server."
    )

    @Option(name: .customLong("http-host"),
            help: "Address the HTTP API and meeting page listen on (env PARLEY_HTTP_HOST; default \(ServeSettings.defaultHTTPHost)).")
    var httpHost: String?

    @Option(name: .customLong("http-port"),
            help: "HTTP port; 0 picks a free one (env PARLEY_HTTP_PORT; default \(ServeSettings.defaultHTTPPort)).")
    var httpPort: Int?

    @Option(name: .customLong("data-dir"),
            help: "Folder for the database and keys (env PARLEY_DATA_DIR; default \(ServeSettings.defaultDataDirectory)).")
    var dataDirectory: String?

    @Option(name: .customLong("log-level"),
            help: "trace, debug, info, notice, warning, error or critical (env PARLEY_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        let settings = try ServeSettings(
            flags: .init(httpHost: httpHost, httpPort: httpPort, dataDirectory: dataDirectory, logLevel: logLevel),
            environment: ProcessInfo.processInfo.environment
        )
        let dataDirectory = try DataDirectory.prepare(settings.dataDirectory)
        let store: RoomStore
        do {
            store = try RoomStore(path: dataDirectory.databasePath)
        } catch {
            throw ServeError.unusableDataDirectory(path: settings.dataDirectory, reason: "\(error)")
        }

        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "parley")

        let host = settings.httpHost
        let application = buildApplication(
            configuration: ServerConfiguration(host: host, port: settings.httpPort),
            store: store,
            logger: logger,
            onServerRunning: { port in
                // 0.0.0.0 is where we listen, not an address a browser can open.
                let shownHost = (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host
                // Written straight to the file descriptor: stdout may be a pipe (tests, systemd) and
                // this line must not sit in a buffer.
                let line = "Parley \(VersionInfo.current.version) is listening on http://\(shownHost):\(port)/ "
                    + "(data in \(dataDirectory.path))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        )
        let serviceGroup = ServiceGroup(
            services: [application],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await serviceGroup.run()
        logger.info("stopped")
    }
}
