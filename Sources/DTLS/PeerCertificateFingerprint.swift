import COpenSSL

/// Hashing the peer's certificate with the algorithms SDP fingerprints may name (RFC 8122 §5).
enum PeerCertificateFingerprint {
    /// The OpenSSL digest for an SDP hash function name, nil if unknown. MD5 and MD2 are listed
    /// in RFC 4572 but RFC 8122 §5 forbids them, so they are not accepted.
    static func digest(forSDPAlgorithm algorithm: String) -> OpaquePointer? {
        switch algorithm {
        case "sha-1": EVP_sha1()
        case "sha-224": EVP_sha224()
        case "sha-256": EVP_sha256()
        case "sha-384": EVP_sha384()
        case "sha-512": EVP_sha512()
        default: nil
        }
    }

    /// The algorithms to try, in order: sha-256 first (what browsers send), then the others in
    /// the order the peer listed them. Throws if none is usable.
    static func algorithms(for expected: [CertificateFingerprint]) throws(DTLSError) -> [String] {
        var algorithms: [String] = []
        let ordered = expected.filter { $0.algorithm == "sha-256" } + expected.filter { $0.algorithm != "sha-256" }
        for fingerprint in ordered where digest(forSDPAlgorithm: fingerprint.algorithm) != nil && !algorithms.contains(fingerprint.algorithm) {
            algorithms.append(fingerprint.algorithm)
        }
        guard !algorithms.isEmpty else { throw .unsupportedFingerprintAlgorithm(expected.map(\.algorithm)) }
        return algorithms
    }

    /// `certificate` (`X509*`) hashed with `algorithm`.
    static func fingerprint(of certificate: OpaquePointer, algorithm: String) throws(DTLSError) -> CertificateFingerprint {
        guard let digest = digest(forSDPAlgorithm: algorithm) else {
            throw .unsupportedFingerprintAlgorithm([algorithm])
        }
        var bytes = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, digest, &bytes, &length) == 1 else {
            throw OpenSSLErrorQueue.failure("X509_digest")
        }
        return CertificateFingerprint(algorithm: algorithm, bytes: Array(bytes.prefix(Int(length))))
    }

    /// RFC 8842 §5: the certificate must match one of the peer's `a=fingerprint` values. Returns
    /// the matching fingerprint; throws `.fingerprintMismatch` otherwise.
    static func verify(_ certificate: OpaquePointer, algorithms: [String],
                       expected: [CertificateFingerprint]) throws(DTLSError) -> CertificateFingerprint {
        var firstComputed: CertificateFingerprint?
        for algorithm in algorithms {
            let actual = try fingerprint(of: certificate, algorithm: algorithm)
            if expected.contains(actual) { return actual }
            if firstComputed == nil { firstComputed = actual }
        }
        guard let firstComputed else { throw .unsupportedFingerprintAlgorithm(expected.map(\.algorithm)) }
        throw .fingerprintMismatch(expected: expected, actual: firstComputed)
    }
}
