/// A parsed STUN message (RFC 8489 §5, §14). Holds the header fields, decoded small
/// attributes and byte ranges/offsets into the caller's buffer; never a pointer or a copy.
///
/// Parsing walks the attributes once and allocates nothing. Pass the same buffer to the
/// accessors that take `in bytes:`.
public struct STUNMessage: Sendable, Equatable {
    /// RFC 8489 §5.
    public static let magicCookie: UInt32 = 0x2112_A442
    public static let headerLength = 20

    public var type: STUNMessageType
    /// The header's length field: bytes after the 20-byte header.
    public var length: Int
    public var transactionID: STUNTransactionID

    /// USERNAME value (RFC 8489 §14.3).
    public var username: Range<Int>?
    /// Offset of the MESSAGE-INTEGRITY attribute header (RFC 8489 §14.5).
    public var messageIntegrityOffset: Int?
    /// Offset of the FINGERPRINT attribute header (RFC 8489 §14.7).
    public var fingerprintOffset: Int?
    /// XOR-MAPPED-ADDRESS, already un-XORed (RFC 8489 §14.2).
    public var xorMappedAddress: STUNTransportAddress?
    /// MAPPED-ADDRESS (RFC 8489 §14.1), sent only by old servers.
    public var mappedAddress: STUNTransportAddress?
    /// PRIORITY (RFC 8445 §7.1.1).
    public var priority: UInt32?
    /// USE-CANDIDATE present (RFC 8445 §7.1.2).
    public var useCandidate = false
    /// ICE-CONTROLLING tie-breaker (RFC 8445 §7.1.3).
    public var iceControlling: UInt64?
    /// ICE-CONTROLLED tie-breaker (RFC 8445 §7.1.3).
    public var iceControlled: UInt64?
    /// ERROR-CODE (RFC 8489 §14.8).
    public var errorCode: STUNErrorCodeAttribute?
    /// UNKNOWN-ATTRIBUTES value (RFC 8489 §14.9); read it with `unknownAttributeTypes(in:)`.
    public var unknownAttributes: Range<Int>?
    /// SOFTWARE value (RFC 8489 §14.14).
    public var software: Range<Int>?
    /// Comprehension-required attributes (type < 0x8000) this parser does not know, in order of
    /// appearance, deduplicated. Non-empty in a request means: answer 420 listing them
    /// (RFC 8489 §6.3.1.1). Attributes after MESSAGE-INTEGRITY are ignored and not listed.
    public var unknownComprehensionRequired = STUNAttributeTypeList()
    /// Number of attributes in the message.
    public var attributeCount = 0

    /// Parses and validates one whole message; `bytes` must be exactly the message
    /// (a UDP datagram carries one).
    public init(parsing bytes: UnsafeRawBufferPointer) throws(STUNParseError) {
        // RFC 8489 §5: 20-byte header.
        guard bytes.count >= Self.headerLength else {
            throw .truncated(needed: Self.headerLength, available: bytes.count)
        }
        // RFC 8489 §5: the most significant two bits are zero (lets STUN share a port).
        let firstByte = bytes[0]
        guard firstByte & 0xC0 == 0 else { throw .nonZeroLeadingBits(firstByte) }
        let cookie = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian
        guard cookie == Self.magicCookie else { throw .badMagicCookie(cookie) }
        let length = Int(bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self).bigEndian)
        // RFC 8489 §5: attributes are padded, so the length is a multiple of 4.
        guard length % 4 == 0 else { throw .lengthNotMultipleOfFour(length) }
        let total = Self.headerLength + length
        guard bytes.count >= total else { throw .truncated(needed: total, available: bytes.count) }
        guard bytes.count == total else { throw .trailingBytes(declaredLength: length, available: bytes.count) }

