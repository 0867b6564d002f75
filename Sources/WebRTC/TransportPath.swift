import ICE
public import NIOCore

/// Where a transport's packets go: a UDP peer address, or an ICE-TCP connection (RFC 6544)
/// carrying RFC 4571-framed packets.
public enum TransportPath: Sendable {
    /// A UDP peer, reached from the worker's socket `socket` (see `MediaWorker.SocketIndex`).
    case udp(SocketAddress, socket: Int = MediaWorker.SocketIndex.ipv4)
    case tcp(any Channel)

    public var remoteAddress: SocketAddress? {
        switch self {
        case .udp(let address, _): address
        case .tcp(let channel): channel.remoteAddress
        }
    }

    /// Which of the worker's UDP sockets the path uses; nil for TCP.
    var socket: Int? {
        if case .udp(_, let socket) = self { return socket }
        return nil
    }

    public var isTCP: Bool {
        if case .tcp = self { return true }
        return false
    }
}

/// The routing key of a path: the peer's address plus the local socket it talks to (or TCP),
/// so that peers on the same address stay apart when they use different local sockets.
struct PathKey: Hashable {
    let address: STUNTransportAddress
    /// The worker's UDP socket index, or `PathKey.tcp`.
    let socket: Int

    static let tcp = -1

    var isTCP: Bool { socket == Self.tcp }
}
