import Logging
import Testing
@testable import parley

@Suite struct ServeSettingsTests {
    @Test func defaultsApplyWithoutFlagsOrEnvironment() throws {
        let settings = try ServeSettings(flags: .init(), environment: [:])
        #expect(settings == ServeSettings(httpHost: "0.0.0.0", httpPort: 7800, dataDirectory: "./data", logLevel: .info))
    }

    @Test func environmentOverridesDefaultsAndFlagsOverrideEnvironment() throws {
        let environment = ["PARLEY_HTTP_PORT": "9000", "PARLEY_DATA_DIR": "/srv/parley",
                           "PARLEY_HTTP_HOST": "127.0.0.1", "PARLEY_LOG_LEVEL": "DEBUG"]
        let fromEnvironment = try ServeSettings(flags: .init(), environment: environment)
        #expect(fromEnvironment == ServeSettings(httpHost: "127.0.0.1", httpPort: 9000,
                                                 dataDirectory: "/srv/parley", logLevel: .debug))
        let fromFlags = try ServeSettings(
            flags: .init(httpHost: "::1", httpPort: 9100, dataDirectory: "/tmp/p", logLevel: "error"),
            environment: environment)
        #expect(fromFlags == ServeSettings(httpHost: "::1", httpPort: 9100, dataDirectory: "/tmp/p", logLevel: .error))
    }

    @Test(arguments: [
        (ServeSettings.Flags(), ["PARLEY_HTTP_PORT": "eighty"], "PARLEY_HTTP_PORT=eighty is not a port number"),
        (ServeSettings.Flags(httpPort: 70000), [:], "HTTP port 70000 is outside 0-65535"),
        (ServeSettings.Flags(logLevel: "loud"), [:],
         "log level 'loud' is not one of trace, debug, info, notice, warning, error, critical"),
    ])
    func invalidSettingsAreRejectedWithAReadableReason(flags: ServeSettings.Flags, environment: [String: String],
                                                       reason: String) {
        #expect(throws: ServeError.invalidSetting(reason)) {
            try ServeSettings(flags: flags, environment: environment)
        }
    }
}
