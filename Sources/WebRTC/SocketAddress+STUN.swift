public import ICE
public import NIOCore

extension STUNTransportAddress {
    /// The address of a NIO peer as STUN encodes it; nil for Unix-domain sockets. Reads the
    /// sockaddr fields directly: cheap enough to run for every datagram.
    @inlinable
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            let raw = v4.address
            self.init(ipv4: UInt32(bigEndian: raw.sin_addr.s_addr), port: UInt16(bigEndian: raw.sin_port))
        case .v6(let v6):
            let raw = v6.address
            var high: UInt64 = 0
            var low: UInt64 = 0
            withUnsafeBytes(of: raw.sin6_addr) { bytes in
                for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
                for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
            }
            self.init(family: .ipv6, high: high, low: low, port: UInt16(bigEndian: raw.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }
}
