import ICE
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix

/// One event loop with its own UDP socket: every transport placed here is created, fed and
/// closed on this loop only, so the media path needs no locks (mediasoup's worker model).
///
/// Incoming datagrams are routed without allocating: STUN requests by the local ICE username
/// fragment, everything else by the sender's address, which must first have passed an
/// authenticated ICE check. Writes made while handling a batch of reads go out together when
/// the batch ends (NIO turns them into one `sendmmsg`).
///
/// `@unchecked Sendable`: the mutable state is touched only on `eventLoop` (asserted in debug
/// builds); other threads reach it through `execute`/`submit`.
public final class MediaWorker: @unchecked Sendable {
    public let index: Int
    public let eventLoop: any EventLoop
    /// The bound UDP address (its port is what candidates announce).
    public let localAddress: SocketAddress
    private let channel: any Channel

    private var transportsByUsernameFragment: [String: WebRTCTransport] = [:]
    private var transportsByAddress: [STUNTransportAddress: WebRTCTransport] = [:]
    private var transportsByID: [UInt64: WebRTCTransport] = [:]
    private var nextTransportID: UInt64 = 1
    private var unflushedWrites = false
    private var tickTask: RepeatedTask?
    private var _counters = MediaWorkerCounters()

    /// How often DTLS retransmissions, ICE consent and client checks are looked at.
    static let tickInterval = TimeAmount.milliseconds(20)
    /// Datagrams read per `recvmmsg` call.
    static let vectorReadCount = 32
    /// Larger than any datagram WebRTC sends (browsers keep packets under ~1250 bytes).
    static let maximumDatagramSize = 2048

    private init(index: Int, eventLoop: any EventLoop, channel: any Channel, localAddress: SocketAddress) {
        self.index = index
        self.eventLoop = eventLoop
        self.channel = channel
        self.localAddress = localAddress
    }

