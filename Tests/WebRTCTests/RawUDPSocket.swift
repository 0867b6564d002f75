import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A plain UDP socket on loopback for tests that play a misbehaving or moving peer.
final class RawUDPSocket: @unchecked Sendable {
    private let channel: any Channel
    private let received: NIOLockedValueBox<[[UInt8]]>

    private init(channel: any Channel, received: NIOLockedValueBox<[[UInt8]]>) {
        self.channel = channel
        self.received = received
    }

    static func bind(on group: any EventLoopGroup) async throws -> RawUDPSocket {
        let received = NIOLockedValueBox<[[UInt8]]>([])
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.pipeline.addHandler(Collector(received: received))
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RawUDPSocket(channel: channel, received: received)
    }

    var localAddress: SocketAddress? { channel.localAddress }
    var datagrams: [[UInt8]] { received.withLockedValue { $0 } }

    func send(_ bytes: [UInt8], to address: SocketAddress) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes)))
    }

    func close() async throws { try await channel.close() }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let received: NIOLockedValueBox<[[UInt8]]>
        init(received: NIOLockedValueBox<[[UInt8]]>) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).data.readableBytesView)
            received.withLockedValue { $0.append(bytes) }
        }
    }
}
