public import RTP

/// Why an RTX packet could not be built.
public enum RTXPacketizerError: Error, Sendable, Hashable {
    /// The original packet is not a valid RTP packet.
    case invalidOriginal(RTPHeaderError)
    /// The caller's buffer cannot hold the RTX packet.
    case bufferTooSmall(needed: Int, available: Int)
    /// An incoming RTX packet's payload is shorter than the 2-octet OSN (RFC 4588 §4).
    case missingOriginalSequenceNumber(payloadLength: Int)
}

/// What an incoming RTX packet (RFC 4588 §4) says about the packet it repairs.
public struct RTXPayload: Sendable, Hashable {
    /// The OSN: the sequence number of the original packet in the media stream.
    public let originalSequenceNumber: UInt16
    /// The original payload, after the OSN, in the caller's buffer.
    public let originalPayloadRange: Range<Int>
}

/// Wraps stored packets as RTX retransmissions (RFC 4588 §4) for one outgoing stream.
///
/// RFC 4588 §4: the RTX packet keeps the original's timestamp, marker, CSRCs and header
/// extensions, but carries the RTX stream's SSRC, payload type and its own sequence number;
/// its payload starts with the original sequence number (OSN, 2 octets) followed by the
/// original payload. The original padding is dropped (P cleared): it belongs to the original.
public struct RTXPacketizer: Sendable, Hashable {
    /// Size of the OSN field (RFC 4588 §4).
    public static let originalSequenceNumberLength = 2

    public var ssrc: UInt32
    public var payloadType: UInt8
    /// The sequence number the next RTX packet gets (RFC 4588 §4: its own sequence space).
    public var nextSequenceNumber: UInt16

    public init(ssrc: UInt32, payloadType: UInt8, initialSequenceNumber: UInt16) {
        self.ssrc = ssrc
        self.payloadType = payloadType & 0x7F
        self.nextSequenceNumber = initialSequenceNumber
    }

    /// Size of the RTX packet for an original of this header.
    public static func encodedSize(of original: RTPHeader) -> Int {
        original.headerLength + originalSequenceNumberLength + original.payloadRange.count
    }

    /// Writes the RTX packet for `original` into `buffer`, consuming one RTX sequence
    /// number; returns the bytes written.
    public mutating func packetize(
        original: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTXPacketizerError) -> Int {
        let header: RTPHeader
        do throws(RTPHeaderError) {
            header = try RTPHeader.parse(original)
        } catch {
            throw .invalidOriginal(error)
        }
        let size = Self.encodedSize(of: header)
        guard buffer.count >= size else { throw .bufferTooSmall(needed: size, available: buffer.count) }
        guard let destination = buffer.baseAddress, let source = original.baseAddress else {
            throw .bufferTooSmall(needed: size, available: 0)
        }
        // RFC 4588 §4: fixed header, CSRCs and extensions as in the original...
        destination.copyMemory(from: source, byteCount: header.headerLength)
        // ...without the original's padding.
        let first = buffer.load(fromByteOffset: 0, as: UInt8.self)
        buffer.storeBytes(of: first & ~0x20, toByteOffset: 0, as: UInt8.self)
        let second = buffer.load(fromByteOffset: 1, as: UInt8.self)
        buffer.storeBytes(of: (second & 0x80) | payloadType, toByteOffset: 1, as: UInt8.self)
        buffer.storeBytes(of: nextSequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
        // RFC 4588 §4: the OSN comes first in the RTX payload.
        buffer.storeBytes(of: header.sequenceNumber.bigEndian, toByteOffset: header.headerLength, as: UInt16.self)
        let payloadStart = header.headerLength + Self.originalSequenceNumberLength
        if !header.payloadRange.isEmpty {
            (destination + payloadStart).copyMemory(
                from: source + header.payloadRange.lowerBound, byteCount: header.payloadRange.count)
        }
        nextSequenceNumber &+= 1
        return size
    }

    /// Convenience for tests and slow paths.
    public mutating func packetize(original: [UInt8]) throws(RTXPacketizerError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: original.count + Self.originalSequenceNumberLength)
        let result = original.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                Result { () throws(RTXPacketizerError) -> Int in try packetize(original: source, into: destination) }
            }
        }
        let written = try result.get()
        output.removeSubrange(written...)
        return output
    }

    /// Reads the OSN of an RTX packet received from a publisher (RFC 4588 §4), so it can be
    /// counted and un-NACKed as the original. `header` is the RTX packet's parsed header.
    public static func originalPayload(
        of header: RTPHeader, in packet: UnsafeRawBufferPointer
    ) throws(RTXPacketizerError) -> RTXPayload {
        let payload = header.payloadRange
        guard payload.count >= originalSequenceNumberLength, payload.upperBound <= packet.count else {
            throw .missingOriginalSequenceNumber(payloadLength: max(0, min(payload.count, packet.count - payload.lowerBound)))
        }
        // RFC 4588 §4: the first two payload octets are the OSN, network order.
        let osn = packet.loadUnaligned(fromByteOffset: payload.lowerBound, as: UInt16.self).bigEndian
        return RTXPayload(
            originalSequenceNumber: osn,
            originalPayloadRange: (payload.lowerBound + originalSequenceNumberLength)..<payload.upperBound)
    }
}
