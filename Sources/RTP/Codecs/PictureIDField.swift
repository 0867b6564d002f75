/// The picture id VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2) descriptors share: |M| 7 bits |,
/// and with M = 1 a second byte making the id 15 bits.
enum PictureIDField {
    /// Bytes the field at `offset` occupies: 1, or 2 when its M bit is set. 1 when even the first
    /// byte is missing, so a caller's length check reports that byte as the one needed.
    static func length(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        offset < bytes.count && bytes[offset] & 0x80 != 0 ? 2 : 1
    }

    /// Reads the field; the caller has checked `length(in:at:)` bytes are there.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (value: UInt16, is15Bit: Bool, length: Int) {
        let high = bytes[offset]
        guard high & 0x80 != 0 else { return (UInt16(high), false, 1) }
        return (UInt16(high & 0x7F) << 8 | UInt16(bytes[offset + 1]), true, 2)
    }

    /// Writes `value` modulo the field's existing width, in place; returns the value written.
    static func write(_ value: UInt16, is15Bit: Bool, at offset: Int, in bytes: UnsafeMutableRawBufferPointer) -> UInt16 {
        if is15Bit {
            let written = value & 0x7FFF
            bytes[offset] = 0x80 | UInt8(written >> 8)
            bytes[offset + 1] = UInt8(truncatingIfNeeded: written)
            return written
        }
        let written = value & 0x7F
        bytes[offset] = UInt8(written)
        return written
    }
}