        type = STUNMessageType(rawValue: bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self).bigEndian)
        self.length = length
        transactionID = STUNTransactionID(header: bytes)

        var cursor = STUNAttributeCursor(messageLength: length)
        while let attribute = try cursor.next(in: bytes) {
            try record(attribute, in: bytes)
        }
        attributeCount = cursor.count
    }

    /// Convenience for tests and slow paths.
    public init(parsing bytes: [UInt8]) throws(STUNParseError) {
        let result = bytes.withUnsafeBytes { raw -> Result<STUNMessage, STUNParseError> in
            do throws(STUNParseError) {
                return .success(try STUNMessage(parsing: raw))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    /// A cursor over this message's attributes in wire order, for attributes without a typed
    /// field here. Pass it the same buffer this message was parsed from.
    public func attributeCursor() -> STUNAttributeCursor {
        STUNAttributeCursor(messageLength: length)
    }

    /// Stores the typed content of one attribute; the first occurrence of a type wins
    /// (RFC 8489 §14: only the first needs processing).
    private mutating func record(_ attribute: STUNRawAttribute, in bytes: UnsafeRawBufferPointer) throws(STUNParseError) {
        let type = attribute.type
        let value = attribute.value
        // RFC 8489 §14.7: FINGERPRINT is last; anything after it is a malformed message.
        if fingerprintOffset != nil { throw .attributeAfterFingerprint(type: type.rawValue) }
        if type == .fingerprint {
            try Self.requireLength(value, 4, type)
            fingerprintOffset = attribute.offset
            return
        }
        // RFC 8489 §14.5: everything after MESSAGE-INTEGRITY except FINGERPRINT is ignored.
        if messageIntegrityOffset != nil { return }

        switch type {
        case .messageIntegrity:
            // RFC 8489 §14.5: HMAC-SHA1, 20 bytes.
            try Self.requireLength(value, 20, type)
            messageIntegrityOffset = attribute.offset
        case .username:
            if username == nil { username = value }
        case .xorMappedAddress:
            let address = try Self.readAddress(value, type, in: bytes, xorWith: transactionID)
            if xorMappedAddress == nil { xorMappedAddress = address }
        case .mappedAddress:
            let address = try Self.readAddress(value, type, in: bytes, xorWith: nil)
            if mappedAddress == nil { mappedAddress = address }
        case .priority:
            // RFC 8445 §16.1: 32-bit unsigned.
            try Self.requireLength(value, 4, type)
            if priority == nil {
                priority = bytes.loadUnaligned(fromByteOffset: value.lowerBound, as: UInt32.self).bigEndian
            }
        case .useCandidate:
            // RFC 8445 §16.1: no content.
            try Self.requireLength(value, 0, type)
            useCandidate = true
        case .iceControlling:
            // RFC 8445 §16.1: 64-bit tie-breaker.
            try Self.requireLength(value, 8, type)
            if iceControlling == nil {
                iceControlling = bytes.loadUnaligned(fromByteOffset: value.lowerBound, as: UInt64.self).bigEndian
            }
        case .iceControlled:
            try Self.requireLength(value, 8, type)
            if iceControlled == nil {
                iceControlled = bytes.loadUnaligned(fromByteOffset: value.lowerBound, as: UInt64.self).bigEndian
            }
        case .errorCode:
            // RFC 8489 §14.8: 21 reserved bits, 3-bit class, 8-bit number, reason phrase.
            guard value.count >= 4 else {
                throw .malformedAttribute(type: type.rawValue, reason: .badLength(value.count))
            }
            let errorClass = bytes[value.lowerBound + 2] & 0x07
            let number = bytes[value.lowerBound + 3]
            guard (3...6).contains(errorClass), number < 100 else {
                throw .malformedAttribute(
                    type: type.rawValue, reason: .badErrorCode(errorClass: errorClass, number: number))
            }
            if errorCode == nil {
                errorCode = STUNErrorCodeAttribute(
                    code: Int(errorClass) * 100 + Int(number), reasonPhrase: (value.lowerBound + 4)..<value.upperBound)
            }
        case .unknownAttributes:
            // RFC 8489 §14.9: a list of 16-bit types.
            guard value.count % 2 == 0 else {
                throw .malformedAttribute(type: type.rawValue, reason: .badLength(value.count))
            }
            if unknownAttributes == nil { unknownAttributes = value }
        case .software:
            if software == nil { software = value }
        default:
            if type.isComprehensionRequired { unknownComprehensionRequired.appendIfAbsent(type) }
        }
    }

    private static func requireLength(_ value: Range<Int>, _ expected: Int, _ type: STUNAttributeType) throws(STUNParseError) {
        guard value.count == expected else {
            throw .malformedAttribute(type: type.rawValue, reason: .badLength(value.count))
        }
    }

    /// RFC 8489 §14.1 / §14.2: reserved byte, family, port, 4 or 16 address bytes; the XOR
    /// form XORs the port with the cookie's top 16 bits and the address with cookie ‖ transaction ID.
    private static func readAddress(
        _ value: Range<Int>, _ type: STUNAttributeType, in bytes: UnsafeRawBufferPointer,
        xorWith transactionID: STUNTransactionID?
    ) throws(STUNParseError) -> STUNTransportAddress {
        guard value.count >= 4 else {
            throw .malformedAttribute(type: type.rawValue, reason: .badLength(value.count))
        }
        let familyByte = bytes[value.lowerBound + 1]
        guard let family = STUNAddressFamily(rawValue: familyByte) else {
            throw .malformedAttribute(type: type.rawValue, reason: .unknownAddressFamily(familyByte))
        }
        var port = bytes.loadUnaligned(fromByteOffset: value.lowerBound + 2, as: UInt16.self).bigEndian
        let start = value.lowerBound + 4
        switch family {
        case .ipv4:
            guard value.count == 8 else {
                throw .malformedAttribute(type: type.rawValue, reason: .badLength(value.count))
            }
            var address = bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self).bigEndian
            if transactionID != nil {
                port ^= UInt16(truncatingIfNeeded: magicCookie >> 16)
                address ^= magicCookie
            }
            return STUNTransportAddress(ipv4: address, port: port)
        case .ipv6:
            guard value.count == 20 else {
                throw .malformedAttribute(type: type.rawValue, reason: .badLength(value.count))
            }
            var high = bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self).bigEndian
            var low = bytes.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self).bigEndian
            if let id = transactionID {
                port ^= UInt16(truncatingIfNeeded: magicCookie >> 16)
                high ^= UInt64(magicCookie) << 32 | UInt64(id.word0)
                low ^= UInt64(id.word1) << 32 | UInt64(id.word2)
            }
            return STUNTransportAddress(family: .ipv6, high: high, low: low, port: port)
        }
    }
}
