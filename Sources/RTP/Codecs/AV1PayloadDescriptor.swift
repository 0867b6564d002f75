/// Errors from parsing an AV1 RTP payload (AV1 RTP spec §4.4/§4.5).
public enum AV1PayloadError: Error, Equatable, Sendable {
    case truncated(needed: Int, available: Int)
    /// An OBU element length (LEB128) longer than 8 bytes or above 2^32 - 1 (AV1 spec §4.10.5).
    case invalidLEB128(offset: Int)
    /// An OBU element length running past the payload.
    case elementOverrun(offset: Int, length: Int)
    /// Z = 1 and N = 1: a coded video sequence cannot start with an OBU continuation.
    case newSequenceOnContinuation
}

/// The AV1 aggregation header (AV1 RTP spec §4.4): |Z|Y| W |N|-|-|-|.
public struct AV1PayloadDescriptor: Sendable, Equatable {
    /// Z: the first OBU element continues an OBU fragment from the previous packet.
    public var continuesPreviousOBU: Bool
    /// Y: the last OBU element continues in the next packet.
    public var continuesInNextPacket: Bool
    /// W: number of OBU elements (1...3), or 0 when every element carries a LEB128 length.
    public var obuElementCount: UInt8
    /// N: first packet of a coded video sequence — a key frame a receiver can start from.
    public var startsNewCodedVideoSequence: Bool
    /// Offset of the first OBU element.
    public var payloadOffset: Int { 1 }

    /// An SFU treats the start of a new coded video sequence as the key frame to switch on.
    public var isKeyFrame: Bool { startsNewCodedVideoSequence }

    public init(continuesPreviousOBU: Bool, continuesInNextPacket: Bool, obuElementCount: UInt8, startsNewCodedVideoSequence: Bool) {
        self.continuesPreviousOBU = continuesPreviousOBU
        self.continuesInNextPacket = continuesInNextPacket
        self.obuElementCount = obuElementCount
        self.startsNewCodedVideoSequence = startsNewCodedVideoSequence
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(AV1PayloadError) -> AV1PayloadDescriptor {
        // §4.4: the aggregation header, followed by at least one byte of OBU data.
        guard bytes.count >= 2 else { throw .truncated(needed: 2, available: bytes.count) }
        let header = bytes[0]
        let result = AV1PayloadDescriptor(
            continuesPreviousOBU: header & 0x80 != 0,
            continuesInNextPacket: header & 0x40 != 0,
            obuElementCount: (header >> 4) & 0x03,
            startsNewCodedVideoSequence: header & 0x08 != 0)
        if result.continuesPreviousOBU && result.startsNewCodedVideoSequence { throw .newSequenceOnContinuation }
        return result
    }

    public static func parse(_ bytes: [UInt8]) throws(AV1PayloadError) -> AV1PayloadDescriptor {
        try withCodecPayloadBytes(bytes) { (buffer) throws(AV1PayloadError) -> AV1PayloadDescriptor in try parse(buffer) }
    }

    /// An iterator over this packet's OBU elements.
    public func obuElements() -> AV1OBUElementIterator {
        AV1OBUElementIterator(descriptor: self)
    }

    /// Reads an unsigned LEB128 value (AV1 spec §4.10.5: at most 8 bytes, value < 2^32).
    /// Returns the value and the number of bytes read.
    public static func readLEB128(_ bytes: UnsafeRawBufferPointer, at start: Int) throws(AV1PayloadError) -> (value: UInt32, length: Int) {
        var value: UInt64 = 0
        for index in 0..<8 {
            let at = start + index
            guard at < bytes.count else { throw .truncated(needed: at + 1, available: bytes.count) }
            let byte = bytes[at]
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 {
                guard value <= UInt64(UInt32.max) else { throw .invalidLEB128(offset: start) }
                return (UInt32(value), index + 1)
            }
        }
        throw .invalidLEB128(offset: start)
    }
}

/// One OBU element (a whole OBU or a fragment of one) as a range in the caller's buffer.
public struct AV1OBUElement: Sendable, Equatable {
    public var range: Range<Int>
    /// The OBU header byte, when this element starts an OBU (not a continuation) and is non-empty.
    public var obuHeader: UInt8?
    /// The OBU extension byte, when the header's extension flag is set and the byte is present.
    public var obuExtension: UInt8?

    /// AV1 spec §5.3.2 obu_type (1 = sequence header, 6 = frame, ...).
    public var obuType: UInt8? { obuHeader.map { ($0 >> 3) & 0x0F } }
    public var temporalID: UInt8? { obuExtension.map { $0 >> 5 } }
    public var spatialID: UInt8? { obuExtension.map { ($0 >> 3) & 0x03 } }

    public init(range: Range<Int>, obuHeader: UInt8?, obuExtension: UInt8?) {
        self.range = range
        self.obuHeader = obuHeader
        self.obuExtension = obuExtension
    }
}

/// Walks OBU elements (AV1 RTP spec §4.4): with W = 0 every element has a LEB128 length; with
/// W = 1...3 all but the last do and the last runs to the end. Allocation-free; holds only
/// offsets, so pass the same buffer on each call. Bounded: each element consumes ≥ 1 byte.
public struct AV1OBUElementIterator: Sendable {
    public private(set) var offset: Int = 1
    public private(set) var index: Int = 0
    let descriptor: AV1PayloadDescriptor

    init(descriptor: AV1PayloadDescriptor) {
        self.descriptor = descriptor
    }

    public mutating func next(in bytes: UnsafeRawBufferPointer) throws(AV1PayloadError) -> AV1OBUElement? {
        let declared = Int(descriptor.obuElementCount)
        if declared != 0 && index >= declared { return nil }
        if offset >= bytes.count {
            if declared != 0 { throw .truncated(needed: offset + 1, available: bytes.count) }
            return nil
        }
        let range: Range<Int>
        if declared != 0 && index == declared - 1 {
            range = offset..<bytes.count
        } else {
            let (length, lengthSize) = try AV1PayloadDescriptor.readLEB128(bytes, at: offset)
            let start = offset + lengthSize
            guard UInt64(length) <= UInt64(bytes.count - start) else {
                throw .elementOverrun(offset: offset, length: Int(length))
            }
            range = start..<(start + Int(length))
        }
        let isContinuation = index == 0 && descriptor.continuesPreviousOBU
        var header: UInt8? = nil
        var ext: UInt8? = nil
        if !isContinuation && !range.isEmpty {
            header = bytes[range.lowerBound]
            if let header, header & 0x04 != 0, range.count >= 2 { ext = bytes[range.lowerBound + 1] }
        }
        offset = range.upperBound
        index += 1
        return AV1OBUElement(range: range, obuHeader: header, obuExtension: ext)
    }
}
