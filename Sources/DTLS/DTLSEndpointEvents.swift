/// Which side of the DTLS handshake we play. RFC 8842 §5.2: the side that answered
/// `a=setup:passive` (or sent `a=setup:passive` in its offer) is the DTLS server and waits for
/// the ClientHello; `a=setup:active` is the client.
public enum DTLSRole: Sendable {
    case server
    case client
}

/// What the SRTP and SCTP layers need once the handshake is done.
public struct DTLSConnectionInfo: Sendable, Equatable {
    /// The `use_srtp` profile both sides agreed on (RFC 5764 §4.1.2).
    public let srtpProfile: DTLSSRTPProfile
    /// RFC 5764 §4.2 keying material, exported with label "EXTRACTOR-dtls_srtp",
    /// length 2*(key+salt) for the profile (GCM: 2*(16+12)=56, AES-CM: 2*(16+14)=60).
    /// Layout: client key, server key, client salt, server salt.
    public let keyingMaterial: [UInt8]
    /// The peer's certificate hashed with the algorithm of the matching SDP fingerprint.
    public let remoteFingerprint: CertificateFingerprint

    public init(srtpProfile: DTLSSRTPProfile, keyingMaterial: [UInt8], remoteFingerprint: CertificateFingerprint) {
        self.srtpProfile = srtpProfile
        self.keyingMaterial = keyingMaterial
        self.remoteFingerprint = remoteFingerprint
    }
}

/// What one incoming datagram produced, in order.
public enum DTLSEvent: Sendable, Equatable {
    /// The handshake finished and the peer's fingerprint matched.
    case connected(DTLSConnectionInfo)
    /// One record's plaintext (SCTP packets, RFC 8261).
    case applicationData([UInt8])
    /// The peer sent close_notify (RFC 5246 §7.2.1).
    case closed
}
