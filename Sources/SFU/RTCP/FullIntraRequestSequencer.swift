public import RTP

/// Command sequence numbers for FIR (RFC 5104 §4.3.1.1): one 8-bit counter per media SSRC,
/// incremented for each new request (repetitions of the same request would reuse it; the
/// throttle makes every request we send a new one).
public struct FullIntraRequestSequencer: Sendable {
    private var next: [UInt32: UInt8] = [:]

    public init() {}

    /// The FCI entry for a new FIR to `mediaSSRC`, consuming its sequence number.
    public mutating func nextEntry(mediaSSRC: UInt32) -> RTCPFullIntraRequestEntry {
        let sequenceNumber = next[mediaSSRC, default: 0]
        next[mediaSSRC] = sequenceNumber &+ 1
        return RTCPFullIntraRequestEntry(ssrc: mediaSSRC, sequenceNumber: sequenceNumber)
    }

    public mutating func remove(mediaSSRC: UInt32) {
        next[mediaSSRC] = nil
    }
}
