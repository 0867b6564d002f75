/// Small strict text scanners shared by the attribute parsers. Unlike `UInt64(_:)` they refuse
/// signs, spaces and over-long digit runs.
enum SDPTextScanning {
    /// A run of ASCII digits (no sign) that fits in `T`.
    static func decimal<T: FixedWidthInteger & UnsignedInteger>(_ text: Substring, as type: T.Type) -> T? {
        guard !text.isEmpty, text.utf8.count <= 20 else { return nil }
        var value: T = 0
        for byte in text.utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(T(byte - 0x30))
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }

    static func decimal<T: FixedWidthInteger & UnsignedInteger>(_ text: String, as type: T.Type) -> T? {
        decimal(Substring(text), as: type)
    }

    /// RTP payload type: RFC 3550 §5.1 gives it 7 bits.
    static func payloadType(_ text: Substring) -> UInt8? {
        guard let value = decimal(text, as: UInt8.self), value <= 127 else { return nil }
        return value
    }

    /// Split on single spaces, keeping empty fields so doubled spaces are detectable.
    static func fields(_ text: Substring) -> [Substring] {
        text.split(separator: " ", omittingEmptySubsequences: false)
    }

    static func fields(_ text: String) -> [Substring] {
        fields(Substring(text))
    }

    /// RFC 8866 §9 `token`: visible ASCII except the tspecials-like set.
    static func isToken(_ text: Substring) -> Bool {
        guard !text.isEmpty else { return false }
        for byte in text.utf8 {
            switch byte {
            case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E:
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Strip spaces and tabs at both ends.
    static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
