import ICE
import NIOConcurrencyHelpers
public import NIOCore
import NIOExtras
import NIOPosix
import SCTP

/// One event loop with its own sockets: a UDP socket per address family and an ICE-TCP
/// listener. Every transport placed here is created, fed and closed on this loop only, so the
/// media path needs no locks (mediasoup's worker model).
///
/// Incoming packets are routed without allocating: STUN requests by the local ICE username
/// fragment, everything else by the path it came on (UDP sender address or TCP connection),
/// which must first have passed an authenticated ICE check. Datagrams written while handling a
/// batch of reads go out together when the batch ends, in one `sendmmsg` per socket
/// (`UDPSendBatch`).
///
/// `@unchecked Sendable`: the mutable state is touched only on `eventLoop` (asserted in debug
/// builds); other threads reach it through `submit`.
public final class MediaWorker: @unchecked Sendable {
    public let index: Int
    public let eventLoop: any EventLoop
    /// The IPv4 UDP address (its port is what IPv4 candidates announce).
    public let localAddress: SocketAddress
    /// The IPv6 UDP address, when the host has IPv6.
    public let localIPv6Address: SocketAddress?
    /// The ICE-TCP listener's address (passive TCP candidates), when enabled.
    public let tcpLocalAddress: SocketAddress?
    /// Indexes of the worker's UDP sockets in `TransportPath.udp`.
    public enum SocketIndex {
        public static let ipv4 = 0
        public static let ipv6 = 1
        /// Client transports get sockets of their own from here on.
        static let firstClient = 2
    }

    /// A bound UDP socket: NIO reads it; its datagrams leave through `batch`.
    struct UDPSocket {
        let channel: any Channel
        let batch: UDPSendBatch
    }

    private let udp: UDPSocket
    private let udpIPv6: UDPSocket?
    private let tcpListener: (any Channel)?
    /// Sockets opened for client-role transports, by index (loop only).
    private var clientSockets: [Int: UDPSocket] = [:]
    /// Batches holding datagrams not sent yet (loop only).
    private var pendingBatches: [UDPSendBatch] = []
    private var nextClientSocket = SocketIndex.firstClient
    private let workerBox: NIOLockedValueBox<MediaWorker?>

    private var transportsByUsernameFragment: [String: WebRTCTransport] = [:]
    private var transportsByPath: [PathKey: WebRTCTransport] = [:]
    private var transportsByID: [UInt64: WebRTCTransport] = [:]
    private var tcpConnections: [ObjectIdentifier: any Channel] = [:]
    private var nextTransportID: UInt64 = 1
    /// A flush is already scheduled for writes made outside a read batch.
    private var flushScheduled = false
    private var unflushedTCP: [ObjectIdentifier: any Channel] = [:]
    private var tickTask: RepeatedTask?
    private var _counters = MediaWorkerCounters()
    /// Times read batches until what they caused is sent (`/metrics`' processing delay).
    private let delay: ProcessingDelayRecorder

    /// How often DTLS retransmissions, ICE consent and client checks are looked at.
    static let tickInterval = TimeAmount.milliseconds(20)
    /// Datagrams read per `recvmmsg` call.
    static let vectorReadCount = 32
    /// Datagrams sent per `sendmmsg` call on a server socket (fan-out multiplies a read batch).
    /// A full batch goes out at once, so this also bounds how long the first datagram of a read
    /// batch waits for the others' fan-out: 64 at ≈ 5 µs each is ≈ 0.3 ms, where 256 made the
    /// p50 processing delay 3 ms in a fan-out-10 webinar, and the syscall is a small part of
    /// the cost of each datagram (the kernel's per-datagram work is not batched).
    static let sendBatchCapacity = 64
    /// On a client-role socket, which carries one transport.
    static let clientSendBatchCapacity = 16
    /// Requested UDP socket buffer size in each direction.
    static let socketBufferSize: SocketOptionValue = 4 << 20
    /// Larger than any datagram WebRTC sends (browsers keep packets under ~1250 bytes).
    static let maximumDatagramSize = 2048
    /// A TCP connection that has not passed an ICE check by then is closed.
    static let tcpUnauthenticatedTimeout = TimeAmount.seconds(10)
    /// Open ICE-TCP connections per worker; more are refused.
    static let maximumTCPConnections = 4096

