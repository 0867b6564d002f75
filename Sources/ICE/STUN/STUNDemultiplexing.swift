extension STUNMessage {
    /// RFC 7983 §7: on a port shared with DTLS, SRTP and TURN channels, a datagram whose first
    /// byte is 0...3 is STUN; the magic cookie at offset 4 (RFC 8489 §5) rules out stray
    /// bytes. A cheap pre-check before `init(parsing:)`, not a validation.
    @inlinable
    public static func looksLikeSTUN(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 20, bytes[0] <= 3 else { return false }
        return bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian == 0x2112_A442
    }

    public static func looksLikeSTUN(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { looksLikeSTUN($0) }
    }
}
