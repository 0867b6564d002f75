/// Why an RTP header could not be parsed (RFC 3550 §5.1).
public enum RTPHeaderError: Error, Sendable, Hashable {
    /// The buffer ends before a field that the header says is present.
    case truncated(needed: Int, available: Int)
    /// The version field (top two bits) is not 2.
    case unsupportedVersion(UInt8)
    /// The P bit is set but the last octet is 0 or counts more octets than follow the header.
    case invalidPaddingLength(UInt8, available: Int)
}

/// Why an RTP header could not be written or rewritten in place.
public enum RTPHeaderWriteError: Error, Sendable, Hashable {
    /// The caller-provided buffer is shorter than the bytes to write.
    case bufferTooSmall(needed: Int, available: Int)
    /// Payload types are 7 bits (RFC 3550 §5.1).
    case payloadTypeOutOfRange(UInt8)
    /// The CC field holds at most 15 CSRCs (RFC 3550 §5.1).
    case tooManyCSRCs(Int)
    /// Id 0 is padding in both forms; ids above 255 cannot be encoded (RFC 8285 §4.2/§4.3).
    case invalidExtensionID(UInt8)
    /// An id appears twice in one header.
    case duplicateExtensionID(UInt8)
    /// The two-byte form carries at most 255 value bytes per element (RFC 8285 §4.3).
    case extensionValueTooLong(id: UInt8, length: Int)
    /// The extension length field counts at most 65535 32-bit words (RFC 3550 §5.3.1).
    case extensionBlockTooLong(bytes: Int)
}

/// Why an RFC 8285 header-extension element or value could not be read or written.
public enum RTPHeaderExtensionError: Error, Sendable, Hashable {
    /// An element's declared length runs past the end of the extension block.
    case truncatedElement(id: UInt8, needed: Int, available: Int)
    /// The extension range does not lie inside the buffer handed in.
    case elementsOutsideBuffer(end: Int, bufferCount: Int)
    /// A value has a different length than its format (or an in-place overwrite) requires.
    case valueLengthMismatch(expected: Int, actual: Int)
    /// A value is longer than its format allows.
    case valueTooLong(length: Int, maximum: Int)
    /// A string value (mid, rid) is empty.
    case emptyValue
    /// A string value contains a byte that is not a visible ASCII character.
    case invalidCharacter(UInt8)
    /// A numeric field does not fit its bit width.
    case valueOutOfRange
    /// The destination buffer is shorter than the encoded value.
    case bufferTooSmall(needed: Int, available: Int)
}
