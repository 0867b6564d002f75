/// RFC 8489 §14.1: an IP address family as STUN encodes it.
public enum STUNAddressFamily: UInt8, Sendable, Hashable {
    case ipv4 = 0x01
    case ipv6 = 0x02
}

/// A transport address from (XOR-)MAPPED-ADDRESS: family, 16 address bytes (IPv4 uses the
/// first 4, the rest stay zero) and port. A plain value: no heap storage.
public struct STUNTransportAddress: Sendable, Hashable {
    public var family: STUNAddressFamily
    /// Address bytes 0..<8, big-endian (IPv4: the address sits in the top 32 bits).
    public var high: UInt64
    /// Address bytes 8..<16, big-endian (always zero for IPv4).
    public var low: UInt64
    public var port: UInt16

    public init(family: STUNAddressFamily, high: UInt64, low: UInt64, port: UInt16) {
        self.family = family
        self.high = family == .ipv4 ? high & 0xFFFF_FFFF_0000_0000 : high
        self.low = family == .ipv4 ? 0 : low
        self.port = port
    }

    /// IPv4 from its 32-bit value, e.g. 0xC0000201 for 192.0.2.1.
    public init(ipv4 address: UInt32, port: UInt16) {
        self.init(family: .ipv4, high: UInt64(address) << 32, low: 0, port: port)
    }

    /// IPv4 from four octets.
    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) {
        self.init(ipv4: UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d), port: port)
    }

    /// IPv6 from its eight 16-bit groups; nil unless exactly eight are given.
    public init?(ipv6 groups: [UInt16], port: UInt16) {
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
        self.init(family: .ipv6, high: high, low: low, port: port)
    }

    /// The IPv4 address as a 32-bit value (nil for IPv6).
    public var ipv4Address: UInt32? {
        family == .ipv4 ? UInt32(truncatingIfNeeded: high >> 32) : nil
    }

    /// Address byte `index` (0..<16); IPv4 uses 0..<4.
    public func addressByte(at index: Int) -> UInt8 {
        let word = index < 8 ? high : low
        return UInt8(truncatingIfNeeded: word >> UInt64(8 * (7 - index % 8)))
    }

    /// Number of address bytes the family uses on the wire (4 or 16).
    public var addressLength: Int { family == .ipv4 ? 4 : 16 }

    /// The address alone: dotted quad, or RFC 5952 text (lowercase, longest zero run as `::`).
    public var addressString: String {
        switch family {
        case .ipv4:
            return (0..<4).map { String(addressByte(at: $0)) }.joined(separator: ".")
        case .ipv6:
            var groups = [UInt16](repeating: 0, count: 8)
            for index in 0..<8 {
                groups[index] = UInt16(addressByte(at: 2 * index)) << 8 | UInt16(addressByte(at: 2 * index + 1))
            }
            // RFC 5952 §4.2: compress the longest run (>= 2 groups) of zeros, the first if tied.
            var bestStart = -1
            var bestLength = 0
            var index = 0
            while index < 8 {
                if groups[index] == 0 {
                    var end = index
                    while end < 8 && groups[end] == 0 { end += 1 }
                    if end - index > bestLength {
                        bestStart = index
                        bestLength = end - index
                    }
                    index = end
                } else {
                    index += 1
                }
            }
            if bestLength < 2 { bestStart = -1 }
            func hex(_ range: Range<Int>) -> String {
                range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
            }
            guard bestStart >= 0 else { return hex(0..<8) }
            return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
        }
    }
}

extension STUNTransportAddress: CustomStringConvertible {
    /// `192.0.2.1:32853` or `[2001:db8::1]:32853`.
    public var description: String {
        switch family {
        case .ipv4: return "\(addressString):\(port)"
        case .ipv6: return "[\(addressString)]:\(port)"
        }
    }
}
