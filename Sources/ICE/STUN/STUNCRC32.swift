/// CRC-32 as used by FINGERPRINT (RFC 8489 §14.7): the ISO/IEEE 802.3 polynomial, reflected
/// (0xEDB88320), initial value and final XOR 0xFFFFFFFF, the same as zlib's `crc32`.
enum STUNCRC32 {
    /// One byte-at-a-time lookup table, built once on first use.
    static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = (value & 1) != 0 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// CRC-32 of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
            return crc ^ 0xFFFF_FFFF
        }
    }

    /// RFC 8489 §14.7: the FINGERPRINT value is the CRC-32 XORed with 0x5354554E ("STUN"), so
    /// it differs from a CRC another protocol on the same port might carry.
    static let fingerprintXOR: UInt32 = 0x5354_554E

    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        checksum(bytes) ^ fingerprintXOR
    }
}
