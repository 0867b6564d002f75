/// Walks the packets of a compound RTCP datagram (RFC 3550 §6.1) by their length
/// fields, without allocating.
///
/// Every packet is yielded, including types this module does not know
/// (`RTCPPacketType.unknown`), so callers can skip them. A packet whose length runs
/// past the datagram, a bad version or bad padding ends the walk with a thrown
/// `RTCPError`; packets yielded before remain valid. After an error `next()` returns nil.
///
/// The iterator borrows `bytes`; use it only while that buffer is alive.
public struct RTCPCompoundIterator {
    private let bytes: UnsafeRawBufferPointer
    private var offset: Int
    private var finished = false

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.offset = 0
    }

    public mutating func next() throws(RTCPError) -> RTCPHeader? {
        guard !finished, offset < bytes.count else {
            finished = true
            return nil
        }
        do throws(RTCPError) {
            // RFC 3550 §6.1: packets are stacked back to back, each sized by its length field.
            let header = try RTCPHeader.parse(bytes, at: offset)
            offset = header.range.upperBound
            return header
        } catch {
            finished = true
            throw error
        }
    }
}
