// Big-endian accessors shared by the RTCP parsers and builders.
// Callers check bounds before every call; these helpers only read/write.

extension UnsafeRawBufferPointer {
    @inline(__always)
    func rtcpUInt16(at offset: Int) -> UInt16 {
        loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian
    }

    @inline(__always)
    func rtcpUInt24(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 16 | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2])
    }

    @inline(__always)
    func rtcpUInt32(at offset: Int) -> UInt32 {
        loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian
    }

    @inline(__always)
    func rtcpUInt64(at offset: Int) -> UInt64 {
        loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
    }

    /// Throws `.truncated` unless `offset + length` lies inside both `limit` and the buffer.
    @inline(__always)
    func rtcpRequire(_ offset: Int, _ length: Int, within limit: Int) throws(RTCPError) {
        let end = Swift.min(limit, count)
        if offset < 0 || length < 0 || offset > end || end - offset < length {
            throw .truncated(needed: length, available: Swift.max(0, end - offset))
        }
    }
}

extension UnsafeMutableRawBufferPointer {
    @inline(__always)
    func rtcpStore(_ value: UInt8, at offset: Int) {
        self[offset] = value
    }

    @inline(__always)
    func rtcpStore(_ value: UInt16, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inline(__always)
    func rtcpStore24(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 2] = UInt8(truncatingIfNeeded: value)
    }

    @inline(__always)
    func rtcpStore(_ value: UInt32, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    @inline(__always)
    func rtcpStore(_ value: UInt64, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }

    /// Throws `.bufferTooSmall` unless `size` bytes fit.
    @inline(__always)
    func rtcpRequireCapacity(_ size: Int) throws(RTCPError) {
        if count < size { throw .bufferTooSmall(needed: size, available: count) }
    }

    /// RFC 3550 §6.4.1: V=2, P=0, count/FMT, PT, length in 32-bit words minus one.
    func rtcpWriteHeader(countOrFormat: UInt8, packetType: UInt8, packetLength: Int, at offset: Int = 0) {
        self[offset] = 0x80 | (countOrFormat & 0x1F)
        self[offset + 1] = packetType
        rtcpStore(UInt16(truncatingIfNeeded: packetLength / 4 - 1), at: offset + 2)
    }

    func rtcpZero(_ range: Range<Int>) {
        for index in range { self[index] = 0 }
    }
}

/// Runs a builder against a fresh array of `capacity` bytes and trims it to what was written.
func rtcpBuildArray(
    capacity: Int,
    _ body: (UnsafeMutableRawBufferPointer) throws(RTCPError) -> Int
) throws(RTCPError) -> [UInt8] {
    var array = [UInt8](repeating: 0, count: capacity)
    var failure: RTCPError?
    var written = 0
    array.withUnsafeMutableBytes { buffer in
        do throws(RTCPError) {
            written = try body(buffer)
        } catch {
            failure = error
        }
    }
    if let failure { throw failure }
    if written < array.count { array.removeLast(array.count - written) }
    return array
}

/// Rounds up to the next multiple of 4 (RTCP packets are 32-bit aligned, RFC 3550 §6.4.1).
@inline(__always)
func rtcpPaddedTo32Bits(_ length: Int) -> Int {
    (length + 3) & ~3
}
