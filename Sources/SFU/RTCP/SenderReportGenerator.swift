public import RTP

/// Builds the sender info of SRs for one outgoing stream and measures the round-trip time
/// from the report blocks the subscriber returns (RFC 3550 §6.4.1).
///
/// The SR's RTP timestamp must correspond to the same instant as its NTP timestamp
/// (RFC 3550 §6.4.1), which is "now", not the time of the last packet; it is extrapolated
/// from the last sent output timestamp with the clock rate.
public struct SenderReportGenerator: Sendable {
    public let ssrc: UInt32
    public let clockRate: Int64
    public private(set) var statistics = SendStatistics()
    /// Latest RTT measured from an RR, in µs; nil until one carried our LSR.
    public private(set) var roundTripTimeMicroseconds: Int64?

    public init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.clockRate = Int64(max(clockRate, 1))
    }

    /// Records one sent packet of this stream (output header values).
    public mutating func recordSent(payloadBytes: Int, rtpTimestamp: UInt32, sendMicroseconds: Int64) {
        statistics.recordSent(payloadBytes: payloadBytes, rtpTimestamp: rtpTimestamp, sendMicroseconds: sendMicroseconds)
    }

    /// The RTP timestamp that corresponds to `nowMicroseconds` (same clock as the send times):
    /// last timestamp + elapsed × clock rate (RFC 3550 §6.4.1), rounded to the nearest tick.
    public func rtpTimestamp(atMicroseconds nowMicroseconds: Int64) -> UInt32? {
        guard statistics.hasSent else { return nil }
        // Cap the span so the product cannot overflow; a stream silent for a day gets no SR anyway.
        let elapsed = min(max(nowMicroseconds - statistics.lastRTPTimestampSendMicroseconds, -86_400_000_000), 86_400_000_000)
        let product = elapsed * clockRate
        let ticks = product >= 0 ? (product + 500_000) / 1_000_000 : -((-product + 500_000) / 1_000_000)
        return statistics.lastRTPTimestamp &+ UInt32(truncatingIfNeeded: ticks)
    }

    /// Sender info for an SR sent at `nowMicroseconds` (monotonic, same clock as the send
    /// times), whose wall-clock time is `ntpNow`; nil before the first packet was sent
    /// (RFC 3550 §6.4: a participant that has not sent sends RRs).
    public func senderInfo(nowMicroseconds: Int64, ntpNow: NTPTimestamp) -> RTCPSenderInfo? {
        guard let rtpTimestamp = rtpTimestamp(atMicroseconds: nowMicroseconds) else { return nil }
        return RTCPSenderInfo(
            ntpTimestamp: ntpNow.rawValue, rtpTimestamp: rtpTimestamp,
            packetCount: statistics.packetCount, octetCount: statistics.octetCount)
    }

    /// Measures the RTT from a report block about this stream that arrived at `arrival`
    /// (wall clock): RTT = A − LSR − DLSR (RFC 3550 §6.4.1). Returns it in µs and keeps it
    /// in `roundTripTimeMicroseconds`; nil (and nothing kept) when the block is about another
    /// SSRC, carries no LSR yet, or the result is negative.
    @discardableResult
    public mutating func receivedReportBlock(_ block: RTCPReportBlock, arrival: NTPTimestamp) -> Int64? {
        guard block.ssrc == ssrc,
              let compact = CompactNTP.roundTripTime(
                arrival: arrival.compact, lastSenderReport: block.lastSenderReport,
                delaySinceLastSenderReport: block.delaySinceLastSenderReport)
        else { return nil }
        let microseconds = CompactNTP.toNanoseconds(compact) / 1000
        roundTripTimeMicroseconds = microseconds
        return microseconds
    }
}
