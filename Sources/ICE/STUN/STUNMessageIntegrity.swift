extension STUNMessage {
    /// RFC 8489 §14.5 / §9.1: checks MESSAGE-INTEGRITY with short-term credentials (for ICE the
    /// key is the peer's password bytes, RFC 8445 §7.2.2; no SASLprep). False if the attribute
    /// is missing, the buffer is not the parsed one, or the HMAC differs.
    ///
    /// The HMAC covers the message up to MESSAGE-INTEGRITY, with the header's length field as if
    /// MESSAGE-INTEGRITY were the last attribute (so a FINGERPRINT after it is excluded). The
    /// message is never copied: only its 20-byte header, on the stack, gets the patched length.
    public func verifyMessageIntegrity(key: UnsafeRawBufferPointer, in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let integrityOffset = messageIntegrityOffset,
            integrityOffset >= Self.headerLength,
            integrityOffset + 24 <= bytes.count,
            bytes.count >= Self.headerLength
        else { return false }
        let coveredLength = integrityOffset + 24 - Self.headerLength
        let declaredLength = Int(bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self).bigEndian)
        let expected = UnsafeRawBufferPointer(rebasing: bytes[(integrityOffset + 4)..<(integrityOffset + 24)])

        return withUnsafeTemporaryAllocation(byteCount: 2 * Self.headerLength, alignment: 8) { scratch in
            let computed = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<20])
            let ok: Bool
            if coveredLength == declaredLength {
                // Nothing follows MESSAGE-INTEGRITY: the bytes are already what was signed.
                ok = STUNHMACSHA1.authenticate(
                    key: key, data: UnsafeRawBufferPointer(rebasing: bytes[0..<integrityOffset]), into: computed)
            } else {
                let header = UnsafeMutableRawBufferPointer(rebasing: scratch[20..<40])
                header.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<Self.headerLength]))
                header.storeBytes(of: UInt16(truncatingIfNeeded: coveredLength).bigEndian, toByteOffset: 2, as: UInt16.self)
                ok = STUNHMACSHA1.authenticate(
                    key: key, first: UnsafeRawBufferPointer(header),
                    second: UnsafeRawBufferPointer(rebasing: bytes[Self.headerLength..<integrityOffset]),
                    into: computed)
            }
            return ok && Self.constantTimeEqual(UnsafeRawBufferPointer(computed), expected)
        }
    }

    /// `key` as any contiguous bytes, e.g. `password.utf8` or a `[UInt8]`.
    public func verifyMessageIntegrity(key: some Collection<UInt8>, in bytes: UnsafeRawBufferPointer) -> Bool {
        if let result = key.withContiguousStorageIfAvailable({ verifyMessageIntegrity(key: UnsafeRawBufferPointer($0), in: bytes) }) {
            return result
        }
        return Array(key).withUnsafeBytes { verifyMessageIntegrity(key: $0, in: bytes) }
    }

    /// Convenience for `[UInt8]` messages.
    public func verifyMessageIntegrity(key: some Collection<UInt8>, in bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { verifyMessageIntegrity(key: key, in: $0) }
    }

    /// RFC 8489 §14.7: checks FINGERPRINT, the CRC-32 of the message up to it XORed with
    /// 0x5354554E. FINGERPRINT is last, so the header length needs no patching.
    /// False if absent or different.
    public func verifyFingerprint(in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let fingerprintOffset, fingerprintOffset >= Self.headerLength, fingerprintOffset + 8 <= bytes.count
        else { return false }
        let stored = bytes.loadUnaligned(fromByteOffset: fingerprintOffset + 4, as: UInt32.self).bigEndian
        return STUNCRC32.fingerprint(UnsafeRawBufferPointer(rebasing: bytes[0..<fingerprintOffset])) == stored
    }

    public func verifyFingerprint(in bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { verifyFingerprint(in: $0) }
    }

    /// Compares without an early exit, so timing does not reveal how many bytes matched.
    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
