/// The two RFC 8285 element layouts, identified by the extension's profile field.
public enum RTPHeaderExtensionForm: Sendable, Hashable {
    /// RFC 8285 §4.2: profile 0xBEDE; 4-bit id (1...14) and 4-bit length-minus-one.
    case oneByte
    /// RFC 8285 §4.3: profile 0x100 in the top 12 bits, 4 "appbits" below; 8-bit id and length.
    case twoByte(appBits: UInt8)

    public static let oneByteProfile: UInt16 = 0xBEDE
    public static let twoByteProfileBase: UInt16 = 0x1000

    /// Largest id of the one-byte form; 15 is reserved and stops processing (RFC 8285 §4.2).
    public static let oneByteMaximumID: UInt8 = 14
    /// Largest value length of the one-byte form (RFC 8285 §4.2).
    public static let oneByteMaximumLength = 16
    /// Largest value length of the two-byte form (RFC 8285 §4.3).
    public static let twoByteMaximumLength = 255

    /// Nil for profiles that are not RFC 8285 element lists.
    @inlinable
    public init?(profile: UInt16) {
        if profile == Self.oneByteProfile {
            self = .oneByte
        } else if profile & 0xFFF0 == Self.twoByteProfileBase {
            self = .twoByte(appBits: UInt8(profile & 0x000F))
        } else {
            return nil
        }
    }

    /// The profile field value announcing this form.
    public var profile: UInt16 {
        switch self {
        case .oneByte: return Self.oneByteProfile
        case .twoByte(let appBits): return Self.twoByteProfileBase | UInt16(appBits & 0x0F)
        }
    }
}
