/// Extends 16-bit RTP sequence numbers to a monotonic 64-bit count (RFC 3550 §A.1 keeps a
/// cycle count for the same purpose).
///
/// Each value is placed at the position nearest to the previous one, so reordered older
/// packets (also across 65535 → 0) map below newer ones. The first value maps to itself;
/// a later older value may therefore map below zero.
public struct SequenceNumberUnwrapper: Sendable, Hashable {
    @usableFromInline var last: Int64?

    public init() {}

    /// The most recent unwrapped value, nil before the first.
    public var lastUnwrapped: Int64? { last }

    /// Unwraps `sequenceNumber` and remembers it as the reference for the next call.
    @inlinable
    public mutating func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        let value = peek(sequenceNumber)
        last = value
        return value
    }

    /// Unwraps without updating the reference.
    @inlinable
    public func peek(_ sequenceNumber: UInt16) -> Int64 {
        guard let last else { return Int64(sequenceNumber) }
        let step = Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: last))
        return last + Int64(step)
    }
}

/// Extends 32-bit RTP timestamps to 64 bits the same way: each value is placed nearest to
/// the previous one (within ±2^31 ticks).
public struct TimestampUnwrapper: Sendable, Hashable {
    @usableFromInline var last: Int64?

    public init() {}

    public var lastUnwrapped: Int64? { last }

    @inlinable
    public mutating func unwrap(_ timestamp: UInt32) -> Int64 {
        let value = peek(timestamp)
        last = value
        return value
    }

    @inlinable
    public func peek(_ timestamp: UInt32) -> Int64 {
        guard let last else { return Int64(timestamp) }
        let step = Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: last))
        return last + Int64(step)
    }
}
