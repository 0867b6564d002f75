import RTP

/// What one outgoing stream has sent, for the sender info of its SRs (RFC 3550 §6.4.1).
///
/// Fed with the OUTPUT headers (after the forwarder rewrote SSRC, sequence number and
/// timestamp), so that the RTP-to-wall-clock mapping stays continuous when the subscriber
/// is switched between simulcast layers whose input timestamps are unrelated.
public struct SendStatistics: Sendable, Hashable {
    /// RFC 3550 §6.4.1 sender's packet count (wraps, as the 32-bit field does).
    public private(set) var packetCount: UInt32 = 0
    /// RFC 3550 §6.4.1 sender's octet count: payload octets only, no header or padding.
    public private(set) var octetCount: UInt32 = 0
    /// Output RTP timestamp of the newest frame sent, and when its first packet was sent (µs).
    public private(set) var lastRTPTimestamp: UInt32 = 0
    public private(set) var lastRTPTimestampSendMicroseconds: Int64 = 0
    public private(set) var hasSent = false

    public init() {}

    /// Records one sent packet. Retransmissions on an RTX stream belong to that stream's
    /// statistics, not this one's.
    public mutating func recordSent(payloadBytes: Int, rtpTimestamp: UInt32, sendMicroseconds: Int64) {
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: max(payloadBytes, 0))
        // Anchor on the first packet of each newer frame: its send time is closest to the
        // moment the timestamp stood for. Older timestamps (reordered output) are ignored.
        if !hasSent || SerialNumberArithmetic.isNewer(rtpTimestamp, than: lastRTPTimestamp) {
            lastRTPTimestamp = rtpTimestamp
            lastRTPTimestampSendMicroseconds = sendMicroseconds
            hasSent = true
        }
    }
}
