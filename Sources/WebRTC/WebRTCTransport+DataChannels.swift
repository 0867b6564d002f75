import DTLS
import NIOCore
public import SCTP

/// Data channels (RFC 8831): an SCTP association carried in this transport's DTLS (RFC 8261),
/// with DCEP (RFC 8832) on top, driven entirely by the worker's loop.
extension WebRTCTransport {
    /// Turns data channels on with what the SDP settled. The association starts as soon as DTLS
    /// is up (at once if it already is); both sides send INIT (RFC 8841 §9.3).
    public func enableDataChannels(_ configuration: DataChannelConfiguration) {
        guard dataChannelConfiguration == nil, !isClosed else { return }
        dataChannelConfiguration = configuration
        startDataChannelsIfReady()
    }

    /// Whether the SCTP association is up, so messages can be sent.
    public var dataChannelsConnected: Bool { dataChannels?.association.state == .connected }

    func startDataChannelsIfReady() {
        guard dataChannels == nil, case .connected = state, let configuration = dataChannelConfiguration else { return }
        // usrsctp may emit a packet for this association from another worker's thread (its
        // timers are global); such packets are copied and handed to this loop.
        let eventLoop = worker.eventLoop
        let owner = NIOLoopBound(WeakTransport(self), eventLoop: eventLoop)
        do {
            let association = try SCTPAssociation(
                localPort: configuration.localPort, remotePort: configuration.remotePort,
                send: { packet in
                    if eventLoop.inEventLoop {
                        owner.value.transport?.sendSCTPPacket(packet)
                    } else {
                        let copy = Array(packet)
                        eventLoop.execute { copy.withUnsafeBytes { owner.value.transport?.sendSCTPPacket($0) } }
                    }
                })
            association.maxReceivedMessageSize = configuration.localMaxMessageSize
            let endpoint = DataChannelEndpoint(association: association, isDTLSClient: dtlsRole == .client)
            wire(endpoint)
            dataChannels = endpoint
            try association.start()
        } catch {
            dataChannels?.association.close()
            dataChannels = nil
            worker.countDropped(\.droppedSCTP)
        }
        worker.flushIfNeeded()
    }

    private func wire(_ endpoint: DataChannelEndpoint) {
        endpoint.association.onConnected = { [unowned self] in
            delegate?.transportDataChannelsDidConnect(self)
        }
        endpoint.onChannelOpened = { [unowned self] channel in
            delegate?.transport(self, didOpenDataChannel: channel)
        }
        endpoint.onMessage = { [unowned self] streamID, kind, bytes in
            delegate?.transport(self, didReceiveDataChannelMessage: bytes, kind: kind, onStream: streamID)
        }
        endpoint.onChannelClosed = { [unowned self] streamID in
            delegate?.transport(self, didCloseDataChannel: streamID)
        }
        endpoint.onRejected = { [unowned self] _ in
            worker.countDropped(\.droppedDataChannelMessages)
        }
    }

    /// An SCTP packet usrsctp wants sent: one DTLS record.
    private func sendSCTPPacket(_ packet: UnsafeRawBufferPointer) {
        do {
            try sendApplicationData(packet)
        } catch {
            worker.countDropped(\.droppedSCTP)
        }
    }

    /// Decrypted DTLS application data: SCTP packets.
    func receiveSCTPPacket(_ bytes: [UInt8]) {
        guard let dataChannels else {
            worker.countDropped(\.droppedSCTP)
            return
        }
        bytes.withUnsafeBytes { dataChannels.association.receive($0) }
        // Each packet from the peer may acknowledge data and free send buffer space.
        delegate?.transportDataChannelsDidReceivePacket(self)
    }

    /// After usrsctp's timers ran: deliver what they produced (e.g. a lost association).
    func pollDataChannels() {
        dataChannels?.association.poll()
    }

    func closeDataChannels() {
        dataChannels?.association.close()
        dataChannels = nil
    }
}

/// Lets usrsctp's callback find a transport that may already be gone.
struct WeakTransport {
    weak var transport: WebRTCTransport?
    init(_ transport: WebRTCTransport) { self.transport = transport }
}
