import COpenSSL

/// A self-signed ECDSA P-256 certificate with its private key: the server's DTLS identity.
///
/// WebRTC does not use certificate authorities: each side sends the SHA-256 fingerprint of its
/// certificate in SDP and checks the peer's certificate against it after the handshake
/// (RFC 8827 §6.5). P-256 is what browsers generate by default and is cheap to sign with.
///
/// Immutable after creation; OpenSSL's X509 and EVP_PKEY objects are reference counted and safe
/// to read from several threads, which is why this is `Sendable`.
public final class DTLSCertificate: @unchecked Sendable {
    /// `X509*`, owned.
    let certificate: OpaquePointer
    /// `EVP_PKEY*`, owned.
    let privateKey: OpaquePointer
    /// SHA-256 fingerprint for `a=fingerprint:sha-256 …`.
    public let fingerprint: CertificateFingerprint

    private init(certificate: OpaquePointer, privateKey: OpaquePointer) throws(DTLSError) {
        self.certificate = certificate
        self.privateKey = privateKey
        do {
            self.fingerprint = try Self.sha256Fingerprint(of: certificate)
        } catch {
            X509_free(certificate)
            EVP_PKEY_free(privateKey)
            throw error
        }
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(privateKey)
    }

    /// Creates a fresh key pair and a certificate valid from a day ago (tolerates clock skew)
    /// for `validityDays`.
    public static func generateSelfSigned(commonName: String = "parley",
                                          validityDays: Int = 365) throws(DTLSError) -> DTLSCertificate {
        guard let key = parley_EVP_EC_gen("P-256") else { throw OpenSSLErrorQueue.failure("EVP_EC_gen") }
        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw OpenSSLErrorQueue.failure("X509_new")
        }
        guard fillAndSign(x509, key: key, commonName: commonName, validityDays: validityDays) else {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw OpenSSLErrorQueue.failure("building the self-signed certificate")
        }
        return try DTLSCertificate(certificate: x509, privateKey: key)
    }

    private static func fillAndSign(_ x509: OpaquePointer, key: OpaquePointer, commonName: String,
                                    validityDays: Int) -> Bool {
        var serial: UInt64 = 0
        let gotRandom = withUnsafeMutableBytes(of: &serial) { bytes in
            RAND_bytes(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(bytes.count)) == 1
        }
        guard gotRandom,
              X509_set_version(x509, 2) == 1, // X.509 v3
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial >> 1) == 1,
              X509_gmtime_adj(X509_getm_notBefore(x509), -86_400) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x509), validityDays * 86_400) != nil,
              X509_set_pubkey(x509, key) == 1,
              let name = X509_get_subject_name(x509),
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
              X509_set_issuer_name(x509, name) == 1
        else { return false }
        return X509_sign(x509, key, EVP_sha256()) > 0
    }

    /// Loads a certificate and key written by `pemEncoded()` (kept in the data directory so that
    /// the server's fingerprint survives a restart).
    public convenience init(pem: String) throws(DTLSError) {
        let bio = pem.withCString { BIO_new_mem_buf($0, -1) }
        guard let bio else { throw OpenSSLErrorQueue.failure("BIO_new_mem_buf") }
        defer { BIO_free(bio) }
        guard let x509 = PEM_read_bio_X509(bio, nil, nil, nil) else {
            throw .invalidPEM("no certificate: \(OpenSSLErrorQueue.drain())")
        }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            X509_free(x509)
            throw .invalidPEM("no private key: \(OpenSSLErrorQueue.drain())")
        }
        guard X509_check_private_key(x509, key) == 1 else {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw .invalidPEM("the private key does not match the certificate")
        }
        try self.init(certificate: x509, privateKey: key)
    }

    /// The certificate followed by its unencrypted PKCS#8 private key, PEM encoded.
    public func pemEncoded() throws(DTLSError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLErrorQueue.failure("BIO_new") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_X509(bio, certificate) == 1,
              PEM_write_bio_PrivateKey(bio, privateKey, nil, nil, 0, nil, nil) == 1
        else { throw OpenSSLErrorQueue.failure("PEM_write_bio") }
        var data: UnsafeMutablePointer<CChar>?
        let length = parley_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { throw OpenSSLErrorQueue.failure("BIO_get_mem_data") }
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the certificate's signature verifies with its own public key.
    public var isValidlySelfSigned: Bool {
        X509_verify(certificate, privateKey) == 1
    }

    /// The public key's curve size in bits (256 for P-256).
    public var keyBits: Int { Int(EVP_PKEY_get_bits(privateKey)) }

    static func sha256Fingerprint(of certificate: OpaquePointer) throws(DTLSError) -> CertificateFingerprint {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else {
            throw OpenSSLErrorQueue.failure("X509_digest")
        }
        return CertificateFingerprint(algorithm: "sha-256", bytes: Array(digest.prefix(Int(length))))
    }
}
