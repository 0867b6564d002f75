/// Errors from parsing an H.264 RTP payload (RFC 6184).
public enum H264PayloadError: Error, Equatable, Sendable {
    case truncated(needed: Int, available: Int)
    /// NAL unit type 0 or 30/31: undefined in RFC 6184 §5.2.
    case undefinedNALUnitType(UInt8)
    /// STAP-B, MTAP16, MTAP24, FU-B: only allowed in interleaved mode, which WebRTC never uses.
    case unsupportedPacketization(UInt8)
    /// STAP-A unit with size 0 or a size running past the payload (§5.7.1).
    case invalidAggregationUnitSize(offset: Int, size: Int)
    /// STAP-A with no aggregation unit at all.
    case emptyAggregation
    /// FU header with both S and E set (§5.8 forbids it).
    case fragmentStartAndEnd
    /// FU or STAP carrying an aggregation/fragmentation type as the inner NAL type.
    case invalidInnerNALUnitType(UInt8)
}

/// H.264 NAL unit types that matter to forwarding (ITU-T H.264 Table 7-1, RFC 6184 Table 3).
public enum H264NALUnitType {
    public static let nonIDRSlice: UInt8 = 1
    public static let idrSlice: UInt8 = 5
    public static let sei: UInt8 = 6
    public static let sequenceParameterSet: UInt8 = 7
    public static let pictureParameterSet: UInt8 = 8
    public static let accessUnitDelimiter: UInt8 = 9
    public static let stapA: UInt8 = 24
    public static let stapB: UInt8 = 25
    public static let mtap16: UInt8 = 26
    public static let mtap24: UInt8 = 27
    public static let fuA: UInt8 = 28
    public static let fuB: UInt8 = 29
}

/// One NAL unit inside an H.264 payload: its header and its byte range in the caller's buffer.
public struct H264NALUnit: Sendable, Equatable {
    /// The one-byte NAL header: |F|NRI|Type|.
    public var header: UInt8
    /// Bytes of the NAL unit including its header.
    public var range: Range<Int>
    public var type: UInt8 { header & 0x1F }
    public var nalReferenceIndicator: UInt8 { (header >> 5) & 0x03 }
    public init(header: UInt8, range: Range<Int>) {
        self.header = header
        self.range = range
    }
}

/// Walks the aggregation units of a STAP-A (RFC 6184 §5.7.1) without allocating. It holds only
/// an offset; pass the same buffer to each `next(in:)`.
public struct H264STAPAIterator: Sendable {
    public private(set) var offset: Int
    public init() { offset = 1 }  // after the STAP-A NAL header

    /// Next aggregated NAL unit, nil at the end, throws on a bad size field.
    public mutating func next(in bytes: UnsafeRawBufferPointer) throws(H264PayloadError) -> H264NALUnit? {
        if offset >= bytes.count { return nil }
        // §5.7.1: 16-bit NALU size, then the NAL unit.
        if offset + 2 > bytes.count { throw .truncated(needed: offset + 2, available: bytes.count) }
        let size = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian)
        let start = offset + 2
        if size == 0 || start + size > bytes.count {
            throw .invalidAggregationUnitSize(offset: offset, size: size)
        }
        offset = start + size
        return H264NALUnit(header: bytes[start], range: start..<(start + size))
    }
}

/// What an SFU needs from an H.264 RTP payload: packetization mode, key-frame hints.
public struct H264PayloadDescriptor: Sendable, Equatable {
    public enum Packetization: Sendable, Equatable {
        /// §5.6: a whole NAL unit of the given type.
        case singleNALUnit(type: UInt8)
        /// §5.7.1: several NAL units with 16-bit sizes.
        case stapA(nalUnitCount: Int)
        /// §5.8: a fragment of one NAL unit; `type` is the original NAL unit type.
        case fuA(type: UInt8, isStart: Bool, isEnd: Bool)
    }

    public var packetization: Packetization
    /// F bit of the outer NAL header (RFC 6184 §5.3: a syntax violation may be present).
    public var forbiddenBitSet: Bool
    /// The payload holds (or starts, for FU-A) an IDR slice.
    public var containsIDR: Bool
    public var containsSPS: Bool
    public var containsPPS: Bool
    /// For FU-A: the NAL header of the reassembled unit (F|NRI of the indicator, type of FU header).
    public var reassembledNALHeader: UInt8?

    /// Key frame: an IDR slice (whole, aggregated, or the first FU-A fragment), or an SPS and a
    /// PPS aggregated together in a STAP-A (the IDR then follows).
    public var isKeyFrame: Bool {
        switch packetization {
        case .singleNALUnit: containsIDR
        case .stapA: containsIDR || (containsSPS && containsPPS)
        case let .fuA(type, isStart, _): isStart && type == H264NALUnitType.idrSlice
        }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(H264PayloadError) -> H264PayloadDescriptor {
        // RFC 6184 §5.3: | F | NRI | Type |
        guard bytes.count >= 1 else { throw .truncated(needed: 1, available: bytes.count) }
        let header = bytes[0]
        let type = header & 0x1F
        var result = H264PayloadDescriptor(
            packetization: .singleNALUnit(type: type), forbiddenBitSet: header & 0x80 != 0,
            containsIDR: false, containsSPS: false, containsPPS: false, reassembledNALHeader: nil)
        switch type {
        case 1...23:
            // §5.6: single NAL unit packet.
            result.note(type)
        case H264NALUnitType.stapA:
            var iterator = H264STAPAIterator()
            var count = 0
            while let unit = try iterator.next(in: bytes) {
                if unit.type == 0 || unit.type >= H264NALUnitType.stapA {
                    throw .invalidInnerNALUnitType(unit.type)
                }
                result.note(unit.type)
                count += 1
            }
            if count == 0 { throw .emptyAggregation }
            result.packetization = .stapA(nalUnitCount: count)
        case H264NALUnitType.fuA:
            // §5.8: FU indicator, then FU header |S|E|R|Type|, then at least one payload byte.
            guard bytes.count >= 3 else { throw .truncated(needed: 3, available: bytes.count) }
            let fuHeader = bytes[1]
            let isStart = fuHeader & 0x80 != 0
            let isEnd = fuHeader & 0x40 != 0
            if isStart && isEnd { throw .fragmentStartAndEnd }
            let inner = fuHeader & 0x1F
            if inner == 0 || inner >= H264NALUnitType.stapA { throw .invalidInnerNALUnitType(inner) }
            result.packetization = .fuA(type: inner, isStart: isStart, isEnd: isEnd)
            result.reassembledNALHeader = (header & 0xE0) | inner
            if isStart { result.note(inner) }
        case H264NALUnitType.stapB, H264NALUnitType.mtap16, H264NALUnitType.mtap24, H264NALUnitType.fuB:
            throw .unsupportedPacketization(type)
        default:
            throw .undefinedNALUnitType(type)
        }
        return result
    }

    public static func parse(_ bytes: [UInt8]) throws(H264PayloadError) -> H264PayloadDescriptor {
        try withCodecPayloadBytes(bytes) { (buffer) throws(H264PayloadError) -> H264PayloadDescriptor in try parse(buffer) }
    }

    private mutating func note(_ type: UInt8) {
        switch type {
        case H264NALUnitType.idrSlice: containsIDR = true
        case H264NALUnitType.sequenceParameterSet: containsSPS = true
        case H264NALUnitType.pictureParameterSet: containsPPS = true
        default: break
        }
    }
}
