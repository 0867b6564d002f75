/// A 64-bit NTP timestamp (RFC 3550 §4): seconds since 1900-01-01 in the high 32 bits, a
/// binary fraction of a second in the low 32.
///
/// Conversion to Unix time resolves the 2036 wrap as RFC 4330 §3 suggests: seconds with the
/// top bit set are in era 0 (1968-2036), without it in era 1 (2036-2104).
public struct NTPTimestamp: Sendable, Hashable, Comparable {
    /// Seconds from 1900-01-01 to 1970-01-01.
    public static let unixEpochOffsetSeconds: Int64 = 2_208_988_800
    static let nanosecondsPerSecond: Int64 = 1_000_000_000

    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(seconds: UInt32, fraction: UInt32) {
        self.rawValue = UInt64(seconds) << 32 | UInt64(fraction)
    }

    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    /// The middle 32 bits (16.16 seconds), as carried in RTCP LSR and compared with DLSR
    /// (RFC 3550 §4, §6.4.1).
    public var compact: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    /// From nanoseconds since 1970-01-01 UTC; the fraction is rounded to the nearest 2^-32 s.
    public init(unixNanoseconds: Int64) {
        var wholeSeconds = unixNanoseconds / Self.nanosecondsPerSecond
        var nanoseconds = unixNanoseconds % Self.nanosecondsPerSecond
        if nanoseconds < 0 {
            nanoseconds += Self.nanosecondsPerSecond
            wholeSeconds -= 1
        }
        // nanoseconds < 2^30, so shifting by 32 stays below 2^62.
        var fraction = (UInt64(nanoseconds) << 32 + 500_000_000) / UInt64(Self.nanosecondsPerSecond)
        if fraction > UInt64(UInt32.max) {
            fraction = 0
            wholeSeconds += 1
        }
        let ntpSeconds = UInt32(truncatingIfNeeded: wholeSeconds &+ Self.unixEpochOffsetSeconds)
        self.init(seconds: ntpSeconds, fraction: UInt32(fraction))
    }

    /// Nanoseconds since 1970-01-01 UTC, rounded to the nearest nanosecond.
    public var unixNanoseconds: Int64 {
        let nanoseconds = Int64((UInt64(fraction) * UInt64(Self.nanosecondsPerSecond) + (1 << 31)) >> 32)
        return unixSeconds64 * Self.nanosecondsPerSecond + nanoseconds
    }

    /// From (possibly fractional) seconds since 1970-01-01 UTC. Non-finite or absurdly large
    /// values (beyond ±10^15 s) give the zero timestamp instead of trapping.
    public init(unixSeconds: Double) {
        guard unixSeconds.isFinite, unixSeconds.magnitude < 1e15 else {
            self.init(rawValue: 0)
            return
        }
        let whole = unixSeconds.rounded(.down)
        var fraction = ((unixSeconds - whole) * 4_294_967_296.0).rounded()
        var seconds = Int64(whole)
        if fraction >= 4_294_967_296.0 {
            fraction = 0
            seconds += 1
        }
        self.init(
            seconds: UInt32(truncatingIfNeeded: seconds &+ Self.unixEpochOffsetSeconds),
            fraction: UInt32(fraction))
    }

    /// Seconds since 1970-01-01 UTC.
    public var unixSeconds: Double {
        Double(unixSeconds64) + Double(fraction) / 4_294_967_296.0
    }

    /// Whole Unix seconds, resolving the NTP era (RFC 4330 §3).
    private var unixSeconds64: Int64 {
        let eraStart: Int64 = seconds & 0x8000_0000 != 0 ? 0 : 1 << 32
        return eraStart + Int64(seconds) - Self.unixEpochOffsetSeconds
    }

    public static func < (lhs: NTPTimestamp, rhs: NTPTimestamp) -> Bool {
        lhs.unixNanoseconds < rhs.unixNanoseconds
    }
}

/// Durations and instants in compact NTP (16.16 seconds, i.e. units of 1/65536 s), as used by
/// RTCP LSR/DLSR (RFC 3550 §6.4.1).
public enum CompactNTP {
    public static let unitsPerSecond: Int64 = 65_536

    /// Rounded to the nearest unit; negative durations give 0, durations beyond the 16-bit
    /// seconds range saturate.
    public static func fromNanoseconds(_ nanoseconds: Int64) -> UInt32 {
        guard nanoseconds > 0 else { return 0 }
        let maximumNanoseconds = Int64(UInt32.max) * 1_000_000_000 / unitsPerSecond
        guard nanoseconds < maximumNanoseconds else { return UInt32.max }
        // nanoseconds < 6.6e13, times 65536 < 4.3e18: fits Int64.
        return UInt32((nanoseconds * unitsPerSecond + 500_000_000) / 1_000_000_000)
    }

    /// Rounded to the nearest nanosecond.
    public static func toNanoseconds(_ compact: UInt32) -> Int64 {
        (Int64(compact) * 1_000_000_000 + unitsPerSecond / 2) / unitsPerSecond
    }

    /// Round-trip time from a report block: arrival − LSR − DLSR, all compact NTP, with
    /// wrapping arithmetic (RFC 3550 §6.4.1). Returns nil when no SR was received (LSR 0)
    /// or the result would be negative (clock steps, bogus DLSR).
    public static func roundTripTime(
        arrival: UInt32, lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32
    ) -> UInt32? {
        guard lastSenderReport != 0 else { return nil }
        let rtt = arrival &- lastSenderReport &- delaySinceLastSenderReport
        guard rtt < 0x8000_0000 else { return nil }
        return rtt
    }
}
