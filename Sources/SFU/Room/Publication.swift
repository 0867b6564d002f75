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

    init(id: TrackID, owner: ParticipantID, description: TrackDescription) {
        self.id = id
        self.owner = owner
        self.description = description
        self.layers = description.layers.map { PublicationLayer(ssrc: $0.ssrc, clockRate: Int(description.codec.clockRate)) }
    }

    var isSimulcastVideo: Bool { description.kind == .video }
}

/// One layer (simulcast encoding) of a publication as received from the publisher: statistics
/// for receiver reports, losses to NACK upstream, and recent packets to answer subscribers'
/// NACKs from (one copy per received packet, shared by every subscription).
final class PublicationLayer {
    let ssrc: UInt32
    var receiveStatistics: ReceiveStatistics
    var nackGenerator = NACKGenerator()
    var cache = RetransmissionBuffer(capacity: 512)

    init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.receiveStatistics = ReceiveStatistics(ssrc: ssrc, clockRate: clockRate)
    }
}
