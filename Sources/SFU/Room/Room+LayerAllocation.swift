/// Layer choice from each subscriber's available bitrate: every 500 ms the room measures what
/// each publication layer costs, asks the subscriber's estimator what its downlink takes, and
/// lets the allocator cap each video subscription's layer. The subscriber's own preference
/// (maximum layer, paused) is a ceiling the allocator never goes over.
extension Room {
    func allocateLayers(for participant: RoomParticipant, now: Int64) {
        let subscriptions = participant.subscriptionsBySSRC.values.sorted { $0.publication.id < $1.publication.id }
        let available = downlinkEstimate(of: participant, now: now)
        updatePacing(of: participant, estimate: available, now: now)
        guard let available else {
            for subscription in subscriptions {
                subscription.limitLayer(to: nil)
                resume(subscription)
            }
            return
        }
        participant.congestion?.allocatedFor = available
        let requests = subscriptions.map { allocationRequest(for: $0, now: now) }
        let layers = allocator.allocate(requests, availableBitrate: available)
        for (index, subscription) in subscriptions.enumerated() where !requests[index].isAudio {
            // Nothing measured yet: nothing to weigh, so nothing to limit.
            guard requests[index].layerBitrates.contains(where: { $0 != nil }) else { continue }
            if let layer = layers[index] {
                subscription.lowestLayerShortSince = nil
                // Far over: a quarter of the current layer's rate (its base temporal layer) would
                // still not fit in what is left for this video.
                let currentCost = subscription.currentLayer.flatMap { requests[index].layerBitrates[$0] } ?? 0
                subscription.limitLayer(to: layer, severe: currentCost / 4 > available / max(requests.count, 1))
                resume(subscription)
            } else if requests[index].maxLayer != nil {
                // Not even the lowest layer fits: it stays on the lowest for a second (an estimate
                // dipping for a moment is no reason to stop the picture), then pauses, and the
                // subscriber is told, so it can show a placeholder rather than a frozen frame.
                subscription.limitLayer(to: 0)
                let since = subscription.lowestLayerShortSince ?? now
                subscription.lowestLayerShortSince = since
                if now - since >= Self.pauseAfterMicroseconds, subscription.pauseForBandwidth(true) {
                    eventContinuation.yield(.subscriptionPausedForBandwidth(
                        participant.id, subscription.publication.id, paused: true))
                }
            }
        }
    }

    /// How long not even the lowest layer must fit before a video is paused.
    static let pauseAfterMicroseconds: Int64 = 1_000_000

    private func resume(_ subscription: Subscription) {
        guard subscription.pauseForBandwidth(false) else { return }
        eventContinuation.yield(.subscriptionPausedForBandwidth(subscription.subscriber, subscription.publication.id,
                                                                paused: false))
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
            priority: priority(of: subscription), layerBitrates: bitrates,
            maxLayer: Subscription.targetLayer(subscription.preferences, publication),
            // Paused, it has no layer: resuming is a rise and needs the headroom.
            previousLayer: subscription.pausedForBandwidth ? nil : subscription.bandwidthLayerLimit ?? subscription.currentLayer)
    }

    /// Who gets the downlink first when it is short: what the subscriber pinned, then screen
    /// shares (text must stay readable), then the active speaker's camera, then everyone else.
    func priority(of subscription: Subscription) -> Int {
        let publication = subscription.publication
        var priority = 0
        if subscription.preferences.pinned { priority += LayerAllocationRequest.pinnedPriority }
        if publication.description.source == .screenShare { priority += LayerAllocationRequest.screenSharePriority }
        if publication.owner == activeSpeaker { priority += LayerAllocationRequest.activeSpeakerPriority }
        return priority
    }

    /// What is going out to the participant now, by the layers its subscriptions are on.
    func sendingBitrate(to participant: RoomParticipant) -> Int {
        participant.subscriptionsBySSRC.values.reduce(0) { total, subscription in
            guard !subscription.pausedForBandwidth else { return total }
            let layers = subscription.publication.layers
            let layer = subscription.publication.description.kind == .video ? subscription.currentLayer : 0
            return total + (layer.flatMap { layers.indices.contains($0) ? layers[$0].bitrate.bitsPerSecond : nil } ?? 0)
        }
    }

    /// The participant's downlink estimate, if anything limits it.
    public func availableBitrate(of id: ParticipantID) -> Int? {
        participants[id].flatMap { downlinkEstimate(of: $0, now: nowMicroseconds()) }
    }

    /// The highest layer the subscriber's bandwidth allows for a track; nil when not limited.
    public func bandwidthLayerLimit(of subscriberID: ParticipantID, trackID: TrackID) -> Int? {
        publications[trackID]?.subscriptions[subscriberID]?.bandwidthLayerLimit
    }
}