    /// Binds a UDP socket on `eventLoop` and starts the worker.
    public static func bind(index: Int, host: String, port: Int, on eventLoop: any EventLoop) async throws -> MediaWorker {
        let handlerBox = NIOLockedValueBox<MediaWorkerHandler?>(nil)
        let channel = try await DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            // NIO splits one receive buffer across the vector's messages: size it per message.
            .channelOption(.recvAllocator,
                           value: FixedSizeRecvByteBufferAllocator(capacity: vectorReadCount * maximumDatagramSize))
            .channelInitializer { channel in
                let handler = MediaWorkerHandler()
                handlerBox.withLockedValue { $0 = handler }
                return channel.pipeline.addHandler(handler)
            }
            .bind(host: host, port: port)
            .get()
        guard let localAddress = channel.localAddress else {
            try? await channel.close()
            throw MediaWorkerError.noLocalAddress
        }
        let worker = MediaWorker(index: index, eventLoop: eventLoop, channel: channel, localAddress: localAddress)
        try await eventLoop.submit {
            handlerBox.withLockedValue { $0?.worker = worker }
            worker.tickTask = eventLoop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in
                worker.tick()
            }
        }.get()
        return worker
    }

    /// Stops the worker: closes every transport and the socket.
    public func close() async {
        try? await eventLoop.submit {
            self.tickTask?.cancel()
            for transport in self.transportsByID.values { transport.close() }
        }.get()
        try? await channel.close()
    }

    /// Runs `body` on the worker's loop.
    public func submit<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await eventLoop.submit(body).get()
    }

    /// Packet counters, read on the loop.
    public var counters: MediaWorkerCounters {
        get async { (try? await eventLoop.submit { self._counters }.get()) ?? MediaWorkerCounters() }
    }

    /// Number of transports on this worker (for placing new rooms on the least-loaded worker).
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

    /// Lets non-STUN datagrams from `address` reach `transport` (the address passed ICE).
    func route(_ address: STUNTransportAddress, to transport: WebRTCTransport) {
        eventLoop.assertInEventLoop()
        transportsByAddress[address] = transport
    }

    func unregister(_ transport: WebRTCTransport) {
        eventLoop.assertInEventLoop()
        transportsByID[transport.id] = nil
        if transportsByUsernameFragment[transport.localCredentials.usernameFragment] === transport {
            transportsByUsernameFragment[transport.localCredentials.usernameFragment] = nil
        }
        transportsByAddress = transportsByAddress.filter { $0.value !== transport }
    }

    func transport(id: UInt64) -> WebRTCTransport? {
        eventLoop.assertInEventLoop()
        return transportsByID[id]
    }

    // MARK: Data path (on the loop)

    func handle(datagram buffer: inout ByteBuffer, from remote: SocketAddress) {
        _counters.datagramsReceived &+= 1
        let kind: DatagramKind = buffer.withUnsafeReadableBytes { bytes in
            guard let first = bytes.first else { return .unknown }
            return DatagramKind.classify(firstByte: first, secondByte: bytes.count > 1 ? bytes[1] : nil)
        }
        guard let source = STUNTransportAddress(remote) else { return }
        switch kind {
        case .stun:
            handleSTUN(&buffer, from: remote, source: source)
        case .dtls, .rtp, .rtcp:
            guard let transport = transportsByAddress[source] else {
                _counters.droppedFromUnknownAddress &+= 1
                return
            }
            transport.handle(&buffer, kind: kind, from: source)
        case .unknown:
            _counters.droppedUnknownKind &+= 1
        }
    }

    private func handleSTUN(_ buffer: inout ByteBuffer, from remote: SocketAddress, source: STUNTransportAddress) {
        // Requests find their transport by the USERNAME they carry (ours is the first part);
        // responses to our own checks (client role) by the address we sent them to.
        let isRequest = buffer.withUnsafeReadableBytes { bytes in
            bytes.count >= 2 && (bytes[0] & 0x01) == 0 && (bytes[1] & 0x10) == 0
        }
        if isRequest {
            let fragment = buffer.withUnsafeReadableBytes { ICELiteAgent.localUsernameFragment(of: $0) }
            guard let fragment, let transport = transportsByUsernameFragment[fragment] else {
                _counters.droppedSTUNForUnknownUsername &+= 1
                return
            }
            transport.handleSTUNRequest(buffer, from: remote, source: source)
        } else if let transport = transportsByAddress[source] {
            transport.handleSTUNResponse(buffer, from: source)
        } else {
            _counters.droppedFromUnknownAddress &+= 1
        }
    }

    func countDropped(_ keyPath: WritableKeyPath<MediaWorkerCounters, UInt64>) {
        _counters[keyPath: keyPath] &+= 1
    }

    /// A buffer for an outgoing datagram of up to `capacity` bytes.
    func allocateBuffer(capacity: Int) -> ByteBuffer {
        channel.allocator.buffer(capacity: capacity)
    }

    /// Queues a datagram; it is flushed with the rest of the batch.
    func send(_ buffer: ByteBuffer, to remote: SocketAddress) {
        _counters.datagramsSent &+= 1
        channel.write(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
        unflushedWrites = true
    }

    func flushIfNeeded() {
        guard unflushedWrites else { return }
        unflushedWrites = false
        channel.flush()
    }

    private func tick() {
        let now = ContinuousClock.now
        for transport in Array(transportsByID.values) {
            transport.tick(now: now)
        }
        flushIfNeeded()
    }
}

public enum MediaWorkerError: Error, Equatable {
    case noLocalAddress
}

/// Hands each received datagram to its worker and flushes the writes a batch produced.
final class MediaWorkerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// Set once on the loop right after binding; only touched on the loop.
    var worker: MediaWorker?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        worker?.handle(datagram: &envelope.data, from: envelope.remoteAddress)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker?.flushIfNeeded()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket reports ICMP errors (e.g. port unreachable) as read errors; they concern
        // one peer, not the socket, so keep it open.
    }
}
