/// Layer choice from each subscriber's available bitrate: every 500 ms the room measures what
/// each publication layer costs, asks the subscriber's estimator what its downlink takes, and
/// lets the allocator cap each video subscription's layer. The subscriber's own preference
/// (maximum layer, paused) is a ceiling the allocator never goes over.
extension Room {
    func allocateLayers(for participant: RoomParticipant, now: Int64) {
        let subscriptions = participant.subscriptionsBySSRC.values.sorted { $0.publication.id < $1.publication.id }
        guard let available = participant.estimator.availableBitrate(at: now) else {
            for subscription in subscriptions { subscription.limitLayer(to: nil) }
            return
        }
        let requests = subscriptions.map { allocationRequest(for: $0, now: now) }
        let layers = allocator.allocate(requests, availableBitrate: available)
        for (index, subscription) in subscriptions.enumerated() where !requests[index].isAudio {
            // Nothing measured yet: nothing to weigh, so nothing to limit.
            guard requests[index].layerBitrates.contains(where: { $0 != nil }) else { continue }
            // Not even the lowest layer fits: it still gets the lowest (pausing with a signal
            // to the subscriber belongs to the allocator that replaces this one).
            subscription.limitLayer(to: layers[index] ?? 0)
        }
    }

    private func allocationRequest(for subscription: Subscription, now: Int64) -> LayerAllocationRequest {
        let publication = subscription.publication
        guard publication.description.kind == .video else {
            return LayerAllocationRequest(isAudio: true, layerBitrates: publication.layers.map(\.bitrate.bitsPerSecond),
                                          maxLayer: 0)
        }
        let bitrates = publication.layers.indices.map { index in
            subscription.selector.isLayerActive(index, at: now) ? publication.layers[index].bitrate.bitsPerSecond : nil
        }
        return LayerAllocationRequest(
            priority: publication.description.source == .screenShare ? 1 : 0, layerBitrates: bitrates,
            maxLayer: Subscription.targetLayer(subscription.preferences, publication),
            previousLayer: subscription.bandwidthLayerLimit ?? subscription.currentLayer)
    }

    /// What is going out to the participant now, by the layers its subscriptions are on.
    func sendingBitrate(to participant: RoomParticipant) -> Int {
        participant.subscriptionsBySSRC.values.reduce(0) { total, subscription in
            let layers = subscription.publication.layers
            let layer = subscription.publication.description.kind == .video ? subscription.currentLayer : 0
            return total + (layer.flatMap { layers.indices.contains($0) ? layers[$0].bitrate.bitsPerSecond : nil } ?? 0)
        }
    }

    /// The participant's downlink estimate, if anything limits it.
    public func availableBitrate(of id: ParticipantID) -> Int? {
        participants[id]?.estimator.availableBitrate(at: nowMicroseconds())
    }

    /// The highest layer the subscriber's bandwidth allows for a track; nil when not limited.
    public func bandwidthLayerLimit(of subscriberID: ParticipantID, trackID: TrackID) -> Int? {
        publications[trackID]?.subscriptions[subscriberID]?.bandwidthLayerLimit
    }
}
