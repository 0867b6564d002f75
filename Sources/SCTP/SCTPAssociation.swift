import CUsrsctp
import Glibc
import Synchronization

/// One SCTP association carried over DTLS (RFC 8261), as WebRTC data channels use it (RFC 8831).
///
/// The association owns one AF_CONN usrsctp socket. usrsctp never touches the network: every
/// packet it wants to send comes out through the `send` closure (route it into DTLS application
/// data), and every SCTP packet that DTLS decrypts goes in through `receive(_:)`. Received
/// messages and events are delivered synchronously from `receive(_:)`, after usrsctp has returned,
/// so the callbacks may call back into the association (e.g. `send` an ACK).
///
/// Threading: nothing here starts a thread. One association must be used from one thread at a
/// time (its owner's event loop); usrsctp's global lock serialises the stack internally, so
/// different associations may live on different threads. The `send` closure is called *inside*
/// usrsctp (from `start`, `send`, `receive`, `close` and `SCTPStack.handleTimers`), possibly while
/// usrsctp holds its locks: it must only hand the bytes on (copy/enqueue/encrypt), never call
/// back into usrsctp.
///
/// Messages: up to `socketBufferSize` (1 MiB) per send; a full send buffer throws `.wouldBlock`
/// (pump and retry). Received messages are reassembled from partial deliveries up to
/// `maxReceivedMessageSize`. Empty messages cannot be sent (RFC 8831 §6.6 sends one byte).
///
/// Timers are global to usrsctp: someone must call `SCTPStack.shared.advanceTimers(to:)` (or
/// `handleTimers`) every ~10-20 ms, and any association's `send` closure may then run on that
/// caller's thread. Owners on an event loop hand such packets over to their own loop.
public final class SCTPAssociation {
    public enum State: Equatable, Sendable {
        case new, connecting, connected, closed
    }

    /// The association is established (SCTP COMM_UP).
    public var onConnected: (() -> Void)?
    /// A complete message (streamID, PPID, bytes). The bytes are valid only during the call.
    public var onMessage: ((UInt16, UInt32, UnsafeRawBufferPointer) -> Void)?
    /// The peer reset these incoming streams (RFC 6525), i.e. closed data channels (RFC 8831 §6.7).
    public var onStreamReset: (([UInt16]) -> Void)?
    /// The association ended (peer ABORT/SHUTDOWN, failure, or local `close()`); called once.
    public var onClosed: (() -> Void)?

    public private(set) var state: State = .new
    /// Messages larger than this are discarded while reassembling partial deliveries.
    public var maxReceivedMessageSize: Int = 1 << 20
    /// Count of received messages discarded for exceeding `maxReceivedMessageSize`.
    public private(set) var droppedOversizedMessages = 0

    public let localPort: UInt16
    public let remotePort: UInt16

    private let sendPacket: (UnsafeRawBufferPointer) -> Void
    private var socket: OpaquePointer?
    private var address: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
    private let receiveBuffer: UnsafeMutableRawBufferPointer
    /// Partially delivered message (and, separately, notification) waiting for MSG_EOR.
    private var pendingMessage = SCTPReassembly()
    private var pendingNotification = SCTPReassembly()
    private var isDraining = false

    /// SCTP packets must fit one DTLS record in one datagram under the 1200-byte MTU WebRTC
    /// assumes: DTLS 1.2 with AES-GCM adds 13 (header) + 8 (nonce) + 16 (tag) bytes, and usrsctp
    /// counts a 12-byte SCTP common header of its own (Chromium uses the same figure).
    public static let pathMTU: UInt32 = 1200 - 37 - 12

    /// Retransmission timeout bounds in milliseconds.
    public static let initialRTO: UInt32 = 1_000
    public static let minimumRTO: UInt32 = 400
    public static let maximumRTO: UInt32 = 10_000

    /// Streams negotiated in INIT (RFC 8831 §6.2 suggests the maximum; browsers use 1024+).
    public static let streamCount: UInt16 = 1024
    /// Socket buffers: large enough for a 256 KiB message plus headroom.
    public static let socketBufferSize: Int32 = 1 << 20

