import Foundation

/// How the control-plane HTTP server is set up; filled from flags and environment by `parley serve`.
public struct ServerConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port (tests use this and read the bound port back).
    public var port: Int
    /// Folder with the meeting page's static files.
    public var webRoot: String

    public init(host: String, port: Int, webRoot: String = ServerConfiguration.bundledWebRoot) {
        self.host = host
        self.port = port
        self.webRoot = webRoot
    }

    /// The meeting page shipped inside this module's resource bundle.
    public static var bundledWebRoot: String {
        Bundle.module.bundlePath + "/Web"
    }
}
