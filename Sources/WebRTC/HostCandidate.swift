/// An address a server transport can be reached on, in the order of preference the answer
/// lists them (RFC 8445 §5.1.2: earlier ones get higher priorities).
public struct HostCandidate: Sendable, Hashable {
    public enum Transport: Sendable, Hashable {
        case udp
        /// ICE-TCP passive candidate: the peer connects to us (RFC 6544 §4.5).
        case tcpPassive
    }

    public let address: String
    public let port: Int
    public let transport: Transport

    public init(address: String, port: Int, transport: Transport) {
        self.address = address
        self.port = port
        self.transport = transport
    }
}
