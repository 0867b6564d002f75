/// RFC 8489 §5: the 96-bit transaction ID, held as three big-endian words so it is a
/// small hashable value (a key for matching responses to requests) with no heap storage.
public struct STUNTransactionID: Sendable, Hashable {
    public var word0: UInt32
    public var word1: UInt32
    public var word2: UInt32

    public init(word0: UInt32, word1: UInt32, word2: UInt32) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
    }

    /// Exactly 12 bytes, or nil.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var words: (UInt32, UInt32, UInt32) = (0, 0, 0)
        for (index, byte) in bytes.enumerated() {
            let shifted = UInt32(byte) << UInt32(8 * (3 - index % 4))
            switch index / 4 {
            case 0: words.0 |= shifted
            case 1: words.1 |= shifted
            default: words.2 |= shifted
            }
        }
        self.init(word0: words.0, word1: words.1, word2: words.2)
    }

    /// RFC 8489 §5: "uniformly and randomly chosen from the interval 0 .. 2**96-1", from the
    /// system's cryptographic generator.
    public static func random() -> STUNTransactionID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random(using generator: inout some RandomNumberGenerator) -> STUNTransactionID {
        STUNTransactionID(word0: generator.next(), word1: generator.next(), word2: generator.next())
    }

    /// The 12 wire bytes, most significant first.
    public var bytes: [UInt8] {
        (0..<12).map { byte(at: $0) }
    }

    /// Byte `index` (0...11) of the wire form.
    @inlinable
    public func byte(at index: Int) -> UInt8 {
        let word: UInt32
        switch index / 4 {
        case 0: word = word0
        case 1: word = word1
        default: word = word2
        }
        return UInt8(truncatingIfNeeded: word >> UInt32(8 * (3 - index % 4)))
    }

    /// Reads bytes 8..<20 of a header the caller has already bounds-checked.
    @usableFromInline
    init(header bytes: UnsafeRawBufferPointer) {
        word0 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian
        word1 = bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self).bigEndian
        word2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self).bigEndian
    }

    /// Writes the 12 bytes at `offset`; the caller has checked room.
    @usableFromInline
    func write(to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.storeBytes(of: word0.bigEndian, toByteOffset: offset, as: UInt32.self)
        buffer.storeBytes(of: word1.bigEndian, toByteOffset: offset + 4, as: UInt32.self)
        buffer.storeBytes(of: word2.bigEndian, toByteOffset: offset + 8, as: UInt32.self)
    }
}

extension STUNTransactionID: CustomStringConvertible {
    /// 24 lowercase hex digits, for logs.
    public var description: String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(24)
        for index in 0..<12 {
            let value = byte(at: index)
            text.append(digits[Int(value >> 4)])
            text.append(digits[Int(value & 0xF)])
        }
        return text
    }
}