    public init(localPort: UInt16 = 5000, remotePort: UInt16 = 5000,
                send: @escaping (UnsafeRawBufferPointer) -> Void) throws(SCTPError) {
        SCTPStack.shared.start()
        self.localPort = localPort
        self.remotePort = remotePort
        self.sendPacket = send
        self.receiveBuffer = .allocate(byteCount: 1 << 16, alignment: 8)
        guard let socket = usrsctp_socket(AF_CONN, Int32(SOCK_STREAM.rawValue), Int32(IPPROTO_SCTP),
                                          nil, nil, 0, nil) else {
            receiveBuffer.deallocate()
            throw .socketCreationFailed(errno: errno)
        }
        self.socket = socket
        SCTPAssociationRegistry.shared.register(self, at: address)
        usrsctp_register_address(address)
        do {
            try configure(socket)
            try bind(socket)
        } catch {
            teardown()
            throw error
        }
    }

    deinit {
        teardown()
        receiveBuffer.deallocate()
    }

    /// Sends INIT. Both WebRTC peers connect to each other (simultaneous open, RFC 8841 §9.3).
    public func start() throws(SCTPError) {
        guard let socket, state == .new else { throw .associationClosed }
        var remote = connAddress(port: remotePort)
        let result = withUnsafeMutablePointer(to: &remote) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                usrsctp_connect(socket, $0, socklen_t(MemoryLayout<sockaddr_conn>.size))
            }
        }
        if result < 0 && errno != EINPROGRESS { throw .connectFailed(errno: errno) }
        try setPathMTU(socket, remote: &remote)
        state = .connecting
        drain()
    }

    /// Feeds one SCTP packet (DTLS application data) in and delivers whatever it completed.
    public func receive(_ packet: UnsafeRawBufferPointer) {
        guard socket != nil, let base = packet.baseAddress else { return }
        usrsctp_conninput(address, base, packet.count, 0)
        drain()
    }

    /// Delivers events that arrived outside `receive` (e.g. after timers fired). Cheap if idle.
    public func poll() { drain() }

    /// Sends one message (RFC 8831 §6.6). `maxRetransmits` selects PR-SCTP with the RTX policy,
    /// `maxLifetimeMilliseconds` the TTL policy (RFC 3758, RFC 7496); neither means reliable.
    public func send(message: UnsafeRawBufferPointer, streamID: UInt16, ppid: UInt32,
                     ordered: Bool, maxRetransmits: UInt16?,
                     maxLifetimeMilliseconds: UInt32? = nil) throws(SCTPError) {
        guard let socket, state == .connected else { throw .associationClosed }
        var spa = sctp_sendv_spa()
        spa.sendv_flags = UInt32(SCTP_SEND_SNDINFO_VALID)
        spa.sendv_sndinfo.snd_sid = streamID
        // The PPID is opaque to SCTP and travels in network order (RFC 4960 §3.3.1).
        spa.sendv_sndinfo.snd_ppid = ppid.bigEndian
        spa.sendv_sndinfo.snd_flags = ordered ? 0 : UInt16(SCTP_UNORDERED)
        if let maxRetransmits {
            spa.sendv_flags |= UInt32(SCTP_SEND_PRINFO_VALID)
            spa.sendv_prinfo.pr_policy = UInt16(SCTP_PR_SCTP_RTX)
            spa.sendv_prinfo.pr_value = UInt32(maxRetransmits)
        } else if let maxLifetimeMilliseconds {
            spa.sendv_flags |= UInt32(SCTP_SEND_PRINFO_VALID)
            spa.sendv_prinfo.pr_policy = UInt16(SCTP_PR_SCTP_TTL)
            spa.sendv_prinfo.pr_value = maxLifetimeMilliseconds
        }
        let sent = withUnsafeMutablePointer(to: &spa) { info in
            usrsctp_sendv(socket, message.baseAddress, message.count, nil, 0, info,
                          socklen_t(MemoryLayout<sctp_sendv_spa>.size), UInt32(SCTP_SENDV_SPA), 0)
        }
        if sent < 0 {
            let code = errno
            if code == EWOULDBLOCK || code == EAGAIN { throw .wouldBlock }
            throw .sendFailed(errno: code)
        }
        drain()
    }

    /// Resets our outgoing side of these streams (RFC 6525), which is how a data channel closes
    /// (RFC 8831 §6.7). The peer sees `onStreamReset` and resets its side in turn.
    public func resetStreams(_ streamIDs: [UInt16]) throws(SCTPError) {
        guard let socket, state == .connected else { throw .associationClosed }
        guard !streamIDs.isEmpty else { return }
        // struct sctp_reset_streams { assoc_id u32; flags u16; count u16; list u16[] }
        let size = 8 + 2 * streamIDs.count
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4)
        defer { buffer.deallocate() }
        buffer.storeBytes(of: sctp_assoc_t(SCTP_ALL_ASSOC), toByteOffset: 0, as: sctp_assoc_t.self)
        buffer.storeBytes(of: UInt16(SCTP_STREAM_RESET_OUTGOING), toByteOffset: 4, as: UInt16.self)
        buffer.storeBytes(of: UInt16(streamIDs.count), toByteOffset: 6, as: UInt16.self)
        for (index, id) in streamIDs.enumerated() {
            buffer.storeBytes(of: id, toByteOffset: 8 + 2 * index, as: UInt16.self)
        }
        if usrsctp_setsockopt(socket, Int32(IPPROTO_SCTP), SCTP_RESET_STREAMS, buffer.baseAddress,
                              socklen_t(size)) < 0 {
            throw .streamResetFailed(errno: errno)
        }
        drain()
    }

    /// Aborts the association (SO_LINGER 0: the peer gets an ABORT) and frees the socket.
    public func close() {
        guard socket != nil else { return }
        teardown()
        markClosed()
    }

    // MARK: - usrsctp plumbing

    /// Called by the global conn-output callback with a packet usrsctp wants sent.
    func emit(_ packet: UnsafeRawBufferPointer) { sendPacket(packet) }

    private func teardown() {
        guard let socket else { return }
        usrsctp_close(socket)
        self.socket = nil
        usrsctp_deregister_address(address)
        SCTPAssociationRegistry.shared.unregister(address)
    }

    private func markClosed() {
        guard state != .closed else { return }
        state = .closed
        onClosed?()
    }

    private func connAddress(port: UInt16) -> sockaddr_conn {
        var address = sockaddr_conn()
        address.sconn_family = UInt16(AF_CONN)
        address.sconn_port = port.bigEndian
        address.sconn_addr = self.address
        return address
    }

    private func setOption<Value>(_ socket: OpaquePointer, level: Int32, _ name: Int32,
                                  _ value: Value) throws(SCTPError) {
        var value = value
        let result = withUnsafePointer(to: &value) {
            usrsctp_setsockopt(socket, level, name, $0, socklen_t(MemoryLayout<Value>.size))
        }
        if result < 0 { throw .socketOptionFailed(option: name, errno: errno) }
    }

    private func configure(_ socket: OpaquePointer) throws(SCTPError) {
        let sctp = Int32(IPPROTO_SCTP)
        // Everything is driven by the caller: never block inside usrsctp.
        if usrsctp_set_non_blocking(socket, 1) < 0 {
            throw .socketOptionFailed(option: -1, errno: errno)
        }
        // Close with ABORT rather than a graceful SHUTDOWN the DTLS layer may never carry.
        try setOption(socket, level: SOL_SOCKET, SO_LINGER, linger(l_onoff: 1, l_linger: 0))
        try setOption(socket, level: SOL_SOCKET, SO_SNDBUF, Self.socketBufferSize)
        try setOption(socket, level: SOL_SOCKET, SO_RCVBUF, Self.socketBufferSize)
        // RFC 8831 §6.7: channels close by resetting streams (RFC 6525).
        try setOption(socket, level: sctp, SCTP_ENABLE_STREAM_RESET,
                      sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC),
                                       assoc_value: UInt32(SCTP_ENABLE_RESET_STREAM_REQ)))
        // RFC 4960 §15's RTO bounds (1 s min, 60 s max) let one lost burst stall a channel for
        // most of a minute; like browsers, retry sooner and never wait more than 10 s.
        try setOption(socket, level: sctp, SCTP_RTOINFO,
                      sctp_rtoinfo(srto_assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC), srto_initial: Self.initialRTO,
                                   srto_max: Self.maximumRTO, srto_min: Self.minimumRTO))
        // Data channel messages are latency-sensitive: no Nagle.
        try setOption(socket, level: sctp, SCTP_NODELAY, Int32(1))
        // Without this usrsctp reports stream id and PPID as 0.
        try setOption(socket, level: sctp, SCTP_RECVRCVINFO, Int32(1))
        try setOption(socket, level: sctp, SCTP_INITMSG,
                      sctp_initmsg(sinit_num_ostreams: Self.streamCount,
                                   sinit_max_instreams: Self.streamCount,
                                   sinit_max_attempts: 0, sinit_max_init_timeo: 0))
        for event in [SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_SEND_FAILED_EVENT,
                      SCTP_PARTIAL_DELIVERY_EVENT] {
            try setOption(socket, level: sctp, SCTP_EVENT,
                          sctp_event(se_assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC),
                                     se_type: UInt16(event), se_on: 1))
        }
    }

    /// Fixes the path MTU (no PMTU discovery: usrsctp cannot see the network under DTLS).
    private func setPathMTU(_ socket: OpaquePointer, remote: inout sockaddr_conn) throws(SCTPError) {
        var parameters = sctp_paddrparams()
        withUnsafeMutableBytes(of: &parameters.spp_address) { storage in
            withUnsafeBytes(of: &remote) { storage.copyMemory(from: $0) }
        }
        parameters.spp_flags = UInt32(SPP_PMTUD_DISABLE)
        parameters.spp_pathmtu = Self.pathMTU
        try setOption(socket, level: Int32(IPPROTO_SCTP), SCTP_PEER_ADDR_PARAMS, parameters)
    }

    private func bind(_ socket: OpaquePointer) throws(SCTPError) {
        var local = connAddress(port: localPort)
        let result = withUnsafeMutablePointer(to: &local) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                usrsctp_bind(socket, $0, socklen_t(MemoryLayout<sockaddr_conn>.size))
            }
        }
        if result < 0 { throw .bindFailed(errno: errno) }
    }

    /// Reads every complete message and notification usrsctp has queued (non-blocking).
    /// Not re-entrant: a callback that calls `send`/`resetStreams` must not overwrite the
    /// buffer the outer call is still delivering from; the outer loop picks up the rest.
    private func drain() {
        guard !isDraining else { return }
        isDraining = true
        defer { isDraining = false }
        while let socket {
            var info = sctp_rcvinfo()
            var infoLength = socklen_t(MemoryLayout<sctp_rcvinfo>.size)
            var infoType: UInt32 = 0
            var flags: Int32 = 0
            let count = usrsctp_recvv(socket, receiveBuffer.baseAddress, receiveBuffer.count,
                                      nil, nil, &info, &infoLength, &infoType, &flags)
            guard count >= 0 else { return }  // EWOULDBLOCK: nothing more queued
            let isNotification = flags & Int32(MSG_NOTIFICATION) != 0
            if count == 0 && !isNotification && flags == 0 { return }  // EOF
            let chunk = UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<count])
            let complete = flags & Int32(MSG_EOR) != 0
            if complete && (isNotification ? pendingNotification : pendingMessage).isEmpty {
                if !isNotification && count > maxReceivedMessageSize {
                    droppedOversizedMessages += 1
                } else {
                    deliver(chunk, notification: isNotification, info: info, infoType: infoType)
                }
                continue
            }
            let limit = maxReceivedMessageSize
            if isNotification {
                pendingNotification.append(chunk, limit: limit)
            } else {
                pendingMessage.append(chunk, limit: limit)
            }
            guard complete else { continue }
            let finished: SCTPReassembly
            if isNotification {
                finished = pendingNotification
                pendingNotification = SCTPReassembly()
            } else {
                finished = pendingMessage
                pendingMessage = SCTPReassembly()
            }
            if finished.oversized {
                droppedOversizedMessages += 1
            } else {
                finished.bytes.withUnsafeBytes {
                    deliver($0, notification: isNotification, info: info, infoType: infoType)
                }
            }
        }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer, notification: Bool, info: sctp_rcvinfo,
                         infoType: UInt32) {
        if notification {
            handleNotification(bytes)
        } else if infoType == UInt32(SCTP_RECVV_RCVINFO) {
            onMessage?(info.rcv_sid, UInt32(bigEndian: info.rcv_ppid), bytes)
        }
    }

    /// Notifications (RFC 6458 §6.1): header type u16, flags u16, length u32, all host order.
    private func handleNotification(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 8 else { return }
        let type = bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
        let flags = bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)
        switch Int32(type) {
        case SCTP_ASSOC_CHANGE:
            guard bytes.count >= 10 else { return }
            switch Int32(bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)) {
            case SCTP_COMM_UP:
                guard state != .connected, state != .closed else { return }
                state = .connected
                onConnected?()
            case SCTP_COMM_LOST, SCTP_SHUTDOWN_COMP, SCTP_CANT_STR_ASSOC:
                markClosed()
            default:
                break
            }
        case SCTP_PARTIAL_DELIVERY_EVENT:
            // RFC 6458 §6.1.7: the message being delivered in parts will never complete.
            pendingMessage = SCTPReassembly()
        case SCTP_STREAM_RESET_EVENT:
            // RFC 6458 §6.1.9: the list follows assoc_id; only completed incoming resets matter.
            let failed = UInt16(SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)
            guard flags & failed == 0, flags & UInt16(SCTP_STREAM_RESET_INCOMING_SSN) != 0,
                  bytes.count >= 12 else { return }
            let declared = Int(bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let end = min(bytes.count, declared)
            var streams: [UInt16] = []
            var offset = 12
            while offset + 2 <= end {
                streams.append(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                offset += 2
            }
            onStreamReset?(streams)
        default:
            break
        }
    }
}

