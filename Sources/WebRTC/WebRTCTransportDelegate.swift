public import DTLS
public import SCTP

/// Events a transport raises to its owner (the router, an echo session, a test client). All are
/// delivered on the transport's worker loop. Packet buffers are only valid during the call.
public protocol WebRTCTransportDelegate: AnyObject {
    /// ICE selected a path and DTLS finished: media can flow both ways.
    func transportDidConnect(_ transport: WebRTCTransport)
    /// A decrypted RTP packet from the peer, in the receive buffer; mutable so that a forwarder
    /// can rewrite header fields in place before sending copies on.
    func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer)
    /// A decrypted (compound) RTCP packet from the peer.
    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer)
    /// The SCTP association for data channels is up: channels can be opened and used.
    func transportDataChannelsDidConnect(_ transport: WebRTCTransport)
    /// An SCTP packet from the peer was processed: it may have acknowledged data, so messages
    /// that found the send buffer full may fit now.
    func transportDataChannelsDidReceivePacket(_ transport: WebRTCTransport)
    /// The peer opened a data channel (already acknowledged, RFC 8832 §6).
    func transport(_ transport: WebRTCTransport, didOpenDataChannel channel: DataChannel)
    /// A message on a data channel; the bytes are only valid during the call (empty for an
    /// empty message, RFC 8831 §6.6).
    func transport(_ transport: WebRTCTransport, didReceiveDataChannelMessage message: UnsafeRawBufferPointer,
                   kind: DataChannelMessageKind, onStream streamID: UInt16)
    /// A data channel closed (RFC 8831 §6.7).
    func transport(_ transport: WebRTCTransport, didCloseDataChannel streamID: UInt16)
    /// The transport stopped: consent expired, DTLS failed or closed, or it was closed locally.
    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason)
}

public extension WebRTCTransportDelegate {
    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {}
    func transportDataChannelsDidConnect(_ transport: WebRTCTransport) {}
    func transportDataChannelsDidReceivePacket(_ transport: WebRTCTransport) {}
    func transport(_ transport: WebRTCTransport, didOpenDataChannel channel: DataChannel) {}
    func transport(_ transport: WebRTCTransport, didReceiveDataChannelMessage message: UnsafeRawBufferPointer,
                   kind: DataChannelMessageKind, onStream streamID: UInt16) {}
    func transport(_ transport: WebRTCTransport, didCloseDataChannel streamID: UInt16) {}
}

public enum TransportCloseReason: Sendable, Equatable {
    /// No ICE consent for 30 s (RFC 7675): the peer went away or its network changed.
    case consentExpired
    /// The DTLS handshake failed (including a certificate that does not match the SDP).
    case dtlsFailed(DTLSError)
    /// The peer closed DTLS (close_notify).
    case closedByPeer
    /// `close()` was called.
    case closedLocally
}
