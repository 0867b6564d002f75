import COpenSSL

/// The DTLS-SRTP protection profiles Parley negotiates with `use_srtp` (RFC 5764 §4.1.2,
/// RFC 7714 §14.2), in order of preference. AES-GCM comes first: it is about five times cheaper
/// per packet than AES-CM with HMAC-SHA1 on this platform's libsrtp2 (TESTING.md).
public enum DTLSSRTPProfile: UInt16, CaseIterable, Sendable {
    case aeadAES128GCM = 0x0007
    case aes128CMHMACSHA1_80 = 0x0001

    /// OpenSSL's name for the profile, as used in `SSL_CTX_set_tlsext_use_srtp`.
    public var openSSLName: String {
        switch self {
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        case .aes128CMHMACSHA1_80: "SRTP_AES128_CM_SHA1_80"
        }
    }

    /// Bytes of keying material to export for this profile (RFC 5764 §4.2): a master key and a
    /// master salt for each direction, 2 × (16 + 12) = 56 for AEAD_AES_128_GCM (RFC 7714 §12)
    /// and 2 × (16 + 14) = 60 for AES128_CM_HMAC_SHA1_80.
    public var keyingMaterialLength: Int {
        switch self {
        case .aeadAES128GCM: 2 * (16 + 12)
        case .aes128CMHMACSHA1_80: 2 * (16 + 14)
        }
    }
}

/// An OpenSSL `SSL_CTX` set up for WebRTC's DTLS 1.2: one certificate, `use_srtp` with the given
/// profiles, and a peer certificate required but not checked against any authority (the
/// endpoint checks the peer's fingerprint from SDP once the handshake is done).
///
/// One context serves every connection of a server; it is read-only after creation.
public final class DTLSContext: @unchecked Sendable {
    /// `SSL_CTX*`, owned.
    let context: OpaquePointer
    public let certificate: DTLSCertificate
    public let srtpProfiles: [DTLSSRTPProfile]

    public init(certificate: DTLSCertificate,
                srtpProfiles: [DTLSSRTPProfile] = DTLSSRTPProfile.allCases) throws(DTLSError) {
        guard let context = SSL_CTX_new(DTLS_method()) else { throw OpenSSLErrorQueue.failure("SSL_CTX_new") }
        self.context = context
        self.certificate = certificate
        self.srtpProfiles = srtpProfiles

        let profileList = srtpProfiles.map(\.openSSLName).joined(separator: ":")
        // WebRTC requires DTLS 1.2 (RFC 8827 §6.5); DTLS 1.0 is obsolete (RFC 8996).
        guard parley_SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) == 1,
              parley_SSL_CTX_set_max_proto_version(context, DTLS1_2_VERSION) == 1,
              SSL_CTX_use_certificate(context, certificate.certificate) == 1,
              SSL_CTX_use_PrivateKey(context, certificate.privateKey) == 1,
              SSL_CTX_check_private_key(context) == 1,
              parley_SSL_CTX_set1_groups_list(context, "X25519:P-256") == 1,
              // Unusually, this one returns 0 on success.
              SSL_CTX_set_tlsext_use_srtp(context, profileList) == 0
        else { throw OpenSSLErrorQueue.failure("configuring SSL_CTX") }
        // DTLS needs whole records per datagram.
        _ = parley_SSL_CTX_set_read_ahead(context, 1)
        // Ask for the peer's certificate; accept any chain, the fingerprint decides.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, _ in 1 }
    }

    deinit { SSL_CTX_free(context) }
}
