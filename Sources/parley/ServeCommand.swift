import API
import Auth
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SFU
import Store
import WebRTC

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

    @Option(name: .customLong("rtc-port"),
            help: "UDP port of the first media worker; worker i uses this + i; 0 picks free ports (env PARLEY_RTC_PORT; default \(ServeSettings.defaultRTCPort)).")
    var rtcPort: Int?

    @Option(name: .customLong("rtc-workers"),
            help: "Media workers, each an event loop with its own UDP port (env PARLEY_RTC_WORKERS; default: one per core).")
    var rtcWorkers: Int?

    @Option(name: .customLong("announce"),
            help: "Comma-separated addresses to announce as ICE candidates (env PARLEY_ANNOUNCED_ADDRESSES; default: every IPv4 interface address).")
    var announcedAddresses: String?

    @Option(name: .customLong("api-key"), help: "API key id that signs access tokens (env PARLEY_API_KEY; default: generated on first start).")
    var apiKey: String?

    @Option(name: .customLong("api-secret"), help: "The API key's secret (env PARLEY_API_SECRET).")
    var apiSecret: String?

    @Flag(name: .customLong("dev"),
          help: "Development mode: the meeting page gets join tokens from the server (GET /v1/dev/token) for anyone. Never in production.")
    var devMode = false

    @Flag(name: .customLong("metrics"), inversion: .prefixedNo,
          help: "Serve Prometheus metrics at GET /metrics (counts and sizes only, no names; no token needed).")
    var metricsEnabled = true

    func run() async throws {
        let settings = try ServeSettings(
            flags: .init(httpHost: httpHost, httpPort: httpPort, dataDirectory: dataDirectory, logLevel: logLevel,
                         rtcPort: rtcPort, rtcWorkers: rtcWorkers, announcedAddresses: announcedAddresses),
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

        // Participants that were connected when the server last stopped (even by kill -9) are
        // gone: record that before anyone can join again.
        do {
            let recovery = try store.recoverAfterRestart(now: Date())
            if recovery.participantsMarkedLeft > 0 {
                logger.notice("recovered room state after a restart", metadata: [
                    "participants-marked-left": "\(recovery.participantsMarkedLeft)",
                    "rooms": "\(recovery.roomNames.joined(separator: ","))",
                ])
            }
        } catch {
            throw ServeError.unusableDataDirectory(path: settings.dataDirectory, reason: "recovery failed: \(error)")
        }

        let environment = ProcessInfo.processInfo.environment
        let (apiKeyPair, generatedKey) = try APIKeyFile.load(
            configuredKeyID: apiKey ?? environment["PARLEY_API_KEY"],
            configuredSecret: apiSecret ?? environment["PARLEY_API_SECRET"], in: dataDirectory)
        if generatedKey {
            // Shown once; it stays in the data directory for later starts.
            let notice = "Generated an API key (kept in \(dataDirectory.path)/\(APIKeyFile.fileName)):\n"
                + "  key:    \(apiKeyPair.keyID)\n  secret: \(apiKeyPair.secret)\n"
            FileHandle.standardOutput.write(Data(notice.utf8))
        }
        let authentication: APIAuthentication
        do {
            authentication = APIAuthentication(keys: try APIKeyStore([apiKeyPair]), issuingKey: apiKeyPair)
        } catch {
            throw ServeError.invalidSetting("API key: \(error)")
        }

        let certificate = try DTLSCertificateFile.loadOrCreate(in: dataDirectory)
        let media: MediaServer
        do {
            media = try await MediaServer.start(
                MediaServerConfiguration(basePort: settings.rtcPort, workerCount: settings.rtcWorkers,
                                         announcedAddresses: settings.announcedAddresses),
                certificate: certificate)
        } catch {
            throw ServeError.invalidSetting("cannot open the media UDP ports from \(settings.rtcPort): \(error)")
        }
        let ports = media.workers.map { String($0.localAddress.port ?? 0) }.joined(separator: ",")
        logger.info("media workers listening", metadata: [
            "udp-ports": "\(ports)", "announced": "\(media.announcedAddresses.joined(separator: ","))",
            "dtls-fingerprint": "\(certificate.fingerprint.sdpValue)",
        ])

        let host = settings.httpHost
        if devMode { logger.warning("development mode: anyone can get a join token from /v1/dev/token") }
        let rooms = RoomRegistry(media: media)
        let meetings = MeetingRegistry(rooms: rooms, store: store, logger: logger)
        let application = buildApplication(
            configuration: ServerConfiguration(host: host, port: settings.httpPort, devMode: devMode),
            store: store,
            echo: EchoService(media: media),
            signaling: SignalingSetup(meetings: meetings, media: media),
            metrics: metricsEnabled ? ServerMetrics(media: media, rooms: rooms) : nil,
            authentication: authentication,
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
            services: [MediaServerService(server: media, meetings: meetings), application,
                       EmptyRoomCloserService(closer: EmptyRoomCloser(store: store, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await serviceGroup.run()
        logger.info("stopped")
    }
}
