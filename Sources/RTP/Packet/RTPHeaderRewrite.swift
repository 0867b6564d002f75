/// In-place rewrites of fixed-header fields (RFC 3550 §5.1), for forwarding.
///
/// Each is one length check plus one or a few stores; they are `@inlinable` so the router's
/// per-packet parse + rewrite compiles down to straight-line code across modules.
extension RTPHeader {
    /// Rewrites SSRC, sequence number and timestamp together (one length check).
    @inlinable
    public static func rewrite(
        ssrc: UInt32, sequenceNumber: UInt16, timestamp: UInt32,
        in packet: UnsafeMutableRawBufferPointer
    ) throws(RTPHeaderWriteError) {
        guard packet.count >= fixedLength else {
            throw .bufferTooSmall(needed: fixedLength, available: packet.count)
        }
        packet.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
        packet.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
        packet.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
    }

    @inlinable
    public static func setSSRC(_ ssrc: UInt32, in packet: UnsafeMutableRawBufferPointer) throws(RTPHeaderWriteError) {
        guard packet.count >= 12 else { throw .bufferTooSmall(needed: 12, available: packet.count) }
        packet.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
    }

    @inlinable
    public static func setSequenceNumber(
        _ sequenceNumber: UInt16, in packet: UnsafeMutableRawBufferPointer
    ) throws(RTPHeaderWriteError) {
        guard packet.count >= 4 else { throw .bufferTooSmall(needed: 4, available: packet.count) }
        packet.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
    }

    @inlinable
    public static func setTimestamp(_ timestamp: UInt32, in packet: UnsafeMutableRawBufferPointer) throws(RTPHeaderWriteError) {
        guard packet.count >= 8 else { throw .bufferTooSmall(needed: 8, available: packet.count) }
        packet.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
    }

    /// Sets the 7-bit payload type, keeping the marker bit that shares its octet.
    @inlinable
    public static func setPayloadType(_ payloadType: UInt8, in packet: UnsafeMutableRawBufferPointer) throws(RTPHeaderWriteError) {
        guard payloadType <= 0x7F else { throw .payloadTypeOutOfRange(payloadType) }
        guard packet.count >= 2 else { throw .bufferTooSmall(needed: 2, available: packet.count) }
        let second = packet.load(fromByteOffset: 1, as: UInt8.self)
        packet.storeBytes(of: (second & 0x80) | payloadType, toByteOffset: 1, as: UInt8.self)
    }

    /// Sets or clears the marker bit, keeping the payload type.
    @inlinable
    public static func setMarker(_ marker: Bool, in packet: UnsafeMutableRawBufferPointer) throws(RTPHeaderWriteError) {
        guard packet.count >= 2 else { throw .bufferTooSmall(needed: 2, available: packet.count) }
        let second = packet.load(fromByteOffset: 1, as: UInt8.self)
        packet.storeBytes(of: marker ? second | 0x80 : second & 0x7F, toByteOffset: 1, as: UInt8.self)
    }
}
