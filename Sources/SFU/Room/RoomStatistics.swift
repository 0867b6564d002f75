/// What a room (or every room of a server, summed) has done: the gauges of the moment and the
/// counters since it opened. Read for `/metrics`; cheap, since the room keeps the counters anyway.
public struct RoomStatistics: Sendable, Equatable {
    public var rooms = 0
    public var participants = 0
    public var publications = 0
    public var subscriptions = 0

    public var forwardedPackets = 0
    public var retransmittedPackets = 0
    public var keyFrameRequests = 0
    public var packetsFromUnknownSSRC = 0
    public var undecodablePackets = 0
    public var malformedFeedback = 0
    public var relayedDataMessages = 0
    public var droppedDataMessages = 0

    public init() {}

    /// Sums two rooms' statistics.
    public static func + (lhs: RoomStatistics, rhs: RoomStatistics) -> RoomStatistics {
        var sum = lhs
        sum.rooms += rhs.rooms
        sum.participants += rhs.participants
        sum.publications += rhs.publications
        sum.subscriptions += rhs.subscriptions
        sum.addCounters(of: rhs)
        return sum
    }

    /// Adds only `other`'s counters: what a closed room leaves behind, so server totals never
    /// go down when a room ends.
    public mutating func addCounters(of other: RoomStatistics) {
        forwardedPackets += other.forwardedPackets
        retransmittedPackets += other.retransmittedPackets
        keyFrameRequests += other.keyFrameRequests
        packetsFromUnknownSSRC += other.packetsFromUnknownSSRC
        undecodablePackets += other.undecodablePackets
        malformedFeedback += other.malformedFeedback
        relayedDataMessages += other.relayedDataMessages
        droppedDataMessages += other.droppedDataMessages
    }
}

extension Room {
    /// This room's statistics now.
    public var statistics: RoomStatistics {
        var statistics = RoomStatistics()
        statistics.rooms = 1
        statistics.participants = participants.count
        statistics.publications = publications.count
        statistics.subscriptions = publications.values.reduce(0) { $0 + $1.subscriptions.count }
        statistics.forwardedPackets = forwardedPackets
        statistics.retransmittedPackets = retransmittedPackets
        statistics.keyFrameRequests = keyFrameRequests
        statistics.packetsFromUnknownSSRC = packetsFromUnknownSSRC
        statistics.undecodablePackets = undecodablePackets
        statistics.malformedFeedback = malformedFeedback
        statistics.relayedDataMessages = relayedDataMessages
        statistics.droppedDataMessages = droppedDataMessages
        return statistics
    }
}
