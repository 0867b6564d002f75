/// MSB-first bit reader for the dependency descriptor (AV1 RTP spec Appendix A.8 uses `f(n)`
/// and `ns(n)`). Lives only for the duration of one parse; it never escapes the buffer.
public struct DependencyDescriptorBitReader {
    public let bytes: UnsafeRawBufferPointer
    /// Bits consumed so far (the spec's TotalConsumedBits).
    public private(set) var bitOffset: Int = 0

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public var remainingBits: Int { bytes.count * 8 - bitOffset }

    /// A.8 `f(n)`: n-bit unsigned, most significant bit first (n ≤ 32).
    public mutating func read(_ count: Int) throws(DependencyDescriptorError) -> UInt32 {
        guard count >= 0, count <= 32 else { throw .invalidBitCount(count) }
        guard count <= remainingBits else {
            throw .truncated(neededBits: bitOffset + count, availableBits: bytes.count * 8)
        }
        var value: UInt32 = 0
        for _ in 0..<count {
            let byte = bytes[bitOffset >> 3]
            let bit = (byte >> (7 - UInt8(bitOffset & 7))) & 1
            value = value << 1 | UInt32(bit)
            bitOffset += 1
        }
        return value
    }

    public mutating func readFlag() throws(DependencyDescriptorError) -> Bool {
        try read(1) == 1
    }

    /// A.8 `ns(n)`: non-symmetric unsigned value in 0..<n, using w-1 or w bits.
    public mutating func readNonSymmetric(_ n: UInt32) throws(DependencyDescriptorError) -> UInt32 {
        var width = 0
        var x = n
        while x != 0 {
            x >>= 1
            width += 1
        }
        let m = (UInt32(1) << UInt32(width)) &- n
        let v = try read(max(width - 1, 0))
        if v < m { return v }
        let extra = try read(1)
        return (v << 1) &- m &+ extra
    }
}
