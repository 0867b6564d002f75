/// RFC 8489 §14, §18.3 and RFC 8445 §16.1: a 16-bit STUN attribute type.
public struct STUNAttributeType: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// RFC 8489 §14: types 0x0000-0x7FFF must be understood; an agent that does not know
    /// one in a request answers 420 (Unknown Attribute).
    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    // Comprehension-required.
    public static let mappedAddress = STUNAttributeType(rawValue: 0x0001)
    public static let username = STUNAttributeType(rawValue: 0x0006)
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    /// RFC 8445 §16.1.
    public static let priority = STUNAttributeType(rawValue: 0x0024)
    /// RFC 8445 §16.1.
    public static let useCandidate = STUNAttributeType(rawValue: 0x0025)

    // Comprehension-optional.
    public static let software = STUNAttributeType(rawValue: 0x8022)
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)
    /// RFC 8445 §16.1.
    public static let iceControlled = STUNAttributeType(rawValue: 0x8029)
    /// RFC 8445 §16.1.
    public static let iceControlling = STUNAttributeType(rawValue: 0x802A)
}
