/// Interarrival jitter J (RFC 3550 §6.4.1), computed in integer arithmetic as in §A.8:
/// D = (Rj − Ri) − (Sj − Si), J += (|D| − J)/16, all in RTP clock-rate units.
///
/// Feed packets in arrival order. Only transit differences are used, so the arrival clock's
/// epoch is irrelevant and RTP timestamp wrap is handled by 32-bit wrapping subtraction.
public struct InterarrivalJitterEstimator: Sendable, Hashable {
    @usableFromInline var lastTransit: UInt32?
    /// J scaled by 16, as in §A.8, to keep fractional precision.
    @usableFromInline var scaledJitter: Int64 = 0

    public init() {}

    /// Adds one packet: its RTP timestamp and its arrival time in the same clock-rate units.
    @inlinable
    public mutating func update(rtpTimestamp: UInt32, arrival: Int64) {
        let transit = UInt32(truncatingIfNeeded: arrival) &- rtpTimestamp
        defer { lastTransit = transit }
        guard let lastTransit else { return }
        let difference = Int64(Int32(bitPattern: transit &- lastTransit)).magnitude
        // RFC 3550 §A.8: jitter += d - ((jitter + 8) >> 4), jitter kept ×16.
        scaledJitter += Int64(difference) - ((scaledJitter + 8) >> 4)
    }

    /// J in RTP timestamp units, as reported in RTCP receiver reports (RFC 3550 §6.4.1).
    public var jitter: UInt32 { UInt32(clamping: scaledJitter >> 4) }

    /// J with its fractional part.
    public var preciseJitter: Double { Double(scaledJitter) / 16 }
}
