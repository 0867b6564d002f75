import DTLS
import ICE
import NIOCore
import SDP

/// What a participant needs from the server's answer to connect: the server's ICE credentials,
/// its certificate fingerprints, and one UDP candidate to send to.
struct BenchAnswer {
    let credentials: ICECredentials
    let fingerprints: [CertificateFingerprint]
    /// Where to send: the server's candidate, or a link emulator in front of it.
    var serverAddress: SocketAddress

    init(sdp: String) throws(BenchError) {
        let description: SessionDescription
        do {
            description = try SessionDescription.parse(sdp)
        } catch {
            throw .badAnswer("not valid SDP: \(error)")
        }
        guard let section = description.mediaSections.first(where: { $0.port != 0 }),
              let ice = description.effectiveICECredentials(of: section) else {
            throw .badAnswer("no accepted media section with ICE credentials")
        }
        credentials = ICECredentials(usernameFragment: ice.usernameFragment, password: ice.password)
        fingerprints = description.effectiveFingerprints(of: section).map {
            CertificateFingerprint(algorithm: $0.hashFunction, bytes: $0.digest)
        }
        // The first IPv4 UDP candidate: the address the server prefers that we can reach.
        let candidates = description.mediaSections.flatMap(\.candidates)
        guard let candidate = candidates.first(where: { $0.isUDP && !$0.address.contains(":") }),
              let address = try? SocketAddress(ipAddress: candidate.address, port: Int(candidate.port)) else {
            throw .badAnswer("no IPv4 UDP candidate")
        }
        serverAddress = address
    }
}

enum BenchError: Error, CustomStringConvertible {
    case badAnswer(String)
    case server(String)

    var description: String {
        switch self {
        case .badAnswer(let text): "the server's answer is unusable: \(text)"
        case .server(let text): text
        }
    }
}
