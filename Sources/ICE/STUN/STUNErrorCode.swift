/// RFC 8489 §14.8: ERROR-CODE, a class (hundreds digit, 3...6) and a number (0...99) plus
/// a UTF-8 reason phrase, which stays in the caller's buffer as a range.
public struct STUNErrorCodeAttribute: Sendable, Hashable {
    /// class * 100 + number, e.g. 420.
    public var code: Int
    /// Reason phrase bytes in the message buffer.
    public var reasonPhrase: Range<Int>

    public init(code: Int, reasonPhrase: Range<Int>) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    // RFC 8489 §14.8 and RFC 8445 §7.3.1.1: the codes an ICE agent sends or must handle.
    public static let tryAlternate = 300
    public static let badRequest = 400
    public static let unauthorized = 401
    public static let unknownAttribute = 420
    public static let staleNonce = 438
    public static let roleConflict = 487
    public static let serverError = 500
}