/// Bytes of one message usrsctp delivers in several reads (partial delivery, RFC 6458 §8.1.20).
struct SCTPReassembly {
    var bytes: [UInt8] = []
    /// The message outgrew the limit; its bytes are discarded until MSG_EOR.
    var oversized = false

    var isEmpty: Bool { bytes.isEmpty && !oversized }

    mutating func append(_ chunk: UnsafeRawBufferPointer, limit: Int) {
        guard !oversized else { return }
        if bytes.count + chunk.count > limit {
            oversized = true
            bytes = []
        } else {
            bytes.append(contentsOf: chunk)
        }
    }
}

/// Maps the opaque address each association registers with usrsctp back to the association.
/// Entries are weak, so a packet usrsctp emits while an association is being destroyed is dropped.
final class SCTPAssociationRegistry: Sendable {
    static let shared = SCTPAssociationRegistry()

    final class Entry: @unchecked Sendable {
        weak var association: SCTPAssociation?
        init(_ association: SCTPAssociation) { self.association = association }
    }

    private let entries = Mutex<[UInt: Entry]>([:])

    func register(_ association: SCTPAssociation, at address: UnsafeMutableRawPointer) {
        let entry = Entry(association)
        entries.withLock { $0[UInt(bitPattern: address)] = entry }
    }

    func unregister(_ address: UnsafeMutableRawPointer) {
        _ = entries.withLock { $0.removeValue(forKey: UInt(bitPattern: address)) }
    }

    func association(for address: UnsafeMutableRawPointer) -> SCTPAssociation? {
        let entry = entries.withLock { $0[UInt(bitPattern: address)] }
        return entry?.association
    }
}
