/// Errors from parsing or rewriting a VP9 RTP payload descriptor (RFC 9628 §4.2).
public enum VP9DescriptorError: Error, Equatable, Sendable {
    /// The payload ended before a field that the flags announced.
    case truncated(needed: Int, available: Int)
    /// More than the allowed 3 reference P_DIFFs were chained with the N bit (§4.2).
    case tooManyReferenceDiffs
    /// A P_DIFF of 0 would reference the picture itself.
    case zeroReferenceDiff
    /// A rewrite asked for a picture id that this packet does not carry.
    case pictureIDAbsent
}

/// Up to three reference picture-id differences (flexible mode P_DIFFs), stored inline.
public struct VP9ReferenceDiffs: Sendable, Equatable, RandomAccessCollection {
    /// RFC 9628 §4.2: at most 3 P_DIFFs per layer frame.
    public static let maximumCount = 3
    private var first: UInt8 = 0
    private var second: UInt8 = 0
    private var third: UInt8 = 0
    public private(set) var count: Int = 0

    public init() {}

    public init(_ values: [UInt8]) {
        for value in values.prefix(Self.maximumCount) { append(value) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(index: Int) -> UInt8 {
        switch index {
        case 0: first
        case 1: second
        default: third
        }
    }

    mutating func append(_ value: UInt8) {
        switch count {
        case 0: first = value
        case 1: second = value
        default: third = value
        }
        count += 1
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }
}

/// The VP9 payload descriptor at the start of an RTP payload (RFC 9628 §4.2).
///
/// Parsing allocates nothing. The scalability structure (SS) is only validated and located;
/// decode it with `VP9ScalabilityStructure.parse` (which allocates, and is rare: key frames).
public struct VP9Descriptor: Sendable, Equatable {
    /// I: picture id present.
    public var pictureID: UInt16?
    /// M: the picture id is 15 bits wide.
    public var pictureIDIs15Bit: Bool = false
    /// Offset of the picture id's first byte, for in-place rewrite.
    public var pictureIDOffset: Int?
    /// P: inter-picture predicted frame (this layer frame references an earlier picture).
    public var isInterPicturePredicted: Bool = false
    /// F: flexible mode (P_DIFFs instead of TL0PICIDX and an SS-defined group of pictures).
    public var isFlexibleMode: Bool = false
    /// B: start of a layer frame.
    public var isBeginningOfFrame: Bool = false
    /// E: end of a layer frame.
    public var isEndOfFrame: Bool = false
    /// Z: not used for inter-layer prediction by a higher spatial layer.
    public var isNotReferenceForUpperSpatialLayers: Bool = false
    /// L: layer indices present. TID (3 bits).
    public var temporalID: UInt8?
    /// U: switching-up point.
    public var isSwitchingUpPoint: Bool = false
    /// SID (3 bits).
    public var spatialID: UInt8?
    /// D: inter-layer dependency (depends on the spatial layer below in the same picture).
    public var hasInterLayerDependency: Bool = false
    /// TL0PICIDX (non-flexible mode with L = 1).
    public var tl0PictureIndex: UInt8?
    public var tl0PictureIndexOffset: Int?
    /// P_DIFFs (flexible mode with P = 1).
    public var referenceDiffs = VP9ReferenceDiffs()
    /// V: byte range of the scalability structure, when present.
    public var scalabilityStructureRange: Range<Int>?
    /// Offset of the VP9 frame data after the descriptor.
    public var payloadOffset: Int = 1

    public init() {}

    /// Key frame: not inter-picture predicted, at the beginning of a frame, on the base spatial
    /// layer (a layer frame with P = 0 on SID > 0 is only an intra-layer switch point).
    public var isKeyFrame: Bool {
        !isInterPicturePredicted && isBeginningOfFrame && (spatialID ?? 0) == 0
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(VP9DescriptorError) -> VP9Descriptor {
        var offset = 0
        func need(_ count: Int) throws(VP9DescriptorError) {
            if offset + count > bytes.count {
                throw .truncated(needed: offset + count, available: bytes.count)
            }
        }
        // RFC 9628 §4.2: |I|P|L|F|B|E|V|Z|
        try need(1)
        let flags = bytes[0]
        offset = 1
        var result = VP9Descriptor()
        result.isInterPicturePredicted = flags & 0x40 != 0
        result.isFlexibleMode = flags & 0x10 != 0
        result.isBeginningOfFrame = flags & 0x08 != 0
        result.isEndOfFrame = flags & 0x04 != 0
        result.isNotReferenceForUpperSpatialLayers = flags & 0x01 != 0
        if flags & 0x80 != 0 {
            // §4.2: I → |M| PICTURE ID | [EXTENDED PID]
            try need(PictureIDField.length(in: bytes, at: offset))
            let field = PictureIDField.read(bytes, at: offset)
            result.pictureIDOffset = offset
            result.pictureIDIs15Bit = field.is15Bit
            result.pictureID = field.value
            offset += field.length
        }
        if flags & 0x20 != 0 {
            // §4.2: L → | TID |U| SID |D|
            try need(1)
            let layer = bytes[offset]
            offset += 1
            result.temporalID = layer >> 5
            result.isSwitchingUpPoint = layer & 0x10 != 0
            result.spatialID = (layer >> 1) & 0x07
            result.hasInterLayerDependency = layer & 0x01 != 0
            if !result.isFlexibleMode {
                // §4.2: non-flexible mode carries TL0PICIDX after the layer byte.
                try need(1)
                result.tl0PictureIndex = bytes[offset]
                result.tl0PictureIndexOffset = offset
                offset += 1
            }
        }
        if result.isFlexibleMode && result.isInterPicturePredicted {
            // §4.2: P,F → | P_DIFF |N| repeated while N = 1, at most 3 times.
            while true {
                try need(1)
                let byte = bytes[offset]
                offset += 1
                let diff = byte >> 1
                if diff == 0 { throw .zeroReferenceDiff }
                if result.referenceDiffs.count == VP9ReferenceDiffs.maximumCount { throw .tooManyReferenceDiffs }
                result.referenceDiffs.append(diff)
                if byte & 0x01 == 0 { break }
            }
        }
        if flags & 0x02 != 0 {
            // §4.2: V → scalability structure; validate its length without allocating.
            let start = offset
            offset = try VP9ScalabilityStructure.skip(bytes, from: offset)
            result.scalabilityStructureRange = start..<offset
        }
        result.payloadOffset = offset
        return result
    }

    /// Rewrites the picture id in place keeping its 7- or 15-bit width (value taken modulo it).
    @discardableResult
    public static func rewrite(
        in bytes: UnsafeMutableRawBufferPointer, pictureID: UInt16
    ) throws(VP9DescriptorError) -> VP9Descriptor {
        var descriptor = try parse(UnsafeRawBufferPointer(bytes))
        guard let at = descriptor.pictureIDOffset else { throw .pictureIDAbsent }
        descriptor.pictureID = PictureIDField.write(pictureID, is15Bit: descriptor.pictureIDIs15Bit, at: at, in: bytes)
        return descriptor
    }

    public static func parse(_ bytes: [UInt8]) throws(VP9DescriptorError) -> VP9Descriptor {
        try withCodecPayloadBytes(bytes) { (buffer) throws(VP9DescriptorError) -> VP9Descriptor in try parse(buffer) }
    }
}
