/// One attribute as found in the buffer: its type, where its 4-byte header starts, and the
/// byte range of its value (without padding).
public struct STUNRawAttribute: Sendable, Hashable {
    public var type: STUNAttributeType
    /// Offset of the attribute's type field in the message buffer.
    public var offset: Int
    /// The value bytes, excluding the padding to a 4-byte boundary.
    public var value: Range<Int>
}

/// Walks the attributes of a message in order (RFC 8489 §14), bounds-checking each one.
/// Holds only offsets; pass the same buffer to every `next(in:)`.
public struct STUNAttributeCursor: Sendable {
    /// At most this many attributes are walked before the message is refused: a 64 KiB message
    /// could otherwise hold 16 K empty attributes.
    public static let maximumAttributeCount = 64

    public private(set) var offset: Int
    public let end: Int
    public private(set) var count = 0

    /// Starts after the header of a message whose header has already been validated.
    public init(messageLength: Int) {
        offset = STUNMessage.headerLength
        end = STUNMessage.headerLength + messageLength
    }

    /// The next attribute, or nil at the end of the message.
    public mutating func next(in bytes: UnsafeRawBufferPointer) throws(STUNParseError) -> STUNRawAttribute? {
        guard offset < end else { return nil }
        guard end <= bytes.count else {
            throw .truncated(needed: end, available: bytes.count)
        }
        // RFC 8489 §14: 16-bit type, 16-bit value length, value padded to a multiple of 4.
        guard end - offset >= 4 else {
            throw .attributeTruncated(type: 0, offset: offset, needed: 4, available: end - offset)
        }
        let type = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian
        let valueLength = Int(bytes.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self).bigEndian)
        let paddedLength = (valueLength + 3) & ~3
        let valueStart = offset + 4
        guard paddedLength <= end - valueStart else {
            throw .attributeTruncated(
                type: type, offset: offset, needed: 4 + paddedLength, available: end - offset)
        }
        guard count < Self.maximumAttributeCount else {
            throw .tooManyAttributes(limit: Self.maximumAttributeCount)
        }
        count += 1
        let attribute = STUNRawAttribute(
            type: STUNAttributeType(rawValue: type), offset: offset,
            value: valueStart..<(valueStart + valueLength))
        offset = valueStart + paddedLength
        return attribute
    }
}
