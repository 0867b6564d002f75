/// What went wrong in the DTLS layer. OpenSSL's own error queue text is kept where it exists so a
/// log line says which call failed and why.
public enum DTLSError: Error, Equatable, Sendable {
    /// An OpenSSL call failed while building keys, certificates or contexts.
    case openSSL(operation: String, reason: String)
    /// A PEM file could not be read as a certificate and private key.
    case invalidPEM(String)
    /// A fingerprint in an SDP `a=fingerprint` line could not be read (RFC 8122 §5).
    case invalidFingerprint(String)
    /// The endpoint's MTU is below what DTLS 1.2 can work with (OpenSSL needs at least 256).
    case invalidMTU(Int)
    /// None of the expected `a=fingerprint` lines uses a hash function this endpoint knows
    /// (RFC 8122 §5 names sha-1, sha-224, sha-256, sha-384, sha-512), or none was given.
    case unsupportedFingerprintAlgorithm([String])
    /// The DTLS handshake failed: an alert, a malformed or unexpected message, or too many
    /// retransmissions. `reason` is OpenSSL's error text.
    case handshakeFailed(reason: String)
    /// An established connection hit a fatal error (e.g. the peer sent a fatal alert).
    case connectionFailed(reason: String)
    /// The peer's certificate does not hash to any fingerprint from its SDP (RFC 8842 §5):
    /// the connection is refused. `actual` uses the first usable algorithm of `expected`.
    case fingerprintMismatch(expected: [CertificateFingerprint], actual: CertificateFingerprint)
    /// The handshake finished without the peer presenting a certificate.
    case noPeerCertificate
    /// The handshake finished without a `use_srtp` profile (RFC 5764 §4.1.2 requires one here).
    case noSRTPProfileNegotiated
    /// The handshake finished on a `use_srtp` profile Parley does not implement.
    case unsupportedSRTPProfile(UInt16)
    /// Application data is written before the handshake completed, or after the connection
    /// closed or failed; or a datagram arrived on a failed endpoint.
    case notConnected
    /// One DTLS record carries at most 2^14 bytes of plaintext (RFC 6347 §4.1 via RFC 5246 §6.2.1).
    case applicationDataTooLarge(size: Int, maximum: Int)
}
