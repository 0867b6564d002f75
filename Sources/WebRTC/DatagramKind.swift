/// What a datagram on the shared media port carries, by its first byte (RFC 7983 §7) and, for
/// RTP/RTCP, its payload-type octet (RFC 5761 §4).
public enum DatagramKind: Sendable, Equatable {
    case stun
    case dtls
    case rtp
    case rtcp
    /// ZRTP, TURN channels or noise: nothing Parley speaks.
    case unknown

    @inlinable
    public static func classify(firstByte: UInt8, secondByte: UInt8?) -> DatagramKind {
        switch firstByte {
        case 0...3: return .stun
        case 20...63: return .dtls
        case 128...191:
            // RTCP packet types 192-223 occupy payload-type values 64-95 once the marker bit is
            // masked off; RTP payload types never use that range when RTCP is multiplexed.
            guard let secondByte else { return .unknown }
            return (64...95).contains(secondByte & 0x7F) ? .rtcp : .rtp
        default: return .unknown
        }
    }
}
