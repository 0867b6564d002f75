public import DTLS
public import ICE
public import SDP
public import WebRTC

// A transport's parameters in their SDP form and back: what every answer or offer the server
// writes needs from its transport, and what it takes from the peer's SDP.

extension Array where Element == HostCandidate {
    /// SDP lines for host candidates with RFC 8445 §5.1.2.1 priorities, earlier ones preferred.
    public var sdpCandidates: [SDPCandidate] {
        enumerated().map { index, candidate in
            let localPreference = UInt32(65_535 - index)
            let priority: UInt32 = (126 << 24) | (localPreference << 8) | (256 - 1)
            var extensions: [SDPCandidateExtension] = []
            // RFC 6544 §4.5: TCP candidates say which side opens the connection.
            if candidate.transport == .tcpPassive { extensions.append(SDPCandidateExtension(name: "tcptype", value: "passive")) }
            extensions.append(SDPCandidateExtension(name: "generation", value: "0"))
            return SDPCandidate(foundation: "\(index + 1)", componentID: 1,
                                transport: candidate.transport == .udp ? "udp" : "tcp", priority: priority,
                                address: candidate.address, port: UInt16(truncatingIfNeeded: candidate.port),
                                type: .host, extensions: extensions)
        }
    }
}

extension SDPICECredentials {
    /// RFC 8839 §5.4: `a=ice-ufrag` / `a=ice-pwd` for an agent's credentials.
    public init(_ credentials: ICECredentials) {
        self.init(usernameFragment: credentials.usernameFragment, password: credentials.password)
    }
}

extension SDPFingerprint {
    /// RFC 8122 §5: `a=fingerprint` for a certificate's digest.
    public init(_ fingerprint: CertificateFingerprint) {
        self.init(hashFunction: fingerprint.algorithm, digest: fingerprint.bytes)
    }
}

extension WebRTCTransport.RemoteParameters {
    /// The peer's side as its SDP states it: ICE credentials, certificate fingerprints, and
    /// this side's DTLS role from the negotiated `a=setup` (RFC 8842 §5.3: `active` here makes
    /// this side the DTLS client).
    public init(ice: SDPICECredentials, fingerprints: [SDPFingerprint], localSetup: SDPSetupRole) {
        self.init(iceCredentials: ICECredentials(usernameFragment: ice.usernameFragment, password: ice.password),
                  fingerprints: fingerprints.map { CertificateFingerprint(algorithm: $0.hashFunction, bytes: $0.digest) },
                  localDTLSRole: localSetup == .active ? .client : .server)
    }
}
