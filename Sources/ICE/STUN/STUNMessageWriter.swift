/// Writes one STUN message into a caller-provided buffer (RFC 8489 §5, §14): header first,
/// then attributes in order, keeping the header's length field current after each one so
/// MESSAGE-INTEGRITY and FINGERPRINT can be computed over the bytes as they stand.
///
/// Like the buffer it wraps, a writer must not outlive that buffer. Nothing is allocated.
public struct STUNMessageWriter {
    public let buffer: UnsafeMutableRawBufferPointer
    /// Bytes written so far (header included): the message size once done.
    public private(set) var count: Int
    private var hasMessageIntegrity = false
    private var hasFingerprint = false

    /// RFC 8489 §14.3: a USERNAME sent is fewer than 509 bytes.
    public static let maximumUsernameLength = 508
    /// RFC 8489 §14.8, §14.14: reason phrase and SOFTWARE are fewer than 128 characters,
    /// at most 763 bytes (only the byte bound is enforced).
    public static let maximumTextLength = 763

    /// Writes the 20-byte header with length 0.
    public init(into buffer: UnsafeMutableRawBufferPointer, type: STUNMessageType, transactionID: STUNTransactionID)
        throws(STUNBuildError)
    {
        guard buffer.count >= STUNMessage.headerLength else {
            throw .bufferTooSmall(needed: STUNMessage.headerLength, available: buffer.count)
        }
        self.buffer = buffer
        count = STUNMessage.headerLength
        buffer.storeBytes(of: type.rawValue.bigEndian, toByteOffset: 0, as: UInt16.self)
        buffer.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: STUNMessage.magicCookie.bigEndian, toByteOffset: 4, as: UInt32.self)
        transactionID.write(to: buffer, at: 8)
    }

    /// The written message.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[0..<count]) }

    /// Space one attribute with a value of `valueLength` bytes takes, header and padding included.
    public static func encodedSize(valueLength: Int) -> Int { 4 + ((valueLength + 3) & ~3) }

    /// Appends one attribute: reserves header + padded value, lets `fill` write the value
    /// into exactly `valueLength` bytes, zeroes the padding, updates the header length.
    public mutating func appendAttribute(
        _ type: STUNAttributeType, valueLength: Int, fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(STUNBuildError) {
        // RFC 8489 §14.5, §14.7: only FINGERPRINT follows MESSAGE-INTEGRITY; nothing follows FINGERPRINT.
        if hasFingerprint || (hasMessageIntegrity && type != .fingerprint) {
            throw .attributeAfterIntegrityOrFingerprint(attributeType: type.rawValue)
        }
        guard valueLength >= 0, valueLength <= Int(UInt16.max) else {
            throw .valueTooLong(attributeType: type.rawValue, length: valueLength, limit: Int(UInt16.max))
        }
        let size = Self.encodedSize(valueLength: valueLength)
        let newCount = count + size
        // RFC 8489 §5: the length field is 16 bits.
        guard newCount - STUNMessage.headerLength <= Int(UInt16.max) else {
            throw .valueTooLong(attributeType: type.rawValue, length: valueLength, limit: Int(UInt16.max))
        }
        guard newCount <= buffer.count else { throw .bufferTooSmall(needed: newCount, available: buffer.count) }
        buffer.storeBytes(of: type.rawValue.bigEndian, toByteOffset: count, as: UInt16.self)
        buffer.storeBytes(of: UInt16(valueLength).bigEndian, toByteOffset: count + 2, as: UInt16.self)
        let valueStart = count + 4
        // The header length covers this attribute before `fill` runs: MESSAGE-INTEGRITY and
        // FINGERPRINT are computed over a header that already counts them (RFC 8489 §14.5, §14.7).
        buffer.storeBytes(
            of: UInt16(newCount - STUNMessage.headerLength).bigEndian, toByteOffset: 2, as: UInt16.self)
        fill(UnsafeMutableRawBufferPointer(rebasing: buffer[valueStart..<(valueStart + valueLength)]))
        // RFC 8489 §14: padding to a multiple of 4; zero is what receivers expect to see.
        for index in (valueStart + valueLength)..<newCount { buffer[index] = 0 }
        count = newCount
    }

    /// Appends an attribute with the given value bytes.
    public mutating func appendAttribute(_ type: STUNAttributeType, value: UnsafeRawBufferPointer) throws(STUNBuildError) {
        try appendAttribute(type, valueLength: value.count) { $0.copyMemory(from: value) }
    }

    /// Appends a text attribute (USERNAME, SOFTWARE, ...) as UTF-8, refusing values longer than
    /// `limit` bytes.
    public mutating func appendText(
        _ type: STUNAttributeType, _ text: String, limit: Int = STUNMessageWriter.maximumTextLength
    ) throws(STUNBuildError) {
        let length = text.utf8.count
        guard length <= limit else {
            throw .valueTooLong(attributeType: type.rawValue, length: length, limit: limit)
        }
        try appendAttribute(type, valueLength: length) { value in
            var index = 0
            for unit in text.utf8 {
                value[index] = unit
                index += 1
            }
        }
    }

    /// RFC 8489 §14.3.
    public mutating func appendUsername(_ username: String) throws(STUNBuildError) {
        try appendText(.username, username, limit: Self.maximumUsernameLength)
    }

    /// RFC 8489 §14.14.
    public mutating func appendSoftware(_ software: String) throws(STUNBuildError) {
        try appendText(.software, software)
    }

    /// RFC 8445 §7.1.1.
    public mutating func appendPriority(_ priority: UInt32) throws(STUNBuildError) {
        try appendAttribute(.priority, valueLength: 4) { $0.storeBytes(of: priority.bigEndian, as: UInt32.self) }
    }

    /// RFC 8445 §7.1.2: no value.
    public mutating func appendUseCandidate() throws(STUNBuildError) {
        try appendAttribute(.useCandidate, valueLength: 0) { _ in }
    }

    /// RFC 8445 §7.1.3.
    public mutating func appendICEControlling(tieBreaker: UInt64) throws(STUNBuildError) {
        try appendAttribute(.iceControlling, valueLength: 8) { $0.storeBytes(of: tieBreaker.bigEndian, as: UInt64.self) }
    }

    /// RFC 8445 §7.1.3.
    public mutating func appendICEControlled(tieBreaker: UInt64) throws(STUNBuildError) {
        try appendAttribute(.iceControlled, valueLength: 8) { $0.storeBytes(of: tieBreaker.bigEndian, as: UInt64.self) }
    }

    /// Appends ICE-CONTROLLING or ICE-CONTROLLED for the role.
    public mutating func appendRole(_ role: STUNICERole) throws(STUNBuildError) {
        switch role {
        case .controlling(let tieBreaker): try appendICEControlling(tieBreaker: tieBreaker)
        case .controlled(let tieBreaker): try appendICEControlled(tieBreaker: tieBreaker)
        }
    }

    /// RFC 8489 §14.2: port XOR cookie's top 16 bits, address XOR cookie (‖ transaction ID for IPv6).
    public mutating func appendXORMappedAddress(_ address: STUNTransportAddress) throws(STUNBuildError) {
        let id = STUNTransactionID(header: UnsafeRawBufferPointer(buffer))
        try appendAddress(.xorMappedAddress, address, xorWith: id)
    }

    /// RFC 8489 §14.1 (plain form; only for RFC 3489 compatibility).
    public mutating func appendMappedAddress(_ address: STUNTransportAddress) throws(STUNBuildError) {
        try appendAddress(.mappedAddress, address, xorWith: nil)
    }

    private mutating func appendAddress(
        _ type: STUNAttributeType, _ address: STUNTransportAddress, xorWith id: STUNTransactionID?
    ) throws(STUNBuildError) {
        let cookie = STUNMessage.magicCookie
        try appendAttribute(type, valueLength: 4 + address.addressLength) { value in
            value[0] = 0
            value[1] = address.family.rawValue
            let port = id == nil ? address.port : address.port ^ UInt16(truncatingIfNeeded: cookie >> 16)
            value.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self)
            switch address.family {
            case .ipv4:
                let ip = UInt32(truncatingIfNeeded: address.high >> 32)
                value.storeBytes(of: (id == nil ? ip : ip ^ cookie).bigEndian, toByteOffset: 4, as: UInt32.self)
            case .ipv6:
                var high = address.high
                var low = address.low
                if let id {
                    high ^= UInt64(cookie) << 32 | UInt64(id.word0)
                    low ^= UInt64(id.word1) << 32 | UInt64(id.word2)
                }
                value.storeBytes(of: high.bigEndian, toByteOffset: 4, as: UInt64.self)
                value.storeBytes(of: low.bigEndian, toByteOffset: 12, as: UInt64.self)
            }
        }
    }

    /// RFC 8489 §14.8: code 300...699 and a UTF-8 reason phrase (at most 763 bytes).
    public mutating func appendErrorCode(_ code: Int, reason: String) throws(STUNBuildError) {
        guard (300...699).contains(code) else { throw .invalidErrorCode(code) }
        let reasonLength = reason.utf8.count
        guard reasonLength <= Self.maximumTextLength else {
            throw .valueTooLong(
                attributeType: STUNAttributeType.errorCode.rawValue, length: reasonLength,
                limit: Self.maximumTextLength)
        }
        try appendAttribute(.errorCode, valueLength: 4 + reasonLength) { value in
            value[0] = 0
            value[1] = 0
            value[2] = UInt8(code / 100)
            value[3] = UInt8(code % 100)
            var index = 4
            for unit in reason.utf8 {
                value[index] = unit
                index += 1
            }
        }
    }

    /// RFC 8489 §14.9: the types a 420 response did not understand.
    public mutating func appendUnknownAttributes(_ types: some Collection<STUNAttributeType>) throws(STUNBuildError) {
        try appendAttribute(.unknownAttributes, valueLength: 2 * types.count) { value in
            var offset = 0
            for type in types {
                value.storeBytes(of: type.rawValue.bigEndian, toByteOffset: offset, as: UInt16.self)
                offset += 2
            }
        }
    }

    /// RFC 8489 §14.5: HMAC-SHA1 over everything written so far, with the header length already
    /// covering MESSAGE-INTEGRITY itself. For ICE the key is the password bytes (RFC 8445 §7.2.2).
    public mutating func appendMessageIntegrity(key: UnsafeRawBufferPointer) throws(STUNBuildError) {
        let integrityOffset = count
        let buffer = self.buffer
        var failed = false
        try appendAttribute(.messageIntegrity, valueLength: STUNHMACSHA1.outputLength) { value in
            // The length field now covers this attribute; the HMAC input stops before it.
            let signed = UnsafeRawBufferPointer(rebasing: buffer[0..<integrityOffset])
            failed = !STUNHMACSHA1.authenticate(key: key, data: signed, into: value)
        }
        if failed { throw .hmacFailed }
        hasMessageIntegrity = true
    }

    /// `key` as any contiguous bytes, e.g. `password.utf8` or a `[UInt8]`.
    public mutating func appendMessageIntegrity(key: some Collection<UInt8>) throws(STUNBuildError) {
        let result = key.withContiguousStorageIfAvailable { keyBytes -> Result<Void, STUNBuildError> in
            do throws(STUNBuildError) {
                try appendMessageIntegrity(key: UnsafeRawBufferPointer(keyBytes))
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        if let result {
            try result.get()
        } else {
            try appendMessageIntegrity(key: Array(key))
        }
    }

    /// RFC 8489 §14.7: CRC-32 of everything before it, XOR 0x5354554E; always last.
    public mutating func appendFingerprint() throws(STUNBuildError) {
        let fingerprintOffset = count
        let buffer = self.buffer
        try appendAttribute(.fingerprint, valueLength: 4) { value in
            let crc = STUNCRC32.fingerprint(UnsafeRawBufferPointer(rebasing: buffer[0..<fingerprintOffset]))
            value.storeBytes(of: crc.bigEndian, as: UInt32.self)
        }
        hasFingerprint = true
    }
}

/// RFC 8445 §7.1.3: the sender's role in a connectivity check, with its tie-breaker.
public enum STUNICERole: Sendable, Hashable {
    case controlling(tieBreaker: UInt64)
    case controlled(tieBreaker: UInt64)
}
