/// Why bytes could not be read as a STUN message (RFC 8489 §5, §14).
/// Every case names what was wrong so a server can log it or answer 400.
public enum STUNParseError: Error, Sendable, Equatable {
    /// Fewer bytes than the header or the header's length field requires.
    case truncated(needed: Int, available: Int)
    /// RFC 8489 §5: the two most significant bits of every STUN message are zero.
    case nonZeroLeadingBits(UInt8)
    /// RFC 8489 §5: the magic cookie must be 0x2112A442.
    case badMagicCookie(UInt32)
    /// RFC 8489 §5: the message length is always a multiple of 4.
    case lengthNotMultipleOfFour(Int)
    /// The buffer holds more bytes than header plus declared length (a datagram carries one message).
    case trailingBytes(declaredLength: Int, available: Int)
    /// RFC 8489 §14: an attribute header or value (with padding) runs past the message end.
    case attributeTruncated(type: UInt16, offset: Int, needed: Int, available: Int)
    /// More attributes than this parser is willing to walk.
    case tooManyAttributes(limit: Int)
    /// RFC 8489 §14.7: FINGERPRINT must be the last attribute.
    case attributeAfterFingerprint(type: UInt16)
    /// A known attribute whose value has the wrong size or contents.
    case malformedAttribute(type: UInt16, reason: STUNMalformedAttributeReason)
}

/// What was wrong inside a known attribute's value.
public enum STUNMalformedAttributeReason: Sendable, Equatable {
    /// The value length is not what the attribute's definition allows.
    case badLength(Int)
    /// RFC 8489 §14.1: address family other than 0x01 (IPv4) or 0x02 (IPv6).
    case unknownAddressFamily(UInt8)
    /// RFC 8489 §14.8: error class must be 3...6 and number 0...99.
    case badErrorCode(errorClass: UInt8, number: UInt8)
}

/// Why a STUN message could not be written.
public enum STUNBuildError: Error, Sendable, Equatable {
    /// The caller's buffer cannot hold the next piece.
    case bufferTooSmall(needed: Int, available: Int)
    /// A value exceeds the size its attribute allows (e.g. USERNAME < 509 bytes, RFC 8489 §14.3).
    case valueTooLong(attributeType: UInt16, length: Int, limit: Int)
    /// RFC 8489 §14.8: codes run from 300 to 699.
    case invalidErrorCode(Int)
    /// Nothing may follow FINGERPRINT, and only FINGERPRINT may follow MESSAGE-INTEGRITY.
    case attributeAfterIntegrityOrFingerprint(attributeType: UInt16)
    /// OpenSSL failed to compute the HMAC.
    case hmacFailed
}
