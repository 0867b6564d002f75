/// Errors from parsing or rewriting a VP8 RTP payload descriptor (RFC 7741 §4.2).
public enum VP8DescriptorError: Error, Equatable, Sendable {
    /// The payload ended before a field that the flags announced.
    case truncated(needed: Int, available: Int)
    /// A rewrite asked for a field that this packet does not carry.
    case pictureIDAbsent
    case tl0PictureIndexAbsent
}

/// The VP8 payload descriptor at the start of an RTP payload (RFC 7741 §4.2).
///
/// Holds only fields and byte offsets into the caller's buffer; parsing allocates nothing.
public struct VP8Descriptor: Sendable, Equatable {
    /// N: the frame can be discarded without affecting any other frame.
    public var isNonReferenceFrame: Bool
    /// S: the first byte of this payload starts a VP8 partition.
    public var isStartOfPartition: Bool
    /// PID: index of the partition this payload belongs to (0...7).
    public var partitionIndex: UInt8
    /// PictureID (7 or 15 bits) when I = 1.
    public var pictureID: UInt16?
    /// M bit: true when the picture id is 15 bits wide (two bytes on the wire).
    public var pictureIDIs15Bit: Bool
    /// Byte offset of the picture id's first byte, for in-place rewrite.
    public var pictureIDOffset: Int?
    /// TL0PICIDX when L = 1.
    public var tl0PictureIndex: UInt8?
    /// Byte offset of TL0PICIDX, for in-place rewrite.
    public var tl0PictureIndexOffset: Int?
    /// TID when T = 1.
    public var temporalLayerID: UInt8?
    /// Y: layer sync — the frame depends only on the base temporal layer (valid when T = 1).
    public var isLayerSync: Bool
    /// KEYIDX when K = 1.
    public var keyIndex: UInt8?
    /// Offset of the first byte after the descriptor: the VP8 payload (header on the first
    /// packet of a frame).
    public var payloadOffset: Int
    /// §4.3: the P bit of the VP8 payload header is 0 on the first packet of a key frame.
    public var isKeyFrame: Bool

    /// S = 1 and PID = 0: this packet starts a new frame (partition 0).
    public var isStartOfFrame: Bool { isStartOfPartition && partitionIndex == 0 }

    public init(
        isNonReferenceFrame: Bool = false, isStartOfPartition: Bool = false, partitionIndex: UInt8 = 0,
        pictureID: UInt16? = nil, pictureIDIs15Bit: Bool = false, pictureIDOffset: Int? = nil,
        tl0PictureIndex: UInt8? = nil, tl0PictureIndexOffset: Int? = nil,
        temporalLayerID: UInt8? = nil, isLayerSync: Bool = false, keyIndex: UInt8? = nil,
        payloadOffset: Int = 1, isKeyFrame: Bool = false
    ) {
        self.isNonReferenceFrame = isNonReferenceFrame
        self.isStartOfPartition = isStartOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.pictureIDIs15Bit = pictureIDIs15Bit
        self.pictureIDOffset = pictureIDOffset
        self.tl0PictureIndex = tl0PictureIndex
        self.tl0PictureIndexOffset = tl0PictureIndexOffset
        self.temporalLayerID = temporalLayerID
        self.isLayerSync = isLayerSync
        self.keyIndex = keyIndex
        self.payloadOffset = payloadOffset
        self.isKeyFrame = isKeyFrame
    }

    /// Parses the descriptor from an RTP payload. A VP8 payload must follow the descriptor
    /// (RFC 7741 §4.2: the payload is never empty), so at least one byte after it is required.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(VP8DescriptorError) -> VP8Descriptor {
        var offset = 0
        func need(_ count: Int) throws(VP8DescriptorError) {
            if offset + count > bytes.count {
                throw .truncated(needed: offset + count, available: bytes.count)
            }
        }
        // RFC 7741 §4.2: |X|R|N|S|R| PID |
        try need(1)
        let first = bytes[0]
        offset = 1
        var result = VP8Descriptor(
            isNonReferenceFrame: first & 0x20 != 0,
            isStartOfPartition: first & 0x10 != 0,
            partitionIndex: first & 0x07)
        if first & 0x80 != 0 {
            // §4.2: X extension byte |I|L|T|K| RSV |
            try need(1)
            let ext = bytes[offset]
            offset += 1
            if ext & 0x80 != 0 {
                // §4.2: I → |M| PictureID | (M = 1: 15-bit picture id over two bytes)
                try need(PictureIDField.length(in: bytes, at: offset))
                let field = PictureIDField.read(bytes, at: offset)
                result.pictureIDOffset = offset
                result.pictureIDIs15Bit = field.is15Bit
                result.pictureID = field.value
                offset += field.length
            }
            if ext & 0x40 != 0 {
                // §4.2: L → TL0PICIDX
                try need(1)
                result.tl0PictureIndex = bytes[offset]
                result.tl0PictureIndexOffset = offset
                offset += 1
            }
            if ext & 0x30 != 0 {
                // §4.2: T or K → |TID|Y| KEYIDX | (one shared byte)
                try need(1)
                let byte = bytes[offset]
                offset += 1
                if ext & 0x20 != 0 {
                    result.temporalLayerID = byte >> 6
                    result.isLayerSync = byte & 0x20 != 0
                }
                if ext & 0x10 != 0 {
                    result.keyIndex = byte & 0x1F
                }
            }
        }
        result.payloadOffset = offset
        // §4.2: the descriptor is followed by at least one byte of VP8 payload.
        try need(1)
        // §4.3: on the first packet of a frame the VP8 payload header's P bit (LSB of its
        // first byte) is 0 for a key frame.
        result.isKeyFrame = result.isStartOfFrame && bytes[offset] & 0x01 == 0
        return result
    }

    /// Rewrites picture id and/or TL0PICIDX in place, keeping the picture id's existing
    /// 7- or 15-bit width (the new value is taken modulo that width). The SFU does this when it
    /// switches simulcast layers so the receiver sees one continuous stream.
    @discardableResult
    public static func rewrite(
        in bytes: UnsafeMutableRawBufferPointer, pictureID: UInt16? = nil, tl0PictureIndex: UInt8? = nil
    ) throws(VP8DescriptorError) -> VP8Descriptor {
        var descriptor = try parse(UnsafeRawBufferPointer(bytes))
        if let pictureID {
            guard let at = descriptor.pictureIDOffset else { throw .pictureIDAbsent }
            descriptor.pictureID = PictureIDField.write(pictureID, is15Bit: descriptor.pictureIDIs15Bit, at: at, in: bytes)
        }
        if let tl0PictureIndex {
            guard let at = descriptor.tl0PictureIndexOffset else { throw .tl0PictureIndexAbsent }
            bytes[at] = tl0PictureIndex
            descriptor.tl0PictureIndex = tl0PictureIndex
        }
        return descriptor
    }

    /// Convenience for tests and tools.
    public static func parse(_ bytes: [UInt8]) throws(VP8DescriptorError) -> VP8Descriptor {
        try withCodecPayloadBytes(bytes) { (buffer) throws(VP8DescriptorError) -> VP8Descriptor in try parse(buffer) }
    }
}
