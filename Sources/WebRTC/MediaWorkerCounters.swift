/// Per-worker packet counts. Malformed or unauthorised packets are dropped and counted here,
/// never allowed to reach a transport.
public struct MediaWorkerCounters: Sendable, Equatable {
    public var datagramsReceived: UInt64 = 0
    public var datagramsSent: UInt64 = 0
    /// Datagrams the kernel refused to send (full socket buffer, unreachable address).
    public var datagramsNotSent: UInt64 = 0
    /// Non-STUN datagrams from an address no transport has validated through ICE.
    public var droppedFromUnknownAddress: UInt64 = 0
    /// STUN requests whose USERNAME names no transport on this worker.
    public var droppedSTUNForUnknownUsername: UInt64 = 0
    /// STUN the ICE agent refused to answer (bad integrity, malformed, …).
    public var droppedSTUN: UInt64 = 0
    /// First byte outside every RFC 7983 range.
    public var droppedUnknownKind: UInt64 = 0
    /// DTLS records that failed to parse or arrived for a failed connection.
    public var droppedDTLS: UInt64 = 0
    /// SRTP/SRTCP that failed authentication, was replayed, or came before keys existed.
    public var droppedSRTP: UInt64 = 0
    /// SCTP packets with no association to take them, or that could not go out in DTLS.
    public var droppedSCTP: UInt64 = 0
    /// Data channel messages refused by DCEP (malformed OPEN, unknown stream, bad PPID).
    public var droppedDataChannelMessages: UInt64 = 0
    /// How long the datagrams sent in answer to a read batch spent in the worker.
    public var processingDelay = ProcessingDelayHistogram()

    public init() {}
}
