public import DTLS

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
    /// DTLS application data: SCTP packets for data channels.
    func transport(_ transport: WebRTCTransport, didReceiveApplicationData bytes: [UInt8])
    /// The transport stopped: consent expired, DTLS failed or closed, or it was closed locally.
    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason)
}

public extension WebRTCTransportDelegate {
    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {}
    func transport(_ transport: WebRTCTransport, didReceiveApplicationData bytes: [UInt8]) {}
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
