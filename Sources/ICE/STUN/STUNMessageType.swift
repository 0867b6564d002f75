/// RFC 8489 §5: the class of a STUN message, carried in bits C1 C0 of the message type.
public enum STUNMessageClass: UInt8, Sendable, Hashable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// RFC 8489 §5, §18.2: a 12-bit STUN method. ICE uses only Binding.
public struct STUNMethod: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt16
    /// Keeps only the low 12 bits; a method has no more.
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    /// RFC 8489 §18.2: Binding (0x001).
    public static let binding = STUNMethod(rawValue: 0x001)
}

/// RFC 8489 §5: the 14-bit message type, method bits interleaved with the two class bits:
/// `M11..M7 C1 M6..M4 C0 M3..M0`.
public struct STUNMessageType: Sendable, Hashable {
    public var method: STUNMethod
    public var messageClass: STUNMessageClass

    public init(method: STUNMethod, messageClass: STUNMessageClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Splits a wire value (top two bits ignored; the parser checks them separately).
    public init(rawValue: UInt16) {
        let c1 = (rawValue >> 7) & 0x2
        let c0 = (rawValue >> 4) & 0x1
        // Class bits span 2, so `c1 | c0` is always 0...3 and the enum init cannot fail.
        messageClass = STUNMessageClass(rawValue: UInt8(c1 | c0)) ?? .request
        let m = (rawValue & 0x000F) | ((rawValue & 0x00E0) >> 1) | ((rawValue & 0x3E00) >> 2)
        method = STUNMethod(rawValue: m)
    }

    /// The 16-bit wire value.
    public var rawValue: UInt16 {
        let m = method.rawValue
        let c = UInt16(messageClass.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2)
            | ((c & 0x1) << 4) | ((c & 0x2) << 7)
    }

    public static let bindingRequest = STUNMessageType(method: .binding, messageClass: .request)
    public static let bindingIndication = STUNMessageType(method: .binding, messageClass: .indication)
    public static let bindingSuccessResponse = STUNMessageType(method: .binding, messageClass: .successResponse)
    public static let bindingErrorResponse = STUNMessageType(method: .binding, messageClass: .errorResponse)
}
