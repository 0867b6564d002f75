public import DTLS
public import ICE
import CongestionControl
import NIOCore
import RTP
public import WebRTC

/// A room: its participants, their transports, publications and subscriptions, all on one
/// media worker.
///
/// The actor's executor is the worker's event loop. The control plane calls it with `await`;
/// the data path (packets from transports on the same loop) enters synchronously with
/// `assumeIsolated`, so forwarding takes no locks and no hops.
public actor Room {
    public let name: String
    public nonisolated let worker: MediaWorker
    let dtlsContext: DTLSContext
    var participants: [ParticipantID: RoomParticipant] = [:]
    var publications: [TrackID: Publication] = [:]
    var speakerDetector = ActiveSpeakerDetector<ParticipantID>()
    /// Who speaks now, by the detector's last decision: their camera goes ahead of others'.
    var activeSpeaker: ParticipantID?
    var tickTask: RepeatedTask?
    var tickCount = 0
    let clock = ContinuousClock.now
    /// Reused for retransmissions: the cached packet, then its RTX form after it.
    var scratch = [UInt8](repeating: 0, count: 2 * 1500 + 16)
    /// Where a publisher's RTX packet is turned back into the packet it repairs.
    var rtxScratch = [UInt8](repeating: 0, count: 1500)
    var nackScratch: [UInt16] = []
    /// The SSRC the room puts in RTCP it originates (RFC 3550 §8: chosen at random).
    let rtcpSenderSSRC = UInt32.random(in: 1...UInt32.max)

    /// Room events for signaling (participants, tracks, active speaker).
    public nonisolated let events: AsyncStream<RoomEvent>
    let eventContinuation: AsyncStream<RoomEvent>.Continuation

    /// Counters, for tests and metrics.
    public internal(set) var forwardedPackets = 0
    public internal(set) var retransmittedPackets = 0
    public internal(set) var keyFrameRequests = 0
    public internal(set) var packetsFromUnknownSSRC = 0
    /// Video packets whose payload does not parse as their codec's (dropped).
    public internal(set) var undecodablePackets = 0
    /// Data channel messages delivered to a recipient (or queued for it), one per recipient.
    public internal(set) var relayedDataMessages = 0
    /// Data channel messages refused or not delivered, one per sender or recipient affected.
    public internal(set) var droppedDataMessages = 0
    /// transport-cc feedback that did not parse (dropped).
    public internal(set) var malformedFeedback = 0
    /// Where a subscriber's send-side estimate starts, before its feedback says otherwise
    /// (probes take it up from here within a second or two when more is wanted).
    let congestionStartBitrate = 1_000_000

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        worker.eventLoop.executor.asUnownedSerialExecutor()
    }

    /// Splits each subscriber's available bitrate across its subscriptions.
    let allocator: any LayerAllocator
    /// Makes each participant's downlink estimator.
    let makeEstimator: @Sendable () -> any BandwidthEstimator
    /// Dynacast: how long a layer must be unwanted before its publisher is told to stop it.
    let layerReleaseDelayMicroseconds: Int64

    public init(name: String, worker: MediaWorker, dtlsContext: DTLSContext,
                allocator: any LayerAllocator = PriorityLayerAllocator(),
                estimator: @escaping @Sendable () -> any BandwidthEstimator = { ReceiverReportBandwidthEstimator() },
                layerReleaseDelay: Duration = .seconds(3)) {
        self.allocator = allocator
        layerReleaseDelayMicroseconds = layerReleaseDelay.components.seconds * 1_000_000
            + layerReleaseDelay.components.attoseconds / 1_000_000_000_000
        self.makeEstimator = estimator
        self.name = name
        self.worker = worker
        self.dtlsContext = dtlsContext
        (events, eventContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
    }

    deinit {
        // A room dropped without `close()` must not leave its timer running on the loop.
        tickTask?.cancel()
    }

    // MARK: Participants

    /// What a joining participant's SDP needs from its server transport.
    public struct TransportParameters: Sendable {
        public let iceCredentials: ICECredentials
        public let fingerprint: CertificateFingerprint
    }

    /// Adds a participant with one server transport for media both ways.
    public func join(_ id: ParticipantID) throws(RoomError) -> TransportParameters {
        try addParticipant(id, separateSubscriberTransport: false).publisher
    }

    /// Adds a participant with two server transports: one it publishes on, one it receives on.
    public func joinWithSeparateTransports(_ id: ParticipantID) throws(RoomError)
        -> (publisher: TransportParameters, subscriber: TransportParameters) {
        try addParticipant(id, separateSubscriberTransport: true)
    }

    private func addParticipant(_ id: ParticipantID, separateSubscriberTransport: Bool) throws(RoomError)
        -> (publisher: TransportParameters, subscriber: TransportParameters) {
        guard participants[id] == nil else { throw .participantExists(id) }
        startTicking()
        let publisher = WebRTCTransport.makeServer(on: worker, dtlsContext: dtlsContext)
        let subscriber = separateSubscriberTransport
            ? WebRTCTransport.makeServer(on: worker, dtlsContext: dtlsContext) : publisher
        let listener = RoomTransportListener(participant: id, room: self)
        publisher.delegate = listener
        subscriber.delegate = listener
        participants[id] = RoomParticipant(id: id, publisherTransport: publisher, subscriberTransport: subscriber,
                                           listener: listener, estimator: makeEstimator())
        eventContinuation.yield(.participantJoined(id))
        return (Self.parameters(of: publisher), Self.parameters(of: subscriber))
    }

    private static func parameters(of transport: WebRTCTransport) -> TransportParameters {
        TransportParameters(iceCredentials: transport.localCredentials, fingerprint: transport.localFingerprint)
    }

    /// Sets the participant's side of one of its transports from its SDP.
    public func connect(_ id: ParticipantID, transport role: TransportRole = .publisher,
                        remote: WebRTCTransport.RemoteParameters) throws(RoomError) {
        guard let participant = participants[id] else { throw .unknownParticipant(id) }
        participant.transport(role).setRemoteParameters(remote)
    }

    /// ICE restart of one of the participant's transports (RFC 8445 §9): new local credentials
    /// for the description that carries them; `connect` again with the peer's new ones.
    /// Publications, subscriptions, DTLS and SRTP stay as they are.
    public func restartICE(_ id: ParticipantID, transport role: TransportRole) throws(RoomError) -> TransportParameters {
        guard let participant = participants[id] else { throw .unknownParticipant(id) }
        let transport = participant.transport(role)
        _ = transport.restartICE()
        return Self.parameters(of: transport)
    }

    /// Removes a participant: its publications (and everyone's subscriptions to them), its
    /// subscriptions, its transports.
    public func leave(_ id: ParticipantID) {
        guard let participant = participants.removeValue(forKey: id) else { return }
        for trackID in participant.publications { removePublication(trackID) }
        for publication in publications.values { publication.subscriptions[id] = nil }
        for transport in participant.transports {
            transport.delegate = nil
            transport.close()
        }
        _ = speakerDetector.removeSpeaker(id, now: .now)
        eventContinuation.yield(.participantLeft(id))
        if participants.isEmpty { stopTicking() }
    }

    /// Closes the room: everyone leaves.
    public func close() {
        for id in Array(participants.keys) { leave(id) }
        stopTicking()
        eventContinuation.finish()
    }

    func transportClosed(_ id: ParticipantID) {
        leave(id)
    }

    public var participantIDs: [ParticipantID] { Array(participants.keys).sorted() }

    // MARK: Publications

    public func publish(_ id: ParticipantID, trackID: TrackID, description: TrackDescription) throws(RoomError) {
        guard let participant = participants[id] else { throw .unknownParticipant(id) }
        guard publications[trackID] == nil else { throw .invalidTrack("track \(trackID) is already published") }
        guard !description.layers.isEmpty, description.layers.count <= 3 else {
            throw .invalidTrack("a track has 1 to 3 layers, not \(description.layers.count)")
        }
        let ssrcs = description.layers.compactMap(\.ssrc)
        guard Set(ssrcs).count == ssrcs.count, ssrcs.allSatisfy({ participant.layersBySSRC[$0] == nil }) else {
            throw .invalidTrack("SSRCs must be unique on the publisher's transport")
        }
        let learned = description.layers.filter { $0.ssrc == nil }
        guard learned.isEmpty || (description.ridExtensionID != nil
                                  && learned.allSatisfy { $0.rid?.isEmpty == false }
                                  && Set(learned.compactMap(\.rid)).count == learned.count) else {
            throw .invalidTrack("a layer without an SSRC needs a unique rid and the rid extension id")
        }
        let publication = Publication(id: trackID, owner: id, description: description)
        publications[trackID] = publication
        participant.publications.append(trackID)
        for (index, layer) in description.layers.enumerated() {
            if let ssrc = layer.ssrc { participant.layersBySSRC[ssrc] = (publication, index) }
            if let rtxSSRC = layer.rtxSSRC { participant.rtxLayersBySSRC[rtxSSRC] = (publication, index) }
        }
        if let extensionID = description.transportWideSequenceExtensionID {
            participant.transportWideSequenceExtensionID = extensionID
            if participant.transportWideFeedback == nil {
                participant.transportWideFeedback = TransportWideFeedbackRecorder(senderSSRC: rtcpSenderSSRC)
            }
        }
        eventContinuation.yield(.trackPublished(trackID, by: id))
    }

    public func unpublish(_ id: ParticipantID, trackID: TrackID) throws(RoomError) {
        guard let publication = publications[trackID], publication.owner == id else { throw .unknownTrack(trackID) }
        removePublication(trackID)
    }

    public func setMuted(_ trackID: TrackID, _ muted: Bool) throws(RoomError) {
        guard let publication = publications[trackID] else { throw .unknownTrack(trackID) }
        publication.muted = muted
    }

    private func removePublication(_ trackID: TrackID) {
        guard let publication = publications.removeValue(forKey: trackID) else { return }
        if let owner = participants[publication.owner] {
            owner.publications.removeAll { $0 == trackID }
            for layer in publication.layers {
                if let ssrc = layer.ssrc { owner.layersBySSRC[ssrc] = nil }
                if let rtxSSRC = layer.learnedRTXSSRC { owner.rtxLayersBySSRC[rtxSSRC] = nil }
            }
            for layer in publication.description.layers {
                if let rtxSSRC = layer.rtxSSRC { owner.rtxLayersBySSRC[rtxSSRC] = nil }
            }
        }
        for subscription in publication.subscriptions.values {
            participants[subscription.subscriber]?.subscriptionsBySSRC[subscription.ssrc] = nil
        }
        eventContinuation.yield(.trackUnpublished(trackID))
    }

    // MARK: Subscriptions

    public func subscribe(_ subscriberID: ParticipantID, to trackID: TrackID,
                          preferences: SubscriptionPreferences = .init()) throws(RoomError) -> SubscriptionInfo {
        guard let subscriber = participants[subscriberID] else { throw .unknownParticipant(subscriberID) }
        guard let publication = publications[trackID] else { throw .unknownTrack(trackID) }
        guard publication.subscriptions[subscriberID] == nil else { throw .alreadySubscribed(trackID) }
        var ssrc: UInt32
        repeat { ssrc = UInt32.random(in: 1...UInt32.max) } while subscriber.subscriptionsBySSRC[ssrc] != nil
        let subscription = Subscription(subscriber: subscriberID, publication: publication, ssrc: ssrc,
                                        preferences: preferences)
        publication.subscriptions[subscriberID] = subscription
        subscriber.subscriptionsBySSRC[ssrc] = subscription
        var rtxSSRC: UInt32?
        if let rtxPayloadType = preferences.rtxPayloadType {
            var candidate: UInt32
            repeat { candidate = UInt32.random(in: 1...UInt32.max) } while subscriber.subscriptionsBySSRC[candidate] != nil
            subscription.enableRTX(ssrc: candidate, payloadType: rtxPayloadType)
            rtxSSRC = candidate
        }
        // A new subscriber needs a key frame to start decoding.
        if publication.description.kind == .video, let layer = Subscription.targetLayer(preferences, publication) {
            requestKeyFrame(publication, layer: layer, now: nowMicroseconds())
            worker.flushPendingWrites()
        }
        return SubscriptionInfo(trackID: trackID, ssrc: ssrc, payloadType: subscription.payloadType, rtxSSRC: rtxSSRC)
    }

    public func unsubscribe(_ subscriberID: ParticipantID, from trackID: TrackID) throws(RoomError) {
        guard let publication = publications[trackID],
              let subscription = publication.subscriptions.removeValue(forKey: subscriberID) else {
            throw .notSubscribed(trackID)
        }
        participants[subscriberID]?.subscriptionsBySSRC[subscription.ssrc] = nil
    }

    public func updatePreferences(_ subscriberID: ParticipantID, trackID: TrackID,
                                  _ preferences: SubscriptionPreferences) throws(RoomError) {
        guard let subscription = publications[trackID]?.subscriptions[subscriberID] else {
            throw .notSubscribed(trackID)
        }
        subscription.apply(preferences)
    }

    /// The simulcast layer a subscription is receiving now, if any.
    public func currentLayer(of subscriberID: ParticipantID, trackID: TrackID) -> Int? {
        publications[trackID]?.subscriptions[subscriberID]?.currentLayer
    }

    // MARK: Timing

    func nowMicroseconds() -> Int64 {
        let elapsed = ContinuousClock.now - clock
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }

    /// The room's timer period: NACKs, reports, allocation and probes run on multiples of it.
    static let tickMicroseconds: Int64 = 20_000

    private func startTicking() {
        guard tickTask == nil else { return }
        let period = TimeAmount.microseconds(Self.tickMicroseconds)
        tickTask = worker.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) {
            [weak self] _ in
            self?.assumeIsolated { $0.tick() }
        }
    }

    private func stopTicking() {
        tickTask?.cancel()
        tickTask = nil
    }
}
