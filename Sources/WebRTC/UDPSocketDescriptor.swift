import Glibc
import NIOCore

/// Makes the worker's bound UDP sockets itself (NIO then reads them through
/// `DatagramBootstrap.withBoundSocket`), so that `UDPSendBatch` can send on the descriptor.
enum UDPSocketDescriptor {
    /// A non-blocking UDP socket bound to `host`:`port` (0 picks a free port).
    static func bind(host: String, port: Int) throws -> CInt {
        let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let descriptor = Glibc.socket(address.protocol.rawValue, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                                      | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        do {
            if address.protocol == .inet6 {
                // Keep IPv4 on its own socket: a dual-stack socket would report IPv4 peers as
                // IPv4-mapped IPv6 addresses, which candidates and STUN must not carry.
                var on: CInt = 1
                guard setsockopt(descriptor, CInt(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
                    throw IOError(errnoCode: errno, reason: "setsockopt(IPV6_V6ONLY)")
                }
            }
            // No SO_REUSEADDR: on Linux it lets an ephemeral bind reuse a port another UDP socket
            // holds, which would merge two peers into one address (UDP has no TIME_WAIT to avoid).
            let result = address.withSockAddr { Glibc.bind(descriptor, $0, socklen_t($1)) }
            guard result == 0 else { throw IOError(errnoCode: errno, reason: "bind") }
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }
}
