import RTP

/// Why a packet could not be stored in a `RetransmissionBuffer`.
public enum RetransmissionBufferError: Error, Sendable, Hashable {
    /// The packet is larger than a slot (the buffer's `maximumPacketSize`).
    case packetTooLarge(size: Int, maximum: Int)
}

/// Where a stored packet lies in a `RetransmissionBuffer`, plus what is known about it.
/// Read its bytes with `RetransmissionBuffer.withPacketBytes(_:_:)` before the next store.
public struct RetransmissionBufferEntry: Sendable, Hashable {
    /// The output sequence number the packet was sent with.
    public let sequenceNumber: UInt16
    /// When it was first sent, in µs of the caller's monotonic clock.
    public let sendTimeMicroseconds: Int64
    /// How often it has been retransmitted so far (see `recordRetransmission`).
    public let retransmissionCount: Int
    /// When it was last retransmitted, nil if never.
    public let lastRetransmissionMicroseconds: Int64?
    /// The packet's bytes inside the buffer's slab.
    public let byteRange: Range<Int>

    public var length: Int { byteRange.count }
}

/// The last N forwarded RTP packets of one outgoing stream, kept so NACKed packets can be
/// resent (RFC 4585 §6.2.1, RFC 4588).
///
/// Packets are copied into one slab allocated at init: slot `sequenceNumber mod N`, each
/// `maximumPacketSize` bytes, so storing a packet never allocates. Every slot remembers the
/// wrap-extended sequence number it holds, so a lookup for a number that was overwritten,
/// skipped or never stored finds a mismatching tag and returns nil. Packets older than
/// `maximumAgeMicroseconds` are refused too: a retransmission that late only hurts.
///
/// Store the plain RTP packet exactly as sent (before SRTP protection). Keep the buffer in
/// one place (a stored property of the stream's owner) and mutate it there: a copy of the
/// struct shares the slab, and the next store into either copy would duplicate it.
public struct RetransmissionBuffer: Sendable {
    public static let defaultMaximumPacketSize = 1500

    public let capacity: Int
    public let maximumPacketSize: Int
    public let maximumAgeMicroseconds: Int64

    private let mask: Int
    private var slab: [UInt8]
    /// Extended sequence number held by each slot; `Int64.min` = empty.
    private var tags: [Int64]
    private var lengths: [Int]
    private var sendTimes: [Int64]
    private var retransmissionCounts: [Int]
    private var lastRetransmissions: [Int64]
    private var highest: Int64?

    private static let empty = Int64.min
    private static let never = Int64.min

    /// - Parameter capacity: slots, rounded up to a power of two (at least 16, at most 32768,
    ///   so that every stored number is unambiguous within the 16-bit space).
    public init(
        capacity: Int = 512, maximumPacketSize: Int = defaultMaximumPacketSize,
        maximumAgeMicroseconds: Int64 = 1_000_000
    ) {
        var slots = 16
        while slots < min(max(capacity, 16), 32768) { slots <<= 1 }
        self.capacity = slots
        self.mask = slots - 1
        self.maximumPacketSize = max(maximumPacketSize, 12)
        self.maximumAgeMicroseconds = maximumAgeMicroseconds
        slab = [UInt8](repeating: 0, count: slots * self.maximumPacketSize)
        tags = [Int64](repeating: Self.empty, count: slots)
        lengths = [Int](repeating: 0, count: slots)
        sendTimes = [Int64](repeating: 0, count: slots)
        retransmissionCounts = [Int](repeating: 0, count: slots)
        lastRetransmissions = [Int64](repeating: Self.never, count: slots)
    }

