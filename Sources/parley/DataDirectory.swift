import Foundation

/// The folder holding Parley's durable files (the SQLite database; later the DTLS certificate).
/// Checked up front so a bad path fails at start with a clear message, not at the first write.
struct DataDirectory {
    let path: String

    var databasePath: String { (path as NSString).appendingPathComponent("parley.sqlite") }

    /// Creates the folder if needed and checks that it is a writable directory.
    static func prepare(_ path: String) throws(ServeError) -> DataDirectory {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .unusableDataDirectory(path: path, reason: "it exists and is not a directory")
            }
        } else {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .unusableDataDirectory(path: path, reason: "cannot create it (\(Self.reason(error)))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw .unusableDataDirectory(path: path, reason: String(cString: strerror(errno)))
        }
        return DataDirectory(path: path)
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}
