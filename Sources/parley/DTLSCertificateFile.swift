import DTLS
import Foundation

/// The server's DTLS certificate, kept in the data directory so that its fingerprint stays the
/// same across restarts (clients with a cached answer keep working) and created on first start.
enum DTLSCertificateFile {
    static let fileName = "dtls-certificate.pem"

    static func loadOrCreate(in directory: DataDirectory) throws(ServeError) -> DTLSCertificate {
        let path = (directory.path as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) {
            do {
                let pem = try String(contentsOfFile: path, encoding: .utf8)
                return try DTLSCertificate(pem: pem)
            } catch {
                throw .unusableDataDirectory(path: directory.path, reason: "\(fileName) is unreadable (\(error)); remove it to make a new one")
            }
        }
        do {
            let certificate = try DTLSCertificate.generateSelfSigned()
            let pem = try certificate.pemEncoded()
            // The private key: readable by this user only.
            guard FileManager.default.createFile(atPath: path, contents: Data(pem.utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw ServeError.unusableDataDirectory(path: directory.path, reason: "cannot write \(fileName)")
            }
            return certificate
        } catch let error as ServeError {
            throw error
        } catch {
            throw .unusableDataDirectory(path: directory.path, reason: "cannot create the DTLS certificate: \(error)")
        }
    }
}
