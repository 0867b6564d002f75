import COpenSSL

/// The write side of an endpoint's SSL: a custom OpenSSL BIO that hands every write to the
/// endpoint's `send` closure as one datagram.
///
/// OpenSSL's DTLS code expects a datagram socket underneath: each `BIO_write` is one datagram
/// (an application data record, or during the handshake a flush of records packed up to the MTU
/// by OpenSSL's own buffering BIO). A memory BIO would glue those writes together and the
/// datagram boundaries (RFC 6347 §4.1.1) would be lost.
enum DTLSDatagramBIO {
    /// The one `BIO_METHOD` shared by all endpoints; created on first use (thread-safe lazy
    /// static) and never freed. Read-only after creation.
    nonisolated(unsafe) static let method: OpaquePointer? = {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
        guard let method = BIO_meth_new(type, "parley DTLS datagram") else { return nil }
        guard BIO_meth_set_write(method, write) == 1, BIO_meth_set_ctrl(method, control) == 1 else {
            BIO_meth_free(method)
            return nil
        }
        return method
    }()

    /// A new BIO of this type whose data pointer is `sink` (unretained).
    static func make(sink: UnsafeMutableRawPointer?) -> OpaquePointer? {
        guard let method, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, sink)
        BIO_set_init(bio, 1)
        return bio
    }

    /// The sink of a BIO made by `make`, nil once detached.
    static func endpoint(of bio: OpaquePointer?) -> DTLSEndpoint? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<DTLSEndpoint>.fromOpaque(data).takeUnretainedValue()
    }

    private static let write: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = {
        bio, data, length in
        guard length > 0, let data else { return 0 }
        // A write after the endpoint detached (or failed) is dropped but reported as sent, so
        // OpenSSL does not treat it as an I/O error.
        DTLSDatagramBIO.endpoint(of: bio)?.emit(UnsafeRawBufferPointer(start: data, count: Int(length)))
        return length
    }

    private static let control: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = {
        bio, command, _, _ in
        switch command {
        case BIO_CTRL_FLUSH:
            return 1 // Datagrams leave at once; nothing is buffered.
        case BIO_CTRL_DGRAM_QUERY_MTU, BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
            return DTLSDatagramBIO.endpoint(of: bio)?.mtu ?? 0
        case BIO_CTRL_WPENDING, BIO_CTRL_PENDING:
            return 0
        default:
            // Includes BIO_CTRL_DGRAM_GET_MTU_OVERHEAD: the MTU we are given is already the
            // DTLS payload size (the transport accounts for IP/UDP headers).
            return 0
        }
    }
}