    private init(index: Int, eventLoop: any EventLoop, udp: UDPSocket, udpIPv6: UDPSocket?,
                 tcpListener: (any Channel)?, workerBox: NIOLockedValueBox<MediaWorker?>,
                 delay: ProcessingDelayRecorder) throws {
        guard let localAddress = udp.channel.localAddress else { throw MediaWorkerError.noLocalAddress }
        self.index = index
        self.eventLoop = eventLoop
        self.udp = udp
        self.udpIPv6 = udpIPv6
        self.tcpListener = tcpListener
        self.localAddress = localAddress
        self.localIPv6Address = udpIPv6?.channel.localAddress
        self.tcpLocalAddress = tcpListener?.localAddress
        self.workerBox = workerBox
        self.delay = delay
    }

    /// Binds the worker's sockets on `eventLoop` and starts it. `port` 0 picks a free port; the
    /// IPv6 socket and the TCP listener then use the IPv4 socket's port when they can.
    public static func bind(index: Int, host: String, port: Int, ipv6Host: String? = nil,
                            enableTCP: Bool = false, on eventLoop: any EventLoop) async throws -> MediaWorker {
        let workerBox = NIOLockedValueBox<MediaWorker?>(nil)
        let delay = ProcessingDelayRecorder()
        let udp = try await bindUDP(host: host, port: port, socket: SocketIndex.ipv4, batchCapacity: sendBatchCapacity,
                                    delay: delay, on: eventLoop, workerBox: workerBox)
        let chosenPort = udp.channel.localAddress?.port ?? port
        var udpIPv6: UDPSocket?
        var tcp: (any Channel)?
        do {
            if let ipv6Host {
                udpIPv6 = try? await bindUDP(host: ipv6Host, port: chosenPort, socket: SocketIndex.ipv6,
                                             batchCapacity: sendBatchCapacity, delay: delay, on: eventLoop,
                                             workerBox: workerBox)
            }
            if enableTCP {
                tcp = try await bindTCP(host: host, port: chosenPort, on: eventLoop, workerBox: workerBox)
            }
        } catch {
            try? await udp.channel.close()
            try? await udpIPv6?.channel.close()
            throw error
        }
        let worker = try MediaWorker(index: index, eventLoop: eventLoop, udp: udp, udpIPv6: udpIPv6,
                                     tcpListener: tcp, workerBox: workerBox, delay: delay)
        try await eventLoop.submit {
            workerBox.withLockedValue { $0 = worker }
            worker.tickTask = eventLoop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in
                worker.tick()
            }
        }.get()
        return worker
    }

    private static func bindUDP(host: String, port: Int, socket: Int, batchCapacity: Int,
                                delay: ProcessingDelayRecorder, on eventLoop: any EventLoop,
                                workerBox: NIOLockedValueBox<MediaWorker?>) async throws -> UDPSocket {
        // The socket is made here, not by NIO, so that its descriptor can feed sendmmsg directly.
        let descriptor = try UDPSocketDescriptor.bind(host: host, port: port)
        let bootstrap = DatagramBootstrap(group: eventLoop)
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            // One recvmmsg per read event (NIO's default is 4 back to back): what it read is then
            // processed and flushed before more is read, so no datagram waits behind datagrams
            // that arrived after it, and the processing delay is timed from its own read.
            .channelOption(.maxMessagesPerRead, value: 1)
            // Bursts (key frames to many subscribers, SCTP windows) overflow Linux's 208 KiB
            // default; the kernel caps these at net.core.rmem_max / wmem_max.
            .channelOption(.socketOption(.so_rcvbuf), value: socketBufferSize)
            .channelOption(.socketOption(.so_sndbuf), value: socketBufferSize)
            // NIO splits one receive buffer across the vector's messages: size it per message.
            .channelOption(.recvAllocator,
                           value: FixedSizeRecvByteBufferAllocator(capacity: vectorReadCount * maximumDatagramSize))
        // From here NIO owns the descriptor and closes it, also when this fails.
        let channel = try await bootstrap
            .channelInitializer { channel in
                channel.pipeline.addHandler(UDPPathHandler(workerBox: workerBox, socket: socket))
            }
            .withBoundSocket(descriptor)
            .get()
        return UDPSocket(channel: channel, batch: UDPSendBatch(descriptor: descriptor, capacity: batchCapacity,
                                                                  delay: delay))
    }

    private static func bindTCP(host: String, port: Int, on eventLoop: any EventLoop,
                                workerBox: NIOLockedValueBox<MediaWorker?>) async throws -> any Channel {
        try await ServerBootstrap(group: eventLoop, childGroup: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(TCPFraming.handlers(workerBox: workerBox))
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    /// Opens a UDP socket of its own for one client-role transport (as a browser has one per
    /// peer connection), so that many clients can reach the same server address from one
    /// worker. Returns the path to `server` through it.
    public func openClientPath(to server: SocketAddress) async throws -> TransportPath {
        let host = server.protocol == .inet6 ? "::1" : "127.0.0.1"
        let socket = try await eventLoop.submit {
            defer { self.nextClientSocket += 1 }
            return self.nextClientSocket
        }.get()
        let udp = try await Self.bindUDP(host: host, port: 0, socket: socket, batchCapacity: Self.clientSendBatchCapacity,
                                         delay: delay, on: eventLoop, workerBox: workerBox)
        try await eventLoop.submit { self.clientSockets[socket] = udp }.get()
        return .udp(server, socket: socket)
    }

    /// Opens an ICE-TCP connection to `address` (client role, tests and parley-bench).
    public func connectTCP(to address: SocketAddress) async throws -> any Channel {
        let workerBox = NIOLockedValueBox<MediaWorker?>(self)
        return try await ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(TCPFraming.handlers(workerBox: workerBox))
                }
            }
            .connect(to: address)
            .get()
    }

    /// Stops the worker: closes every transport and socket.
    public func close() async {
        let connections: [any Channel] = (try? await eventLoop.submit {
            self.tickTask?.cancel()
            for transport in Array(self.transportsByID.values) { transport.close() }
            // Their descriptors are about to close (and may be reused): no more sendmmsg on them.
            let sockets = self.udpSockets
            for socket in sockets { socket.batch.close() }
            self.pendingBatches.removeAll()
            return Array(self.tcpConnections.values) + sockets.map(\.channel)
        }.get()) ?? []
        for connection in connections { try? await connection.close() }
        try? await tcpListener?.close()
    }

    /// Runs `body` on the worker's loop.
    public func submit<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await eventLoop.submit(body).get()
    }

    /// Packet counters, read on the loop.
    public var counters: MediaWorkerCounters {
        get async {
            (try? await eventLoop.submit {
                var counters = self._counters
                counters.datagramsNotSent = self.udpSockets.reduce(0) { $0 &+ $1.batch.failed }
                counters.processingDelay = self.delay.histogram
                return counters
            }.get()) ?? MediaWorkerCounters()
        }
    }

    /// Number of transports on this worker (for placing new sessions on the least-loaded one).
    public var transportCount: Int {
        get async { (try? await eventLoop.submit { self.transportsByID.count }.get()) ?? 0 }
    }

    // MARK: Transports (on the loop)

    func makeTransportID() -> UInt64 {
        eventLoop.assertInEventLoop()
        defer { nextTransportID += 1 }
        return nextTransportID
    }

    func register(_ transport: WebRTCTransport) {
        eventLoop.assertInEventLoop()
        transportsByID[transport.id] = transport
        transportsByUsernameFragment[transport.localCredentials.usernameFragment] = transport
    }

    /// Checks addressed to the transport's new ufrag reach it; the old one is forgotten (an ICE
    /// restart ends the old credentials).
    func changeUsernameFragment(of transport: WebRTCTransport, from previous: String) {
        eventLoop.assertInEventLoop()
        if transportsByUsernameFragment[previous] === transport { transportsByUsernameFragment[previous] = nil }
        transportsByUsernameFragment[transport.localCredentials.usernameFragment] = transport
    }

    /// Lets non-STUN packets on `path` reach `transport` (the path passed ICE).
    func route(_ key: PathKey, to transport: WebRTCTransport) {
        eventLoop.assertInEventLoop()
        transportsByPath[key] = transport
    }

    func unregister(_ transport: WebRTCTransport) {
        eventLoop.assertInEventLoop()
        transportsByID[transport.id] = nil
        if transportsByUsernameFragment[transport.localCredentials.usernameFragment] === transport {
            transportsByUsernameFragment[transport.localCredentials.usernameFragment] = nil
        }
        transportsByPath = transportsByPath.filter { $0.value !== transport }
    }

    // MARK: Data path (on the loop)

    /// One datagram, or one RFC 4571 frame from a TCP connection.
    func handle(_ buffer: inout ByteBuffer, from path: TransportPath) {
        _counters.datagramsReceived &+= 1
        guard let remote = path.remoteAddress, let source = STUNTransportAddress(remote) else { return }
        let key = PathKey(address: source, socket: path.socket ?? PathKey.tcp)
        let kind: DatagramKind = buffer.withUnsafeReadableBytes { bytes in
            guard let first = bytes.first else { return .unknown }
            return DatagramKind.classify(firstByte: first, secondByte: bytes.count > 1 ? bytes[1] : nil)
        }
        switch kind {
        case .stun:
            handleSTUN(&buffer, from: path, key: key)
        case .dtls, .rtp, .rtcp:
            guard let transport = transportsByPath[key] else {
                _counters.droppedFromUnknownAddress &+= 1
                return
            }
            transport.handle(&buffer, kind: kind)
        case .unknown:
            _counters.droppedUnknownKind &+= 1
        }
    }

    private func handleSTUN(_ buffer: inout ByteBuffer, from path: TransportPath, key: PathKey) {
        // Requests find their transport by the USERNAME they carry (ours is the first part);
        // responses to our own checks (client role) by the path we sent them on.
        let isRequest = buffer.withUnsafeReadableBytes { bytes in
            bytes.count >= 2 && (bytes[0] & 0x01) == 0 && (bytes[1] & 0x10) == 0
        }
        if isRequest {
            let fragment = buffer.withUnsafeReadableBytes { ICELiteAgent.localUsernameFragment(of: $0) }
            guard let fragment, let transport = transportsByUsernameFragment[fragment] else {
                _counters.droppedSTUNForUnknownUsername &+= 1
                return
            }
            transport.handleSTUNRequest(buffer, from: path, key: key)
        } else if let transport = transportsByPath[key] {
            transport.handleSTUNResponse(buffer)
        } else {
            _counters.droppedFromUnknownAddress &+= 1
        }
    }

    func countDropped(_ keyPath: WritableKeyPath<MediaWorkerCounters, UInt64>) {
        _counters[keyPath: keyPath] &+= 1
    }

    /// A buffer for an outgoing packet of up to `capacity` bytes (ICE-TCP, oversized datagrams).
    func allocateBuffer(capacity: Int) -> ByteBuffer {
        udp.channel.allocator.buffer(capacity: capacity)
    }

    /// Queues one datagram of at most `capacity` bytes on `path`: `fill` writes it into the
    /// space it is given and returns its length (0 to send nothing). On UDP that space is a slot
    /// of the socket's send batch, so nothing is allocated. Returns whether it was queued.
    ///
    /// Datagrams queued while a read batch is handled go out together when it ends; ones queued
    /// from anywhere else (timers, control operations) get one flush scheduled on the loop, so
    /// everything queued in this turn of the loop still leaves as one batch.
    func sendDatagram(via path: TransportPath, capacity: Int,
                      _ fill: (UnsafeMutableRawBufferPointer) -> Int) -> Bool {
        if case .udp(let remote, let socket) = path, capacity <= UDPSendBatch.slotSize {
            guard let batch = udpSocket(socket)?.batch else { return false }
            let wasEmpty = batch.count == 0
            guard batch.append(to: remote, fill) else { return false }
            if wasEmpty { pendingBatches.append(batch) }
            datagramQueued()
            return true
        }
        var buffer = allocateBuffer(capacity: capacity)
        let length = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { fill($0) }
        guard length > 0 else { return false }
        write(buffer, via: path)
        return true
    }

    /// A datagram longer than a batch slot (no WebRTC packet is), or a frame for ICE-TCP: through
    /// NIO's channel.
    private func write(_ buffer: ByteBuffer, via path: TransportPath) {
        switch path {
        case .udp(let remote, let socket):
            udpSocket(socket)?.channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
        case .tcp(let connection):
            connection.write(buffer, promise: nil)
            unflushedTCP[ObjectIdentifier(connection)] = connection
        }
        datagramQueued()
    }

    /// The worker's UDP socket with index `socket` (`TransportPath.udp`'s `socket`).
    private func udpSocket(_ socket: Int) -> UDPSocket? {
        switch socket {
        case SocketIndex.ipv4: udp
        case SocketIndex.ipv6: udpIPv6
        default: clientSockets[socket]
        }
    }

    /// Every UDP socket of the worker (loop only).
    private var udpSockets: [UDPSocket] {
        [udp] + (udpIPv6.map { [$0] } ?? []) + Array(clientSockets.values)
    }

    private func datagramQueued() {
        _counters.datagramsSent &+= 1
        if !flushScheduled {
            flushScheduled = true
            eventLoop.execute { self.flushScheduled = false; self.flushIfNeeded() }
        }
    }

    /// A read batch starts with its first datagram (NIO hands over what one `recvmmsg` read).
    func beginReadBatch() {
        delay.readBatchBegins()
    }

    /// Sends what the batch produced; each send counts how long its datagrams took to leave.
    func finishReadBatch() {
        flushIfNeeded()
        delay.readBatchEnded()
    }

    /// Sends what was queued outside a read batch (timers, control operations). Call on the loop.
    public func flushPendingWrites() {
        flushIfNeeded()
    }

    func flushIfNeeded() {
        if !pendingBatches.isEmpty {
            for batch in pendingBatches { batch.flush() }
            pendingBatches.removeAll(keepingCapacity: true)
        }
        if !unflushedTCP.isEmpty {
            for connection in unflushedTCP.values { connection.flush() }
            unflushedTCP.removeAll(keepingCapacity: true)
        }
    }

    // MARK: ICE-TCP connections (on the loop)

    func tcpConnectionOpened(_ connection: any Channel) {
        guard tcpConnections.count < Self.maximumTCPConnections else {
            connection.close(promise: nil)
            return
        }
        tcpConnections[ObjectIdentifier(connection)] = connection
        // Close connections that never pass an ICE check: they hold a socket and buffers.
        eventLoop.scheduleTask(in: Self.tcpUnauthenticatedTimeout) { [weak self] in
            guard let self, let remote = connection.remoteAddress.flatMap(STUNTransportAddress.init) else { return }
            if self.transportsByPath[PathKey(address: remote, socket: PathKey.tcp)] == nil {
                connection.close(promise: nil)
            }
        }
    }

    func tcpConnectionClosed(_ connection: any Channel, remote: SocketAddress?) {
        tcpConnections[ObjectIdentifier(connection)] = nil
        unflushedTCP[ObjectIdentifier(connection)] = nil
        if let remote = remote.flatMap(STUNTransportAddress.init) {
            transportsByPath[PathKey(address: remote, socket: PathKey.tcp)] = nil
        }
    }

    private func tick() {
        let now = ContinuousClock.now
        // Every worker offers; the clock makes sure each millisecond runs once.
        SCTPStack.shared.advanceTimers(to: now)
        for transport in Array(transportsByID.values) {
            transport.tick(now: now)
        }
        flushIfNeeded()
    }
}

