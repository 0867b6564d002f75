import Auth
import Foundation

/// The API key the server accepts tokens from: configured by flag/environment, or generated on
/// first start, kept in the data directory (mode 0600) and printed that once.
enum APIKeyFile {
    static let fileName = "api-key.json"

    private struct Stored: Codable {
        var keyID: String
        var secret: String
    }

    /// The configured key, else the stored one, else a new one (`generated` is then true).
    static func load(configuredKeyID: String?, configuredSecret: String?,
                     in directory: DataDirectory) throws(ServeError) -> (key: APIKeyPair, generated: Bool) {
        switch (configuredKeyID, configuredSecret) {
        case let (keyID?, secret?):
            do {
                return (try APIKeyPair(keyID: keyID, secret: secret), false)
            } catch {
                throw .invalidSetting("API key: \(error)")
            }
        case (nil, nil):
            break
        default:
            throw .invalidSetting("set both --api-key and --api-secret (or PARLEY_API_KEY and PARLEY_API_SECRET), or neither")
        }
        let path = (directory.path as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) {
            do {
                let stored = try JSONDecoder().decode(Stored.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
                return (try APIKeyPair(keyID: stored.keyID, secret: stored.secret), false)
            } catch {
                throw .unusableDataDirectory(path: directory.path, reason: "\(fileName) is unreadable (\(error))")
            }
        }
        let key = APIKeyPair.generate()
        let data = (try? JSONEncoder().encode(Stored(keyID: key.keyID, secret: key.secret))) ?? Data()
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw .unusableDataDirectory(path: directory.path, reason: "cannot write \(fileName)")
        }
        return (key, true)
    }
}
