import COpenSSL

/// One DTLS 1.2 connection of a WebRTC peer connection (RFC 5764 DTLS-SRTP, RFC 8842), driven
/// entirely by its owner: the owner feeds incoming datagrams to `receive`, runs `handleTimeout`
/// at `retransmissionDeadline`, and gets outgoing datagrams through `send`. No threads, no
/// sockets, no locks: use it from one event loop only (hence not `Sendable`).
///
/// Incoming datagrams go through an OpenSSL memory BIO one at a time; outgoing data goes through
/// `DTLSDatagramBIO`, where each write OpenSSL makes becomes one datagram. During the handshake
/// OpenSSL packs several records of a flight into one write of at most `mtu` bytes (RFC 6347
/// §4.1.1) and fragments handshake messages to fit (§4.2.3). Application data is not fragmented:
/// one `write` is one record and one datagram, so keep writes within
/// `maximumApplicationDataPerDatagram` to stay inside the MTU.
///
/// `send` is called synchronously from inside `start`, `receive`, `handleTimeout`, `write` and
/// `close`; it must not call back into the endpoint.
///
/// Once the handshake is done the peer's certificate is checked against the SDP fingerprints
/// (RFC 8842 §5) and the SRTP keys are exported (RFC 5764 §4.2); `receive` then reports
/// `.connected`. Any fatal error leaves the endpoint failed: it sends nothing more and
/// `receive`/`write` throw `.notConnected`.
public final class DTLSEndpoint {
    private enum State {
        case handshaking, connected, closed, failed
    }

    /// Largest datagram the endpoint emits during the handshake (the DTLS payload of one UDP
    /// datagram, without IP/UDP headers).
    public let mtu: Int
    public let role: DTLSRole
    /// `SSL*`, owned; it owns both BIOs.
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer
    /// Keeps the `SSL_CTX` and certificate alive as long as the connection.
    private let context: DTLSContext
    private let send: (UnsafeRawBufferPointer) -> Void
    private let expectedRemoteFingerprints: [CertificateFingerprint]
    private let fingerprintAlgorithms: [String]
    private var state: State = .handshaking
    private var started = false
    /// Reused for SSL_read; one record carries at most 2^14 bytes of plaintext.
    private var readBuffer = [UInt8](repeating: 0, count: DTLSEndpoint.maximumRecordPlaintext)

    /// The MTUs an endpoint accepts.
    public static let mtuRange = 256...4096

    /// RFC 5246 §6.2.1 (used by RFC 6347 §4.1): 2^14.
    public static let maximumRecordPlaintext = 16_384

    /// When `handleTimeout` must run next; nil while no retransmission timer runs. Updated after
    /// every call.
    public private(set) var retransmissionDeadline: ContinuousClock.Instant?

    /// Whether the handshake finished, the peer's fingerprint matched, and neither side closed.
    public var isConnected: Bool { state == .connected }

    public init(context: DTLSContext, role: DTLSRole, expectedRemoteFingerprints: [CertificateFingerprint],
                mtu: Int = 1200, send: @escaping (UnsafeRawBufferPointer) -> Void) throws(DTLSError) {
        // OpenSSL refuses link MTUs under 256 (dtls1_link_min_mtu). Above 4096, the 4 KiB
        // buffering BIO OpenSSL puts in front of ours during the handshake could split a
        // datagram; no real path needs that much.
        guard Self.mtuRange.contains(mtu) else { throw .invalidMTU(mtu) }
        let algorithms = try PeerCertificateFingerprint.algorithms(for: expectedRemoteFingerprints)
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard let ssl = SSL_new(context.context) else { throw OpenSSLErrorQueue.failure("SSL_new") }
        guard let readBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw OpenSSLErrorQueue.failure("BIO_new(BIO_s_mem)")
        }
        guard let writeBIO = DTLSDatagramBIO.make(sink: nil) else {
            BIO_free(readBIO)
            SSL_free(ssl)
            throw OpenSSLErrorQueue.failure("BIO_new(datagram)")
        }
        // An empty read BIO means "no more data for now", not end of stream.
        _ = parley_BIO_set_mem_eof_return(readBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)
        // Our MTU is the truth: do not ask a socket for it. Renegotiation is not used by WebRTC
        // and only widens the attack surface.
        _ = SSL_set_options(ssl, parley_SSL_OP_NO_QUERY_MTU() | parley_SSL_OP_NO_RENEGOTIATION())
        guard parley_DTLS_set_link_mtu(ssl, mtu) != 0, parley_SSL_set_mtu(ssl, mtu) != 0 else {
            SSL_free(ssl)
            throw .invalidMTU(mtu)
        }
        DTLS_set_timer_cb(ssl, DTLSRetransmissionTimer.nextTimeout)
        switch role {
        case .server: SSL_set_accept_state(ssl)
        case .client: SSL_set_connect_state(ssl)
        }

