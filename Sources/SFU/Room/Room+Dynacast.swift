/// Dynacast: a publisher need not encode layers nobody receives. The room works out, per video,
/// the layers its subscribers want (up to the highest any of them asked for; the lower ones stay
/// on, since a subscriber drops to them at once when its downlink shrinks) and tells the
/// publisher when that changes: at once when a layer is wanted again, after
/// `layerReleaseDelayMicroseconds` when one is no longer wanted, so a subscriber who comes and
/// goes does not make the encoder restart a layer (which costs a key frame).
///
/// What a subscriber asked for counts, not what its bandwidth allows now: a layer switched off
/// because the downlink was short could not be measured again, so it would never come back.
extension Room {
    func updateWantedLayers(now: Int64) {
        for publication in publications.values where publication.description.kind == .video {
            let wanted = wantedLayers(of: publication)
            let current = publication.announcedLayers ?? [Bool](repeating: true, count: publication.layers.count)
            guard wanted != current else {
                publication.pendingLayerRelease = nil
                continue
            }
            let turnsOn = zip(wanted, current).contains { $0 && !$1 }
            if !turnsOn {
                guard let pending = publication.pendingLayerRelease, pending.layers == wanted else {
                    publication.pendingLayerRelease = (wanted, now)
                    continue
                }
                guard now - pending.since >= layerReleaseDelayMicroseconds else { continue }
            }
            publication.announcedLayers = wanted
            publication.pendingLayerRelease = nil
            let activity = zip(publication.layers, wanted).map { LayerActivity(rid: $0.rid, active: $1) }
            eventContinuation.yield(.publicationLayersWanted(publication.owner, publication.id, activity))
        }
    }

    /// Every layer up to the highest one a subscriber (not paused) asked for; none without one.
    func wantedLayers(of publication: Publication) -> [Bool] {
        let highest = publication.subscriptions.values.compactMap {
            Subscription.targetLayer($0.preferences, publication)
        }.max()
        return publication.layers.indices.map { index in highest.map { index <= $0 } ?? false }
    }
}
