/// The change between two consecutive packet groups: how far apart they were sent and how far
/// apart they arrived. Their difference is the one-way delay gradient.
public struct PacketGroupDelta: Sendable, Equatable {
    public var sendDeltaMicroseconds: Int64
    public var arrivalDeltaMicroseconds: Int64
    /// Arrival of the later group's last packet (receiver clock).
    public var arrivalMicroseconds: Int64
}

/// Groups packets sent within 5 ms of each other (a frame's burst) and reports the delta
/// between consecutive groups (draft-ietf-rmcat-gcc-02 §5.2, libwebrtc's InterArrivalDelta).
/// A packet that arrives within 5 ms of its group's last one while having been sent later
/// (negative propagation delta) still belongs to that group: it waited in the same queue.
public struct PacketGroupDeltas: Sendable {
    public static let groupLengthMicroseconds: Int64 = 5_000
    public static let burstDeltaMicroseconds: Int64 = 5_000
    /// An arrival gap this much larger than the send gap means the clocks jumped: start over.
    public static let resetGapMicroseconds: Int64 = 3_000_000

    struct Group {
        var firstSend: Int64
        var lastSend: Int64
        var firstArrival: Int64
        var lastArrival: Int64
    }

    private var current: Group?
    private var previous: Group?

    public init() {}

    /// Adds a received packet (in send order); returns the delta when it closed a group.
    public mutating func add(sendMicroseconds send: Int64, arrivalMicroseconds arrival: Int64) -> PacketGroupDelta? {
        guard var group = current else {
            current = Group(firstSend: send, lastSend: send, firstArrival: arrival, lastArrival: arrival)
            return nil
        }
        // Sent before the group began: reordered on our side, nothing to learn from it.
        if send < group.firstSend { return nil }
        if belongs(send: send, arrival: arrival, to: group) {
            group.lastSend = max(group.lastSend, send)
            group.lastArrival = max(group.lastArrival, arrival)
            current = group
            return nil
        }
        var delta: PacketGroupDelta?
        if let previous {
            let sendDelta = group.lastSend - previous.lastSend
            let arrivalDelta = group.lastArrival - previous.lastArrival
            if arrivalDelta - sendDelta > Self.resetGapMicroseconds || arrivalDelta < 0 {
                self.previous = nil
                current = Group(firstSend: send, lastSend: send, firstArrival: arrival, lastArrival: arrival)
                return nil
            }
            delta = PacketGroupDelta(sendDeltaMicroseconds: sendDelta, arrivalDeltaMicroseconds: arrivalDelta,
                                     arrivalMicroseconds: group.lastArrival)
        }
        previous = group
        current = Group(firstSend: send, lastSend: send, firstArrival: arrival, lastArrival: arrival)
        return delta
    }

    private func belongs(send: Int64, arrival: Int64, to group: Group) -> Bool {
        if send - group.firstSend <= Self.groupLengthMicroseconds { return true }
        let arrivalDelta = arrival - group.lastArrival
        let propagationDelta = arrivalDelta - (send - group.lastSend)
        return propagationDelta < 0 && arrivalDelta <= Self.burstDeltaMicroseconds
    }
}
