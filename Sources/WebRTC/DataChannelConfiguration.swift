/// What the SDP settled for a transport's data channels (RFC 8841): where the peer's SCTP
/// association listens and how large a message each side takes.
public struct DataChannelConfiguration: Sendable, Equatable {
    /// The peer's `a=sctp-port`.
    public var remotePort: UInt16
    /// This side's `a=sctp-port`.
    public var localPort: UInt16
    /// The peer's `a=max-message-size` (RFC 8841 §6): larger messages must not be sent to it.
    /// 0 means the peer takes any size; browsers that omit it take 64 KiB.
    public var remoteMaxMessageSize: Int
    /// What this side advertised: larger incoming messages are dropped and counted.
    public var localMaxMessageSize: Int

    /// The size Parley advertises (RFC 8841 §6): browsers send at most this per message.
    public static let advertisedMaxMessageSize = 262_144

    public init(remotePort: UInt16 = 5000, localPort: UInt16 = 5000,
                remoteMaxMessageSize: Int = 65_536,
                localMaxMessageSize: Int = DataChannelConfiguration.advertisedMaxMessageSize) {
        self.remotePort = remotePort
        self.localPort = localPort
        self.remoteMaxMessageSize = remoteMaxMessageSize
        self.localMaxMessageSize = localMaxMessageSize
    }

    /// Whether the peer takes a message of `size` bytes.
    public func peerAccepts(messageOfSize size: Int) -> Bool {
        remoteMaxMessageSize == 0 || size <= remoteMaxMessageSize
    }
}
