/// A parsed RTP fixed header (RFC 3550 §5.1) plus CSRC list and header-extension location.
///
/// Holds field values and byte offsets into the caller's buffer only; parsing neither copies
/// nor allocates. Offsets are relative to the start of the buffer passed to `parse`.
public struct RTPHeader: Sendable, Hashable {
    /// Size of the fixed part of the header (RFC 3550 §5.1).
    public static let fixedLength = 12
    /// The only RTP version in use (RFC 3550 §5.1).
    public static let version: UInt8 = 2

    /// P bit: padding octets follow the payload.
    public let hasPadding: Bool
    /// Number of padding octets at the end of the packet, including the count octet; 0 without P.
    public let paddingLength: Int
    /// X bit: a header extension follows the CSRC list.
    public let hasExtension: Bool
    /// CC field: number of CSRC identifiers (0...15).
    public let csrcCount: Int
    /// M bit.
    public let marker: Bool
    /// 7-bit payload type.
    public let payloadType: UInt8
    public let sequenceNumber: UInt16
    public let timestamp: UInt32
    public let ssrc: UInt32
    /// "Defined by profile" 16 bits of the header extension (RFC 3550 §5.3.1); nil without X.
    public let extensionProfile: UInt16?
    /// Byte range of the extension elements (after the 4-byte extension header);
    /// empty when there is no extension.
    public let extensionRange: Range<Int>
    /// Fixed header + CSRCs + header extension, i.e. the offset of the payload.
    public let headerLength: Int
    /// The payload bytes, excluding padding.
    public let payloadRange: Range<Int>

    @usableFromInline
    init(
        hasPadding: Bool, paddingLength: Int, hasExtension: Bool, csrcCount: Int, marker: Bool,
        payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
        extensionProfile: UInt16?, extensionRange: Range<Int>, headerLength: Int,
        payloadRange: Range<Int>
    ) {
        self.hasPadding = hasPadding
        self.paddingLength = paddingLength
        self.hasExtension = hasExtension
        self.csrcCount = csrcCount
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.extensionProfile = extensionProfile
        self.extensionRange = extensionRange
        self.headerLength = headerLength
        self.payloadRange = payloadRange
    }

    /// Parses the header of the RTP packet that fills `bytes` exactly (the packet length is
    /// needed to locate the padding count in the last octet).
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RTPHeaderError) -> RTPHeader {
        let count = bytes.count
        // RFC 3550 §5.1: the fixed header is 12 octets.
        guard count >= fixedLength else {
            throw .truncated(needed: fixedLength, available: count)
        }
        let first = bytes.load(fromByteOffset: 0, as: UInt8.self)
        // RFC 3550 §5.1: V is the top two bits and must be 2.
        let version = first >> 6
        guard version == Self.version else { throw .unsupportedVersion(version) }
        let second = bytes.load(fromByteOffset: 1, as: UInt8.self)
        let sequenceNumber = bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self).bigEndian
        let timestamp = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian
        let ssrc = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian

        // RFC 3550 §5.1: CC counts 32-bit CSRC identifiers following the fixed header.
        let csrcCount = Int(first & 0x0F)
        var headerLength = fixedLength + 4 * csrcCount
        guard count >= headerLength else {
            throw .truncated(needed: headerLength, available: count)
        }

        // RFC 3550 §5.3.1: with X, a 16-bit profile field and a 16-bit length in 32-bit
        // words (excluding this 4-octet header) follow the CSRCs.
        let hasExtension = first & 0x10 != 0
        var extensionProfile: UInt16? = nil
        var extensionRange = headerLength..<headerLength
        if hasExtension {
            guard count >= headerLength + 4 else {
                throw .truncated(needed: headerLength + 4, available: count)
            }
            extensionProfile = bytes.loadUnaligned(fromByteOffset: headerLength, as: UInt16.self).bigEndian
            let words = Int(bytes.loadUnaligned(fromByteOffset: headerLength + 2, as: UInt16.self).bigEndian)
            let start = headerLength + 4
            let end = start + 4 * words
            guard count >= end else { throw .truncated(needed: end, available: count) }
            extensionRange = start..<end
            headerLength = end
        }

        // RFC 3550 §5.1: with P, the last octet counts the padding octets including itself.
        let hasPadding = first & 0x20 != 0
        var paddingLength = 0
        if hasPadding {
            let available = count - headerLength
            guard available > 0 else { throw .truncated(needed: headerLength + 1, available: count) }
            let declared = bytes.load(fromByteOffset: count - 1, as: UInt8.self)
            guard declared != 0, Int(declared) <= available else {
                throw .invalidPaddingLength(declared, available: available)
            }
            paddingLength = Int(declared)
        }

        return RTPHeader(
            hasPadding: hasPadding, paddingLength: paddingLength, hasExtension: hasExtension,
            csrcCount: csrcCount, marker: second & 0x80 != 0, payloadType: second & 0x7F,
            sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc,
            extensionProfile: extensionProfile, extensionRange: extensionRange,
            headerLength: headerLength, payloadRange: headerLength..<(count - paddingLength))
    }

    /// Convenience for tests and slow paths.
    public static func parse(_ bytes: [UInt8]) throws(RTPHeaderError) -> RTPHeader {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(RTPHeaderError) -> RTPHeader in try parse(raw) }
        }
        return try result.get()
    }

    /// Total packet length this header was parsed from.
    public var packetLength: Int { payloadRange.upperBound + paddingLength }

    /// Byte range of the CSRC list (RFC 3550 §5.1).
    public var csrcRange: Range<Int> { Self.fixedLength..<(Self.fixedLength + 4 * csrcCount) }

    /// Offset of the CSRC at `index`, or nil when `index` is not below `csrcCount`.
    public func csrcOffset(at index: Int) -> Int? {
        guard index >= 0, index < csrcCount else { return nil }
        return Self.fixedLength + 4 * index
    }

    /// The CSRC at `index` read from the buffer this header was parsed from; nil when out of
    /// range or when `bytes` is too short (e.g. a different buffer was passed).
    public func csrc(at index: Int, in bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard let offset = csrcOffset(at: index), offset + 4 <= bytes.count else { return nil }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian
    }

    /// The RFC 8285 form named by `extensionProfile`, or nil when absent or another profile.
    public var extensionForm: RTPHeaderExtensionForm? {
        guard let extensionProfile else { return nil }
        return RTPHeaderExtensionForm(profile: extensionProfile)
    }
}
