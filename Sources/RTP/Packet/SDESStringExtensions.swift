/// Shared coding of the SDES-item string extensions (mid, rid, repaired-rid): the value is
/// the ASCII string itself, no terminator (RFC 8843 §15.1, RFC 8852 §3.1/§3.2).
@usableFromInline
enum SDESStringExtensionCoding {
    /// The two-byte form allows 255 value bytes (RFC 8285 §4.3); SDES items are also ≤ 255.
    @usableFromInline static let maximumLength = 255

    /// Value length up to the first NUL: some senders pad with zero bytes, which are not part
    /// of the identifier.
    @usableFromInline
    static func significantLength(_ value: UnsafeRawBufferPointer) -> Int {
        var length = 0
        while length < value.count, value.load(fromByteOffset: length, as: UInt8.self) != 0 {
            length += 1
        }
        return length
    }

    /// Visible ASCII only: mid is an SDP token, rid is alphanumeric plus "-" and "_".
    @usableFromInline
    static func isAllowed(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    static func read(_ value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) -> String {
        let length = significantLength(value)
        guard length > 0 else { throw .emptyValue }
        guard length <= maximumLength else { throw .valueTooLong(length: length, maximum: maximumLength) }
        for index in 0..<length {
            let byte = value.load(fromByteOffset: index, as: UInt8.self)
            guard isAllowed(byte) else { throw .invalidCharacter(byte) }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: value[0..<length]), as: UTF8.self)
    }

    static func validate(_ string: String) throws(RTPHeaderExtensionError) -> Int {
        var length = 0
        for byte in string.utf8 {
            guard isAllowed(byte) else { throw .invalidCharacter(byte) }
            length += 1
        }
        guard length > 0 else { throw .emptyValue }
        guard length <= maximumLength else { throw .valueTooLong(length: length, maximum: maximumLength) }
        return length
    }

    static func write(_ string: String, into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int {
        let length = try validate(string)
        try value.requireExtensionSpace(length)
        var index = 0
        for byte in string.utf8 {
            value.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
            index += 1
        }
        return length
    }

    /// Byte-wise comparison with a known identifier; no String is created.
    @usableFromInline
    static func value(_ value: UnsafeRawBufferPointer, equals known: String) -> Bool {
        let length = significantLength(value)
        var index = 0
        for byte in known.utf8 {
            guard index < length, value.load(fromByteOffset: index, as: UInt8.self) == byte else { return false }
            index += 1
        }
        return index == length
    }
}

/// An SDES-item string extension: the value is an identifier written as its ASCII bytes.
/// Conforming types get reading, writing and allocation-free comparison from here.
public protocol SDESStringExtension: RTPHeaderExtensionValue {
    var value: String { get }
    init(_ value: String)
}

extension SDESStringExtension {
    public init(extensionValue value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) {
        self.init(try SDESStringExtensionCoding.read(value))
    }

    public var encodedLength: Int { value.utf8.count }

    public func write(into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int {
        try SDESStringExtensionCoding.write(self.value, into: value)
    }

    /// Whether the raw value bytes spell `known`, without allocating.
    @inlinable
    public static func value(_ value: UnsafeRawBufferPointer, equals known: String) -> Bool {
        SDESStringExtensionCoding.value(value, equals: known)
    }
}

/// Media identification (`a=mid`) carried per packet (RFC 8843 §15).
public struct MidExtension: SDESStringExtension, Hashable {
    public static let uri = "urn:ietf:params:rtp-hdrext:sdes:mid"
    public var value: String

    public init(_ value: String) { self.value = value }
}

/// RTP stream identifier (`a=rid`) of a simulcast layer (RFC 8852 §3.1).
public struct RTPStreamIDExtension: SDESStringExtension, Hashable {
    public static let uri = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    public var value: String

    public init(_ value: String) { self.value = value }
}

/// The rid of the stream a repair (RTX/FEC) stream protects (RFC 8852 §3.2).
public struct RepairedRTPStreamIDExtension: SDESStringExtension, Hashable {
    public static let uri = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    public var value: String

    public init(_ value: String) { self.value = value }
}
