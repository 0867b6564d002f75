import RTP

/// A published track: its layers' receive state and the subscriptions fed from it.
/// Lives on its room's loop.
final class Publication {
    let id: TrackID
    let owner: ParticipantID
    let description: TrackDescription
    let layers: [PublicationLayer]
    var subscriptions: [ParticipantID: Subscription] = [:]
    var muted = false
    var keyFrameThrottle = KeyFrameRequestThrottle<Int>()
    /// Publisher extension id → the id subscribers get it under, 0 for "blank it" (see
    /// `TrackDescription.forwardedExtensionIDs`).
    let extensionIDMap: [UInt8]
    /// Which payload format the data path reads (decided once, not per packet).
    let codecKind: TrackCodec.Kind
    /// Dynacast: the layers the publisher was last told to encode; nil: never told, so all.
    var announcedLayers: [Bool]?
    /// Fewer layers wanted than announced, and since when (released after a delay).
    var pendingLayerRelease: (layers: [Bool], since: Int64)?

    init(id: TrackID, owner: ParticipantID, description: TrackDescription) {
        self.id = id
        self.owner = owner
        self.description = description
        self.codecKind = description.codec.kind
        self.layers = description.layers.map {
            PublicationLayer(ssrc: $0.ssrc, rid: $0.rid, clockRate: Int(description.codec.clockRate))
        }
        var map = [UInt8](repeating: 0, count: 256)
        if let forwarded = description.forwardedExtensionIDs {
            for (from, to) in forwarded { map[Int(from)] = to }
        } else {
            for id in 1...255 { map[id] = UInt8(id) }
            for id in description.connectionExtensionIDs { map[Int(id)] = 0 }
        }
        extensionIDMap = map
    }

    var isSimulcastVideo: Bool { description.kind == .video }
}

/// One layer (simulcast encoding) of a publication as received from the publisher: statistics
/// for receiver reports, losses to NACK upstream, and recent packets to answer subscribers'
/// NACKs from (one copy per received packet, shared by every subscription).
final class PublicationLayer {
    /// Known from the SDP, or learned from the first packet that names this layer's rid.
    private(set) var ssrc: UInt32?
    /// The publisher's RTX SSRC for this layer, learned from the first RTX packet that names
    /// the layer's rid as the one it repairs (an SSRC the SDP gave is in the description).
    var learnedRTXSSRC: UInt32?
    let rid: String?
    let clockRate: Int
    var receiveStatistics: ReceiveStatistics
    var nackGenerator = NACKGenerator()
    var cache = RetransmissionBuffer(capacity: 512)
    /// What this layer costs a subscriber, for the layer allocator.
    var bitrate = BitrateMeter()
    /// The latest dependency structure the publisher attached (to a key frame) on this layer.
    var dependencyStructure: DependencyStructure?

    init(ssrc: UInt32?, rid: String?, clockRate: Int) {
        self.ssrc = ssrc
        self.rid = rid
        self.clockRate = clockRate
        self.receiveStatistics = ReceiveStatistics(ssrc: ssrc ?? 0, clockRate: clockRate)
    }

    /// Takes the SSRC the publisher turned out to use for this layer.
    func bind(ssrc: UInt32) {
        self.ssrc = ssrc
        receiveStatistics = ReceiveStatistics(ssrc: ssrc, clockRate: clockRate)
    }
}
