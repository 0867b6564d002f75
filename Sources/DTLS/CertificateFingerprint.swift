/// The hash of a DTLS certificate as carried in SDP `a=fingerprint` (RFC 8122 §5). WebRTC peers
/// authenticate each other by this value instead of by a certificate authority (RFC 8827 §6.5).
public struct CertificateFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// Hash function name as written in SDP, lower case (`sha-256`).
    public let algorithm: String
    public let bytes: [UInt8]

    public init(algorithm: String, bytes: [UInt8]) {
        self.algorithm = algorithm.lowercased()
        self.bytes = bytes
    }

    /// Reads the two SDP fields, e.g. `sha-256` and `AB:CD:…` (upper or lower case hex).
    public init(algorithm: String, sdpValue: String) throws(DTLSError) {
        var bytes: [UInt8] = []
        for pair in sdpValue.split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else {
                throw .invalidFingerprint(sdpValue)
            }
            bytes.append(byte)
        }
        // SHA-1 is the shortest hash RFC 8122 allows; SHA-512 the longest.
        guard (20...64).contains(bytes.count) else { throw .invalidFingerprint(sdpValue) }
        self.init(algorithm: algorithm, bytes: bytes)
    }

    /// The value as written in SDP: upper-case hex pairs joined by colons.
    public var sdpValue: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    public var description: String { "\(algorithm) \(sdpValue)" }
}
