/// What went wrong in the DTLS layer. OpenSSL's own error queue text is kept where it exists so a
/// log line says which call failed and why.
public enum DTLSError: Error, Equatable, Sendable {
    /// An OpenSSL call failed while building keys, certificates or contexts.
    case openSSL(operation: String, reason: String)
    /// A PEM file could not be read as a certificate and private key.
    case invalidPEM(String)
    /// A fingerprint in an SDP `a=fingerprint` line could not be read (RFC 8122 §5).
    case invalidFingerprint(String)
}
