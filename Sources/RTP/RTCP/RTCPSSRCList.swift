/// A run of 32-bit SSRCs in the caller's buffer (BYE, REMB), read on demand.
public struct RTCPSSRCList: Sendable, Equatable {
    public let range: Range<Int>
    public let count: Int

    public func ssrc(at index: Int, in bytes: UnsafeRawBufferPointer) throws(RTCPError) -> UInt32 {
        guard index >= 0, index < count else {
            throw .truncated(needed: (index + 1) * 4, available: range.count)
        }
        let offset = range.lowerBound + index * 4
        try bytes.rtcpRequire(offset, 4, within: range.upperBound)
        return bytes.rtcpUInt32(at: offset)
    }

    public func ssrcs(in bytes: UnsafeRawBufferPointer) -> RTCPSSRCIterator {
        RTCPSSRCIterator(bytes: bytes, list: self)
    }
}

/// Yields SSRCs from a borrowed buffer; stops early if the buffer is too short.
public struct RTCPSSRCIterator: IteratorProtocol, Sequence {
    private let bytes: UnsafeRawBufferPointer
    private let list: RTCPSSRCList
    private var index = 0

    init(bytes: UnsafeRawBufferPointer, list: RTCPSSRCList) {
        self.bytes = bytes
        self.list = list
    }

    public mutating func next() -> UInt32? {
        guard index < list.count else { return nil }
        let offset = list.range.lowerBound + index * 4
        guard offset >= 0, offset + 4 <= Swift.min(list.range.upperBound, bytes.count) else { return nil }
        index += 1
        return bytes.rtcpUInt32(at: offset)
    }
}
