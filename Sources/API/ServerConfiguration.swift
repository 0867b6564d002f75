import Foundation

/// How the control-plane HTTP server is set up; filled from flags and environment by `parley serve`.
public struct ServerConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port (tests use this and read the bound port back).
    public var port: Int
    /// Folder with the meeting page's static files.
    public var webRoot: String
    /// `parley serve --dev`: anyone may get a join token from `GET /v1/dev/token`.
    public var devMode: Bool

    public init(host: String, port: Int, webRoot: String = ServerConfiguration.bundledWebRoot, devMode: Bool = false) {
        self.host = host
        self.port = port
        self.webRoot = webRoot
        self.devMode = devMode
    }

    /// The meeting page shipped inside this module's resource bundle.
    public static var bundledWebRoot: String {
        Bundle.module.bundlePath + "/Web"
    }
}
