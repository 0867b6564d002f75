public import RTP

/// The header fields a forwarded packet gets on the subscription's stream.
public struct ForwardedRTPHeader: Sendable, Hashable {
    /// The subscription's own SSRC.
    public var ssrc: UInt32
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    /// How the packet relates to what the subscription has been sent already.
    public var order: ForwardedPacketOrder
    /// True on the first packet forwarded from a source (the first packet ever, or the first
    /// after a switch to another simulcast layer / SSRC).
    public var startsNewSource: Bool

    public init(ssrc: UInt32, sequenceNumber: UInt16, timestamp: UInt32, order: ForwardedPacketOrder,
                startsNewSource: Bool) {
        self.ssrc = ssrc
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.order = order
        self.startsNewSource = startsNewSource
    }
}

/// Where a forwarded packet sits in the subscription's sequence space.
public enum ForwardedPacketOrder: Sendable, Hashable {
    /// The newest packet of the current source so far (possibly after an upstream gap, which
    /// stays a gap in the output so the subscriber NACKs it).
    case inOrder
    /// A late (reordered or retransmitted) packet filling a number held open for it when
    /// upstream loss left a gap.
    case fillsGap
    /// A packet whose output number was sent before: a retransmission or duplicate of a
    /// forwarded packet. It keeps its original number (RFC 4588 §4: a retransmission is the
    /// same packet).
    case repeated
}

/// Why `ForwardingRewriter` did not forward a packet.
public enum ForwardingDropReason: Sendable, Hashable {
    /// The router decided not to forward it (layer or temporal layer not selected, paused).
    case notSelected
    /// It comes from a source other than the one being forwarded and the router did not select
    /// it, e.g. a late packet of the layer switched away from.
    case notCurrentSource
    /// It belongs to the current source but precedes the switch point: numbers before the
    /// switch belong to the previous source.
    case olderThanSwitch
    /// Too old to remember how it was mapped.
    case outsideWindow
    /// Its sequence number was dropped deliberately earlier; no output number was kept for it.
    case droppedEarlier
}

/// The outcome for one packet offered to `ForwardingRewriter`.
public enum ForwardingResult: Sendable, Hashable {
    case forward(ForwardedRTPHeader)
    case drop(ForwardingDropReason)

    /// The rewritten header when forwarded.
    public var forwarded: ForwardedRTPHeader? {
        if case .forward(let header) = self { return header }
        return nil
    }
}

/// Why an in-place rewrite of a packet could not be done.
public enum ForwardingRewriteError: Error, Sendable, Hashable {
    /// The buffer is not a parseable RTP packet.
    case invalidHeader(RTPHeaderError)
    /// The buffer is too short for the rewritten fields.
    case write(RTPHeaderWriteError)
}
