import COpenSSL

/// HMAC-SHA1 (RFC 2104) for MESSAGE-INTEGRITY (RFC 8489 §14.5), from the system OpenSSL.
enum STUNHMACSHA1 {
    static let outputLength = 20

    /// One-shot HMAC over one contiguous piece; writes 20 bytes to `output`.
    /// Used when building, where the header already carries the right length.
    static func authenticate(
        key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard output.count >= outputLength, key.count <= Int(Int32.max),
            let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else { return false }
        return withNonNullBase(key) { keyBase in
            withNonNullBase(data) { dataBase in
                var outLength: UInt32 = 0
                let result = HMAC(
                    EVP_sha1(), keyBase, Int32(key.count), dataBase.assumingMemoryBound(to: UInt8.self), data.count,
                    out, &outLength)
                return result != nil && Int(outLength) == outputLength
            }
        }
    }

    /// HMAC over `first` followed by `second`, without joining them: verification feeds a
    /// stack copy of the header (length patched, RFC 8489 §14.5) and then the message body.
    static func authenticate(
        key: UnsafeRawBufferPointer, first: UnsafeRawBufferPointer, second: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard output.count >= outputLength, let template = Template.shared.context,
            let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else { return false }
        guard let context = EVP_MAC_CTX_dup(template) else { return false }
        defer { EVP_MAC_CTX_free(context) }
        let keyed = withNonNullBase(key) { keyBase in
            EVP_MAC_init(context, keyBase.assumingMemoryBound(to: UInt8.self), key.count, nil) == 1
        }
        guard keyed,
            withNonNullBase(first, { EVP_MAC_update(context, $0.assumingMemoryBound(to: UInt8.self), first.count) }) == 1,
            withNonNullBase(second, { EVP_MAC_update(context, $0.assumingMemoryBound(to: UInt8.self), second.count) }) == 1
        else { return false }
        var outLength = 0
        return EVP_MAC_final(context, out, &outLength, outputLength) == 1 && outLength == outputLength
    }

    /// OpenSSL treats a NULL key specially; hand it a valid pointer even for empty input.
    private static func withNonNullBase<R>(
        _ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawPointer) -> R
    ) -> R {
        if let base = bytes.baseAddress { return body(base) }
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { body(UnsafeRawPointer($0)) }
    }

    /// An HMAC context with the digest set to SHA1 and a placeholder key, made once; each
    /// incremental HMAC duplicates it and re-keys, skipping the algorithm fetch and params.
    private struct Template: @unchecked Sendable {
        // EVP_MAC_CTX_dup only reads the template, which OpenSSL allows from many threads.
        let context: OpaquePointer?

        static let shared = Template()

        private init() {
            guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
                context = nil
                return
            }
            defer { EVP_MAC_free(mac) }
            guard let context = EVP_MAC_CTX_new(mac) else {
                self.context = nil
                return
            }
            let ready = "SHA1".withCString { digest -> Bool in
                "digest".withCString { name -> Bool in
                    var params = [
                        OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0),
                        OSSL_PARAM_construct_end(),
                    ]
                    return params.withUnsafeMutableBufferPointer { params -> Bool in
                        var placeholder: UInt8 = 0
                        return EVP_MAC_init(context, &placeholder, 1, params.baseAddress) == 1
                    }
                }
            }
            if ready {
                self.context = context
            } else {
                EVP_MAC_CTX_free(context)
                self.context = nil
            }
        }
    }
}