    /// Copies a packet that was just sent with output sequence number `sequenceNumber`.
    /// A packet older than the buffer's reach (more than `capacity` behind the newest) is
    /// ignored; storing the same number again replaces the earlier copy.
    public mutating func store(
        _ packet: UnsafeRawBufferPointer, sequenceNumber: UInt16, sendTimeMicroseconds: Int64
    ) throws(RetransmissionBufferError) {
        guard packet.count <= maximumPacketSize else {
            throw .packetTooLarge(size: packet.count, maximum: maximumPacketSize)
        }
        let extended: Int64
        if let highest {
            extended = highest + Int64(SerialNumberArithmetic.distance(
                from: UInt16(truncatingIfNeeded: highest), to: sequenceNumber))
            if extended <= highest - Int64(capacity) { return }
            if extended > highest { self.highest = extended }
        } else {
            extended = Int64(sequenceNumber)
            highest = extended
        }
        let slot = Int(extended & Int64(mask))
        tags[slot] = extended
        lengths[slot] = packet.count
        sendTimes[slot] = sendTimeMicroseconds
        retransmissionCounts[slot] = 0
        lastRetransmissions[slot] = Self.never
        let start = slot * maximumPacketSize
        slab.withUnsafeMutableBytes { destination in
            guard let base = destination.baseAddress, let source = packet.baseAddress, packet.count > 0 else { return }
            (base + start).copyMemory(from: source, byteCount: packet.count)
        }
    }

    /// Convenience for tests and slow paths.
    public mutating func store(_ packet: [UInt8], sequenceNumber: UInt16, sendTimeMicroseconds: Int64) throws(RetransmissionBufferError) {
        let result = packet.withUnsafeBytes { bytes in
            Result { () throws(RetransmissionBufferError) in
                try store(bytes, sequenceNumber: sequenceNumber, sendTimeMicroseconds: sendTimeMicroseconds)
            }
        }
        try result.get()
    }

    /// The slot holding `sequenceNumber`, if it is still there and not too old at `now`.
    private func slot(for sequenceNumber: UInt16, nowMicroseconds: Int64) -> Int? {
        guard let highest else { return nil }
        let extended = highest + Int64(SerialNumberArithmetic.distance(
            from: UInt16(truncatingIfNeeded: highest), to: sequenceNumber))
        guard extended <= highest, extended > highest - Int64(capacity) else { return nil }
        let slot = Int(extended & Int64(mask))
        guard tags[slot] == extended else { return nil }
        guard nowMicroseconds - sendTimes[slot] <= maximumAgeMicroseconds else { return nil }
        return slot
    }

    /// The stored packet sent as `sequenceNumber`, or nil when it was never stored, has been
    /// overwritten by a newer one, or was sent more than `maximumAgeMicroseconds` before `now`.
    public func packet(sequenceNumber: UInt16, nowMicroseconds: Int64) -> RetransmissionBufferEntry? {
        guard let slot = slot(for: sequenceNumber, nowMicroseconds: nowMicroseconds) else { return nil }
        let start = slot * maximumPacketSize
        let last = lastRetransmissions[slot]
        return RetransmissionBufferEntry(
            sequenceNumber: sequenceNumber, sendTimeMicroseconds: sendTimes[slot],
            retransmissionCount: retransmissionCounts[slot],
            lastRetransmissionMicroseconds: last == Self.never ? nil : last,
            byteRange: start..<(start + lengths[slot]))
    }

    /// Lends the bytes of an entry returned by `packet(sequenceNumber:nowMicroseconds:)`.
    /// The pointer must not escape `body`.
    public func withPacketBytes<Result, Failure: Error>(
        _ entry: RetransmissionBufferEntry,
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let range = entry.byteRange.clamped(to: 0..<slab.count)
        let outcome = slab.withUnsafeBytes { bytes in
            Swift.Result { () throws(Failure) -> Result in try body(UnsafeRawBufferPointer(rebasing: bytes[range])) }
        }
        return try outcome.get()
    }

    /// A copy of the stored packet (tests and slow paths).
    public func packetBytes(sequenceNumber: UInt16, nowMicroseconds: Int64) -> [UInt8]? {
        guard let entry = packet(sequenceNumber: sequenceNumber, nowMicroseconds: nowMicroseconds) else { return nil }
        return withPacketBytes(entry) { Array($0) }
    }

    /// Notes that `sequenceNumber` was resent at `now`, so callers can refuse to resend it
    /// again within one RTT (a NACK repeated before our retransmission could arrive).
    public mutating func recordRetransmission(sequenceNumber: UInt16, nowMicroseconds: Int64) {
        guard let slot = slot(for: sequenceNumber, nowMicroseconds: nowMicroseconds) else { return }
        retransmissionCounts[slot] += 1
        lastRetransmissions[slot] = nowMicroseconds
    }

    /// Forgets everything (e.g. when the output stream restarts).
    public mutating func removeAll() {
        for index in tags.indices { tags[index] = Self.empty }
        highest = nil
    }
}