public enum MediaWorkerError: Error, Equatable {
    case noLocalAddress
}

/// Hands each received datagram to the worker and flushes the writes a batch produced.
///
/// `@unchecked Sendable`: `cachedWorker` is only touched on the channel's loop.
final class UDPPathHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    /// Filled once, right after binding, before the first tick.
    let workerBox: NIOLockedValueBox<MediaWorker?>
    /// The worker, read from the box once so the per-datagram path takes no lock.
    private var cachedWorker: MediaWorker?
    private var worker: MediaWorker? {
        if cachedWorker == nil { cachedWorker = workerBox.withLockedValue { $0 } }
        return cachedWorker
    }

    /// Which of the worker's sockets this is (`TransportPath.udp`'s `socket`).
    let socket: Int

    init(workerBox: NIOLockedValueBox<MediaWorker?>, socket: Int) {
        self.workerBox = workerBox
        self.socket = socket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        guard let worker else { return }
        worker.beginReadBatch()
        worker.handle(&envelope.data, from: .udp(envelope.remoteAddress, socket: socket))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker?.finishReadBatch()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket reports ICMP errors (e.g. port unreachable) as read errors; they concern
        // one peer, not the socket, so keep it open.
    }
}

/// RFC 4571 framing for ICE-TCP: each packet is preceded by its 16-bit length.
enum TCPFraming {
    static func handlers(workerBox: NIOLockedValueBox<MediaWorker?>) -> [any ChannelHandler] {
        [ByteToMessageHandler(LengthFieldBasedFrameDecoder(lengthFieldBitLength: .twoBytes)),
         LengthFieldPrepender(lengthFieldBitLength: .twoBytes),
         TCPPathHandler(workerBox: workerBox)]
    }
}

/// Hands each RFC 4571 frame of an ICE-TCP connection to the worker.
///
/// `@unchecked Sendable`: `cachedWorker` is only touched on the channel's loop.
final class TCPPathHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    let workerBox: NIOLockedValueBox<MediaWorker?>
    private var cachedWorker: MediaWorker?
    private var worker: MediaWorker? {
        if cachedWorker == nil { cachedWorker = workerBox.withLockedValue { $0 } }
        return cachedWorker
    }

    init(workerBox: NIOLockedValueBox<MediaWorker?>) {
        self.workerBox = workerBox
    }

    func channelActive(context: ChannelHandlerContext) {
        worker?.tcpConnectionOpened(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        worker?.tcpConnectionClosed(context.channel, remote: context.channel.remoteAddress)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let worker else { return }
        worker.beginReadBatch()
        worker.handle(&frame, from: .tcp(context.channel))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker?.finishReadBatch()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A broken frame or a reset: this connection is done; others are unaffected.
        context.close(promise: nil)
    }
}