        self.mtu = mtu
        self.role = role
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.context = context
        self.send = send
        self.expectedRemoteFingerprints = expectedRemoteFingerprints
        self.fingerprintAlgorithms = algorithms
        // Unretained: the endpoint owns the SSL, which owns the BIO; deinit detaches first.
        BIO_set_data(writeBIO, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        BIO_set_data(writeBIO, nil)
        SSL_free(ssl)
    }

    /// Client: sends the ClientHello flight (RFC 6347 §4.2.1). Server: nothing, it waits for the
    /// ClientHello. Calling it again does nothing.
    public func start() throws(DTLSError) {
        guard !started, state == .handshaking else { return }
        started = true
        guard role == .client else { return }
        ERR_clear_error()
        defer { finishCall() }
        _ = try continueHandshake()
    }

    /// Processes one datagram (RFC 7983 demultiplexing has already picked DTLS, first byte
    /// 20...63). Returns what it produced, in order. Invalid records are dropped silently
    /// (RFC 6347 §4.1.2.7) and do not harm the connection.
    public func receive(_ datagram: UnsafeRawBufferPointer) throws(DTLSError) -> [DTLSEvent] {
        switch state {
        case .failed: throw .notConnected
        case .closed: return [] // late retransmissions after close_notify
        case .handshaking, .connected: break
        }
        guard let base = datagram.baseAddress, datagram.count > 0 else { return [] }
        started = true
        ERR_clear_error()
        defer { finishCall() }
        // Each datagram is processed whole; leftovers would glue onto the next one.
        if parley_BIO_pending(readBIO) > 0 { _ = parley_BIO_reset(readBIO) }
        guard BIO_write(readBIO, base, Int32(datagram.count)) == Int32(datagram.count) else {
            throw OpenSSLErrorQueue.failure("BIO_write")
        }
        var events: [DTLSEvent] = []
        if state == .handshaking {
            guard let info = try continueHandshake() else { return [] }
            events.append(.connected(info))
        }
        try readApplicationData(into: &events)
        return events
    }

    /// Runs the retransmission timer (RFC 6347 §4.2.4) if `now` is at or past
    /// `retransmissionDeadline`; otherwise does nothing. OpenSSL also checks the real clock, so
    /// `now` must be the current time, not a simulated one.
    public func handleTimeout(now: ContinuousClock.Instant) throws(DTLSError) {
        guard state == .handshaking || state == .connected,
              let deadline = retransmissionDeadline, now >= deadline else { return }
        ERR_clear_error()
        defer { finishCall() }
        if parley_DTLSv1_handle_timeout(ssl) < 0 {
            let reason = OpenSSLErrorQueue.drain()
            let wasConnected = state == .connected
            state = .failed
            throw wasConnected ? .connectionFailed(reason: reason) : .handshakeFailed(reason: reason)
        }
    }

    /// Sends one record of application data (an SCTP packet, RFC 8261). It is one datagram and
    /// is not fragmented: at most `maximumApplicationDataPerDatagram` bytes stay within `mtu`.
    public func write(applicationData: UnsafeRawBufferPointer) throws(DTLSError) {
        guard state == .connected else { throw .notConnected }
        guard applicationData.count <= Self.maximumRecordPlaintext else {
            throw .applicationDataTooLarge(size: applicationData.count, maximum: Self.maximumRecordPlaintext)
        }
        guard let base = applicationData.baseAddress, applicationData.count > 0 else { return }
        ERR_clear_error()
        defer { finishCall() }
        let written = SSL_write(ssl, base, Int32(applicationData.count))
        guard written == Int32(applicationData.count) else {
            state = .failed
            throw .connectionFailed(reason: OpenSSLErrorQueue.drain())
        }
    }

    /// Sends close_notify (RFC 5246 §7.2.1) once, if connected; afterwards the endpoint is closed.
    public func close() {
        guard state == .connected || state == .handshaking else { return }
        let wasConnected = state == .connected
        if wasConnected {
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
        }
        state = .closed
        retransmissionDeadline = nil
    }

