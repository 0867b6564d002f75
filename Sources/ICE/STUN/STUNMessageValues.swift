/// RFC 8445 §7.2.2: a Binding request's USERNAME is "RFRAG:LFRAG" as the sender writes it,
/// i.e. the recipient's ufrag, a colon, the sender's ufrag. Seen from the agent that
/// receives the request, that is `local:remote`.
public struct STUNUsernameFragments: Sendable, Hashable {
    /// The receiving agent's own ufrag (before the colon).
    public var local: Range<Int>
    /// The sending agent's ufrag (after the colon).
    public var remote: Range<Int>
}

extension STUNMessage {
    /// Splits USERNAME at its first colon, without allocating. Nil if there is no USERNAME or
    /// no colon.
    public func usernameFragments(in bytes: UnsafeRawBufferPointer) -> STUNUsernameFragments? {
        guard let username, username.upperBound <= bytes.count else { return nil }
        for index in username where bytes[index] == UInt8(ascii: ":") {
            return STUNUsernameFragments(local: username.lowerBound..<index, remote: (index + 1)..<username.upperBound)
        }
        return nil
    }

    /// USERNAME as a String (slow path: allocates).
    public func usernameString(in bytes: UnsafeRawBufferPointer) -> String? {
        username.flatMap { Self.string($0, in: bytes) }
    }

    /// SOFTWARE as a String (slow path: allocates).
    public func softwareString(in bytes: UnsafeRawBufferPointer) -> String? {
        software.flatMap { Self.string($0, in: bytes) }
    }

    /// ERROR-CODE reason phrase as a String (slow path: allocates).
    public func errorReasonString(in bytes: UnsafeRawBufferPointer) -> String? {
        errorCode.flatMap { Self.string($0.reasonPhrase, in: bytes) }
    }

    /// The types listed in UNKNOWN-ATTRIBUTES (RFC 8489 §14.9), up to the list's capacity.
    public func unknownAttributeTypes(in bytes: UnsafeRawBufferPointer) -> STUNAttributeTypeList {
        var list = STUNAttributeTypeList()
        guard let unknownAttributes, unknownAttributes.upperBound <= bytes.count else { return list }
        var offset = unknownAttributes.lowerBound
        while offset + 2 <= unknownAttributes.upperBound {
            list.append(STUNAttributeType(rawValue: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian))
            offset += 2
        }
        return list
    }

    /// Whether the bytes at `range` are exactly the UTF-8 of `text`, without allocating;
    /// e.g. to match a USERNAME fragment against a known ufrag.
    public static func bytes(_ range: Range<Int>, in bytes: UnsafeRawBufferPointer, equal text: some StringProtocol) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        var index = range.lowerBound
        for unit in text.utf8 {
            guard index < range.upperBound, bytes[index] == unit else { return false }
            index += 1
        }
        return index == range.upperBound
    }

    /// The bytes at `range` decoded as UTF-8 (invalid sequences repaired); nil if out of bounds.
    public static func string(_ range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> String? {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
