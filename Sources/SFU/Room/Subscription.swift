import RTP

/// A publication forwarded to one subscriber: its own SSRC and sequence space, the layer it is
/// on, and what was sent under each output sequence number (to answer NACKs from the shared
/// publication cache without keeping a copy per subscriber).
final class Subscription {
    let subscriber: ParticipantID
    unowned let publication: Publication
    let ssrc: UInt32
    let payloadType: UInt8
    var preferences: SubscriptionPreferences
    var selector: SimulcastLayerSelector
    var rewriter: ForwardingRewriter
    var pictureRewriter = VP8PictureIDRewriter()
    var senderReports: SenderReportGenerator
    var sent = SentPacketLog()
    var retransmittedPackets = 0
    /// The RTP timestamp of the last packet forwarded (probe padding goes out with it).
    var lastOutputTimestamp: UInt32?
    /// Loss fraction (0…1) in the subscriber's latest receiver report about this stream.
    var reportedLoss: Double?
    /// Wraps retransmissions as RTX when the subscriber negotiated it.
    var rtx: RTXPacketizer?
    /// The highest layer the subscriber's available bitrate allows; nil when it is not limited.
    private(set) var bandwidthLayerLimit: Int?
    /// Not even the lowest layer fits the subscriber's available bitrate: nothing is forwarded.
    private(set) var pausedForBandwidth = false
    /// Since when the lowest layer has not fitted (a pause waits a second for it to persist).
    var lowestLayerShortSince: Int64?
    /// The bandwidth limit fell below the layer being sent: until the lower layer's key frame
    /// arrives, only the current layer's base temporal layer goes out (fewer frames, not a
    /// frozen picture), or, when even that would overrun the downlink, nothing of it.
    private(set) var shedding = false

    init(subscriber: ParticipantID, publication: Publication, ssrc: UInt32, preferences: SubscriptionPreferences) {
        self.subscriber = subscriber
        self.publication = publication
        self.ssrc = ssrc
        self.payloadType = preferences.payloadType ?? publication.description.codec.payloadType
        self.preferences = preferences
        let clockRate = publication.description.codec.clockRate
        self.rewriter = ForwardingRewriter(ssrc: ssrc, clockRate: clockRate)
        self.selector = SimulcastLayerSelector(targetSpatialLayer: Self.targetLayer(preferences, publication, limit: nil),
                                               targetMaxTemporalLayer: preferences.maxTemporalLayer ?? Self.allTemporalLayers)
        self.senderReports = SenderReportGenerator(ssrc: ssrc, clockRate: Int(clockRate))
    }

    /// Starts RTX on its own SSRC and sequence space (RFC 4588 §4).
    func enableRTX(ssrc rtxSSRC: UInt32, payloadType: UInt8) {
        rtx = RTXPacketizer(ssrc: rtxSSRC, payloadType: payloadType,
                            initialSequenceNumber: UInt16.random(in: .min ... .max))
    }

    /// Dependency descriptors allow temporal ids up to 7 (AV1 RTP spec A.8.3); VP8 and VP9 use 0…3.
    static let allTemporalLayers: UInt8 = 7

    /// The layer the subscriber asked for, capped by its bandwidth limit when there is one.
    static func targetLayer(_ preferences: SubscriptionPreferences, _ publication: Publication,
                            limit: Int? = nil) -> Int? {
        guard !preferences.paused else { return nil }
        let best = publication.layers.count - 1
        return min(preferences.maxSpatialLayer ?? best, best, limit ?? best)
    }

    func apply(_ preferences: SubscriptionPreferences) {
        self.preferences = preferences
        retarget()
    }

    /// - Parameter severe: the downlink cannot take even a quarter of the current layer's rate,
    ///   so a lower switch holds the current layer entirely rather than thinning it.
    func limitLayer(to layer: Int?, severe: Bool = false) {
        guard layer != bandwidthLayerLimit else { return }
        bandwidthLayerLimit = layer
        // Shed only when bandwidth is what moves it down: a subscriber that asked for a lower
        // layer itself has the room to take the current one whole until the switch.
        if let layer, let current = currentLayer, layer < current,
           layer < Self.targetLayer(preferences, publication) ?? 0 {
            shedding = true
            if severe { selector.holdCurrentLayer(true) }
        }
        retarget()
    }

    /// The selector reached a new spatial layer: shedding, if any, is over.
    func switchedLayer() {
        guard shedding else { return }
        shedding = false
        selector.holdCurrentLayer(false)
        retarget()
    }

    /// Pauses (or resumes) forwarding because of the subscriber's bandwidth; true if it changed.
    func pauseForBandwidth(_ paused: Bool) -> Bool {
        guard paused != pausedForBandwidth else { return false }
        pausedForBandwidth = paused
        retarget()
        return true
    }

    private func retarget() {
        let layer = pausedForBandwidth ? nil : Self.targetLayer(preferences, publication, limit: bandwidthLayerLimit)
        selector.setTarget(spatialLayer: layer,
                           maxTemporalLayer: shedding ? 0 : preferences.maxTemporalLayer ?? Self.allTemporalLayers)
    }

    /// The publication layer whose packets are being forwarded now.
    var currentLayer: Int? {
        guard let source = rewriter.currentSource else { return nil }
        return publication.layers.firstIndex { $0.ssrc == source }
    }
}

/// What went out under each recent output sequence number (a ring, fixed size).
struct SentPacketLog {
    struct Entry {
        var outputSequenceNumber: UInt16
        var layer: UInt8
        var sourceSequenceNumber: UInt16
        var outputTimestamp: UInt32
        var pictureID: UInt16?
        var tl0PictureIndex: UInt8?
        var valid = false
    }

    static let capacity = 1024
    private var entries = [Entry](repeating: Entry(outputSequenceNumber: 0, layer: 0, sourceSequenceNumber: 0,
                                                   outputTimestamp: 0), count: capacity)

    mutating func record(_ entry: Entry) {
        var entry = entry
        entry.valid = true
        entries[Int(entry.outputSequenceNumber) & (Self.capacity - 1)] = entry
    }

    func entry(outputSequenceNumber: UInt16) -> Entry? {
        let entry = entries[Int(outputSequenceNumber) & (Self.capacity - 1)]
        return entry.valid && entry.outputSequenceNumber == outputSequenceNumber ? entry : nil
    }
}