    /// The most application data one `write` may carry for its datagram to fit `mtu` with the
    /// negotiated cipher's record overhead; 0 before the handshake finished.
    public var maximumApplicationDataPerDatagram: Int {
        guard state == .connected else { return 0 }
        return min(Int(DTLS_get_data_mtu(ssl)), Self.maximumRecordPlaintext)
    }

    /// Called by `DTLSDatagramBIO` for each record OpenSSL writes.
    func emit(_ datagram: UnsafeRawBufferPointer) {
        guard state != .failed else { return }
        send(datagram)
    }

    // MARK: - Steps

    /// Drives the handshake; returns the connection info once it is complete and verified.
    private func continueHandshake() throws(DTLSError) -> DTLSConnectionInfo? {
        let result = SSL_do_handshake(ssl)
        if result == 1 { return try completeHandshake() }
        let error = SSL_get_error(ssl, result)
        if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE { return nil }
        state = .failed
        throw .handshakeFailed(reason: OpenSSLErrorQueue.drain())
    }

    /// RFC 8842 §5: authenticate the peer by fingerprint; RFC 5764 §4.1.2, §4.2: the agreed
    /// profile and its keys.
    private func completeHandshake() throws(DTLSError) -> DTLSConnectionInfo {
        do throws(DTLSError) {
            guard let certificate = SSL_get1_peer_certificate(ssl) else { throw .noPeerCertificate }
            defer { X509_free(certificate) }
            let remoteFingerprint = try PeerCertificateFingerprint.verify(
                certificate, algorithms: fingerprintAlgorithms, expected: expectedRemoteFingerprints)
            guard let selected = SSL_get_selected_srtp_profile(ssl) else { throw .noSRTPProfileNegotiated }
            let id = selected.pointee.id
            guard let rawValue = UInt16(exactly: id), let profile = DTLSSRTPProfile(rawValue: rawValue) else {
                throw .unsupportedSRTPProfile(UInt16(truncatingIfNeeded: id))
            }
            let label = "EXTRACTOR-dtls_srtp"
            var keyingMaterial = [UInt8](repeating: 0, count: profile.keyingMaterialLength)
            let exported = keyingMaterial.withUnsafeMutableBufferPointer { out in
                SSL_export_keying_material(ssl, out.baseAddress, out.count, label, label.utf8.count, nil, 0, 0)
            }
            guard exported == 1 else { throw OpenSSLErrorQueue.failure("SSL_export_keying_material") }
            state = .connected
            return DTLSConnectionInfo(srtpProfile: profile, keyingMaterial: keyingMaterial,
                                      remoteFingerprint: remoteFingerprint)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Reads every record the datagram held. DTLS drops records that fail to decrypt or parse,
    /// so SSL_read just wants more data for garbage.
    private func readApplicationData(into events: inout [DTLSEvent]) throws(DTLSError) {
        while state == .connected {
            let count = readBuffer.withUnsafeMutableBytes { buffer in
                SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
            }
            if count > 0 {
                events.append(.applicationData(Array(readBuffer[0..<Int(count)])))
                continue
            }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                state = .closed
                events.append(.closed)
            default:
                state = .failed
                throw .connectionFailed(reason: OpenSSLErrorQueue.drain())
            }
        }
    }

    /// After every call into OpenSSL: nothing may stay on this thread's error queue, and the
    /// timer may have been started, restarted or stopped.
    private func finishCall() {
        ERR_clear_error()
        guard state == .handshaking || state == .connected else {
            retransmissionDeadline = nil
            return
        }
        let microseconds = parley_DTLSv1_get_timeout_microseconds(ssl)
        retransmissionDeadline = microseconds < 0 ? nil : .now + .microseconds(microseconds)
    }
}

/// Retransmission timeouts (RFC 6347 §4.2.4.1): start at 100 ms rather than OpenSSL's 1 s, as
/// WebRTC stacks do on real-time paths, then double up to 6 s.
enum DTLSRetransmissionTimer {
    static let initialMicroseconds: UInt32 = 100_000
    static let maximumMicroseconds: UInt32 = 6_000_000

    static let nextTimeout: @convention(c) (OpaquePointer?, UInt32) -> UInt32 = { _, previous in
        if previous == 0 { return initialMicroseconds }
        return previous >= maximumMicroseconds / 2 ? maximumMicroseconds : previous * 2
    }
}
