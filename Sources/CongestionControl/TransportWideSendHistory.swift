public import RTP

/// One sent packet as transport-cc feedback reported it.
public struct TransportPacketResult: Sendable, Equatable {
    /// Extended (unwrapped) transport-wide sequence number.
    public var sequenceNumber: Int64
    /// When it was sent, µs on the sender's clock.
    public var sendMicroseconds: Int64
    /// When it arrived, µs on the receiver's clock (only differences mean anything); nil: lost.
    public var arrivalMicroseconds: Int64?
    /// Bytes on the wire (the RTP packet, as the estimator counts it).
    public var size: Int
    /// The probe cluster it was sent in, if any.
    public var probeCluster: Int?

    public init(sequenceNumber: Int64, sendMicroseconds: Int64, arrivalMicroseconds: Int64?, size: Int,
                probeCluster: Int? = nil) {
        self.sequenceNumber = sequenceNumber
        self.sendMicroseconds = sendMicroseconds
        self.arrivalMicroseconds = arrivalMicroseconds
        self.size = size
        self.probeCluster = probeCluster
    }

    public var isReceived: Bool { arrivalMicroseconds != nil }
}

/// The sender's side of transport-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2):
/// numbers every packet of one transport, remembers when it left and how big it was, and turns
/// the receiver's feedback back into per-packet send and arrival times.
///
/// A ring of `capacity` records allocated at init, so numbering a packet never allocates.
/// Feedback is matched by extended sequence number: wraparound, a reordered or repeated
/// report, and a report about a number we never sent (or forgot) are all handled here, so
/// each packet reaches the estimator at most once as received and at most once as lost.
public struct TransportWideSendHistory: Sendable {
    public let capacity: Int
    private let mask: Int
    private var tags: [Int64]
    private var sendTimes: [Int64]
    private var sizes: [Int32]
    private var clusters: [Int32]
    /// 0: not reported yet, 1: reported lost, 2: reported received.
    private var reports: [UInt8]
    /// The next extended sequence number to hand out.
    private var next: Int64 = 0
    /// Feedback about numbers it does not know (never sent, or too old for the ring).
    public private(set) var unknownReports = 0

    private static let empty = Int64.min

    /// - Parameter capacity: packets remembered, rounded up to a power of two in 256...32768
    ///   (at 5,000 packets/s, 8192 is 1.6 s: far longer than feedback takes).
    public init(capacity: Int = 8192) {
        var slots = 256
        while slots < min(max(capacity, 256), 32768) { slots <<= 1 }
        self.capacity = slots
        mask = slots - 1
        tags = [Int64](repeating: Self.empty, count: slots)
        sendTimes = [Int64](repeating: 0, count: slots)
        sizes = [Int32](repeating: 0, count: slots)
        clusters = [Int32](repeating: -1, count: slots)
        reports = [UInt8](repeating: 0, count: slots)
    }

    /// Numbers a packet about to leave; returns the 16-bit value for its header extension.
    public mutating func packetSent(size: Int, at now: Int64, probeCluster: Int? = nil) -> UInt16 {
        let sequence = next
        next += 1
        let slot = Int(sequence & Int64(mask))
        tags[slot] = sequence
        sendTimes[slot] = now
        sizes[slot] = Int32(clamping: size)
        clusters[slot] = Int32(clamping: probeCluster ?? -1)
        reports[slot] = 0
        return UInt16(truncatingIfNeeded: sequence)
    }

    /// The extended number nearest to the newest one sent that has these low 16 bits.
    func extend(_ sequenceNumber: UInt16) -> Int64? {
        guard next > 0 else { return nil }
        let newest = next - 1
        return newest + Int64(SerialNumberArithmetic.distance(from: UInt16(truncatingIfNeeded: newest),
                                                              to: sequenceNumber))
    }

    /// Appends to `results` what `feedback` says that was not said before, in its order.
    public mutating func results(of feedback: RTCPTransportFeedback, into results: inout [TransportPacketResult]) {
        for packet in feedback.packets {
            guard let extended = extend(packet.sequenceNumber) else {
                unknownReports += 1
                continue
            }
            let slot = Int(extended & Int64(mask))
            guard tags[slot] == extended else {
                unknownReports += 1
                continue
            }
            let received = packet.arrivalTimeMicroseconds != nil
            switch (reports[slot], received) {
            case (2, _), (1, false): continue // said already
            default: reports[slot] = received ? 2 : 1
            }
            results.append(TransportPacketResult(
                sequenceNumber: extended, sendMicroseconds: sendTimes[slot],
                arrivalMicroseconds: packet.arrivalTimeMicroseconds, size: Int(sizes[slot]),
                probeCluster: clusters[slot] < 0 ? nil : Int(clusters[slot])))
        }
    }

    /// Send time of a packet still in the ring (for tests and round-trip estimates).
    public func sendTime(of extended: Int64) -> Int64? {
        let slot = Int(extended & Int64(mask))
        return tags[slot] == extended ? sendTimes[slot] : nil
    }
}
