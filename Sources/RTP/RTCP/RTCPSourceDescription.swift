/// SDES item types (RFC 3550 §6.5).
public struct RTCPSourceDescriptionItemType: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let end = Self(rawValue: 0)
    public static let cname = Self(rawValue: 1)
    public static let name = Self(rawValue: 2)
    public static let email = Self(rawValue: 3)
    public static let phone = Self(rawValue: 4)
    public static let location = Self(rawValue: 5)
    public static let tool = Self(rawValue: 6)
    public static let note = Self(rawValue: 7)
    public static let privateExtension = Self(rawValue: 8)
}

/// One SDES item: its type and where its text lies in the caller's buffer.
public struct RTCPSourceDescriptionItem: Sendable, Equatable {
    public let type: RTCPSourceDescriptionItemType
    public let valueRange: Range<Int>
}

/// One SDES chunk: an SSRC/CSRC and the range holding its items.
public struct RTCPSourceDescriptionChunk: Sendable, Equatable {
    public let source: UInt32
    /// The items, up to (not including) the terminating null octet.
    public let itemsRange: Range<Int>

    public func items(in bytes: UnsafeRawBufferPointer) -> RTCPSourceDescriptionItemIterator {
        RTCPSourceDescriptionItemIterator(bytes: bytes, range: itemsRange)
    }

    /// The CNAME text range, if the chunk carries one.
    public func cname(in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        for item in items(in: bytes) where item.type == .cname { return item.valueRange }
        return nil
    }
}

/// A CNAME to put into an SDES packet being built.
public struct RTCPCNAMEChunk: Sendable, Equatable {
    public var source: UInt32
    public var cname: String

    public init(source: UInt32, cname: String) {
        self.source = source
        self.cname = cname
    }
}

/// Source description, PT=202 (RFC 3550 §6.5). All chunks are validated while
/// parsing, so the chunk and item iterators afterwards need no error handling.
public struct RTCPSourceDescription: Sendable, Equatable {
    public static let packetType: UInt8 = 202

    public let header: RTCPHeader
    public let chunkCount: Int

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        try header.requireType(Self.packetType, in: bytes)
        self.header = header
        chunkCount = Int(header.countOrFormat)
        var offset = header.payloadRange.lowerBound
        for _ in 0..<chunkCount {
            offset = try Self.walkChunk(bytes, at: offset, header: header).next
        }
    }

    public func chunks(in bytes: UnsafeRawBufferPointer) -> RTCPSourceDescriptionChunkIterator {
        RTCPSourceDescriptionChunkIterator(bytes: bytes, header: header, count: chunkCount)
    }

    /// Validates one chunk and returns it with the offset of the next one.
    static func walkChunk(
        _ bytes: UnsafeRawBufferPointer, at start: Int, header: RTCPHeader
    ) throws(RTCPError) -> (chunk: RTCPSourceDescriptionChunk, next: Int) {
        let end = header.payloadRange.upperBound
        // RFC 3550 §6.5: each chunk starts with an SSRC/CSRC.
        try bytes.rtcpRequire(start, 4, within: end)
        let source = bytes.rtcpUInt32(at: start)
        var offset = start + 4
        while true {
            try bytes.rtcpRequire(offset, 1, within: end)
            if bytes[offset] == 0 {
                // RFC 3550 §6.5: a null octet ends the item list; pad to the next 32-bit boundary.
                let itemsEnd = offset
                let consumed = offset + 1 - header.range.lowerBound
                let next = header.range.lowerBound + rtcpPaddedTo32Bits(consumed)
                try bytes.rtcpRequire(offset, next - offset, within: end)
                return (RTCPSourceDescriptionChunk(source: source, itemsRange: (start + 4)..<itemsEnd), next)
            }
            // RFC 3550 §6.5: item = type octet, length octet, text of that length.
            try bytes.rtcpRequire(offset, 2, within: end)
            let length = Int(bytes[offset + 1])
            try bytes.rtcpRequire(offset + 2, length, within: end)
            offset += 2 + length
        }
    }

    public static func encodedSize(chunks: [RTCPCNAMEChunk]) -> Int {
        var size = RTCPHeader.size
        for chunk in chunks {
            // SSRC + type + length + text + at least one null octet, 32-bit aligned.
            size += rtcpPaddedTo32Bits(4 + 2 + chunk.cname.utf8.count + 1)
        }
        return size
    }

    /// Writes an SDES packet carrying one CNAME per chunk; returns bytes written.
    public static func build(chunks: [RTCPCNAMEChunk], into buffer: UnsafeMutableRawBufferPointer) throws(RTCPError) -> Int {
        if chunks.count > 31 { throw .tooManyItems(count: chunks.count, maximum: 31) }
        for chunk in chunks where chunk.cname.utf8.count > 255 {
            throw .textTooLong(length: chunk.cname.utf8.count, maximum: 255)
        }
        let size = encodedSize(chunks: chunks)
        try buffer.rtcpRequireCapacity(size)
        buffer.rtcpWriteHeader(countOrFormat: UInt8(chunks.count), packetType: packetType, packetLength: size)
        var offset = 4
        for chunk in chunks {
            let chunkEnd = offset + rtcpPaddedTo32Bits(4 + 2 + chunk.cname.utf8.count + 1)
            buffer.rtcpStore(chunk.source, at: offset)
            buffer[offset + 4] = RTCPSourceDescriptionItemType.cname.rawValue
            buffer[offset + 5] = UInt8(chunk.cname.utf8.count)
            offset += 6
            for byte in chunk.cname.utf8 {
                buffer[offset] = byte
                offset += 1
            }
            buffer.rtcpZero(offset..<chunkEnd)
            offset = chunkEnd
        }
        return size
    }

    public static func build(chunks: [RTCPCNAMEChunk]) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize(chunks: chunks)) { buffer throws(RTCPError) in
            try build(chunks: chunks, into: buffer)
        }
    }
}

/// Yields the chunks of a parsed SDES packet from a borrowed buffer.
public struct RTCPSourceDescriptionChunkIterator: IteratorProtocol, Sequence {
    private let bytes: UnsafeRawBufferPointer
    private let header: RTCPHeader
    private var remaining: Int
    private var offset: Int

    init(bytes: UnsafeRawBufferPointer, header: RTCPHeader, count: Int) {
        self.bytes = bytes
        self.header = header
        self.remaining = count
        self.offset = header.payloadRange.lowerBound
    }

    public mutating func next() -> RTCPSourceDescriptionChunk? {
        guard remaining > 0 else { return nil }
        do throws(RTCPError) {
            let walked = try RTCPSourceDescription.walkChunk(bytes, at: offset, header: header)
            offset = walked.next
            remaining -= 1
            return walked.chunk
        } catch {
            remaining = 0
            return nil
        }
    }
}

/// Yields the items of one SDES chunk from a borrowed buffer.
public struct RTCPSourceDescriptionItemIterator: IteratorProtocol, Sequence {
    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    private var offset: Int

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.end = Swift.min(range.upperBound, bytes.count)
        self.offset = range.lowerBound
    }

    public mutating func next() -> RTCPSourceDescriptionItem? {
        guard offset >= 0, offset + 2 <= end else { return nil }
        let type = bytes[offset]
        let length = Int(bytes[offset + 1])
        guard type != 0, offset + 2 + length <= end else { return nil }
        let item = RTCPSourceDescriptionItem(
            type: RTCPSourceDescriptionItemType(rawValue: type),
            valueRange: (offset + 2)..<(offset + 2 + length)
        )
        offset += 2 + length
        return item
    }
}
