/// One of a subscriber's subscriptions, as the allocator weighs it.
public struct LayerAllocationRequest: Sendable, Equatable {
    /// Audio is served first and is never cut.
    public var isAudio: Bool
    /// Higher goes first: a sum of the `…Priority` weights below that apply.
    public var priority: Int

    /// The subscriber pinned it: above everything else.
    public static let pinnedPriority = 4
    /// A screen share: above cameras.
    public static let screenSharePriority = 2
    /// The active speaker's camera: above other cameras.
    public static let activeSpeakerPriority = 1
    /// What each layer costs now, lowest first, in bits per second; nil for a layer that is not
    /// arriving (or not measured yet), which is never chosen.
    public var layerBitrates: [Int?]
    /// The highest layer the subscriber asked for; nil when it asked for nothing (paused).
    public var maxLayer: Int?
    /// The layer given last time, so rising needs headroom and holding does not.
    public var previousLayer: Int?

    public init(isAudio: Bool = false, priority: Int = 0, layerBitrates: [Int?], maxLayer: Int?,
                previousLayer: Int? = nil) {
        self.isAudio = isAudio
        self.priority = priority
        self.layerBitrates = layerBitrates
        self.maxLayer = maxLayer
        self.previousLayer = previousLayer
    }
}

/// Splits a subscriber's available bitrate across its subscriptions. Kept small so a richer
/// policy (pinning, active speaker, pausing with a signal) can take this one's place.
public protocol LayerAllocator: Sendable {
    /// The layer for each request, in order: nil where not even the lowest layer fits (or the
    /// subscriber asked for nothing). Audio requests get nil and are never limited.
    func allocate(_ requests: [LayerAllocationRequest], availableBitrate: Int) -> [Int?]
}

/// Audio first, then every video its lowest layer in priority order, then each priority group
/// in turn, highest first, raises its videos one layer at a time (round robin within the group)
/// while the budget lasts: a pinned video, a screen share or the active speaker reaches its best
/// layer before the others leave their lowest. Rising above the previous layer needs
/// `upSwitchHeadroom` times the new layer's cost to fit; holding needs only the cost itself, so
/// an estimate wobbling around a layer's bitrate does not make it flap. A video rises at most one
/// layer above its previous one per allocation (the next allocation may take it further), so a
/// jump in the estimate is tried a step at a time; it falls at once.
public struct PriorityLayerAllocator: LayerAllocator {
    public let upSwitchHeadroom: Double

    public init(upSwitchHeadroom: Double = 1.15) {
        self.upSwitchHeadroom = upSwitchHeadroom
    }

    public func allocate(_ requests: [LayerAllocationRequest], availableBitrate: Int) -> [Int?] {
        var budget = availableBitrate
        for request in requests where request.isAudio {
            budget -= request.layerBitrates.compactMap { $0 }.max() ?? 0
        }
        var result = [Int?](repeating: nil, count: requests.count)
        let videos = requests.indices
            .filter { !requests[$0].isAudio && requests[$0].maxLayer != nil }
            .sorted { requests[$0].priority > requests[$1].priority || (requests[$0].priority == requests[$1].priority && $0 < $1) }

        for index in videos {
            guard let lowest = nextLayer(above: nil, in: requests[index]) else { continue }
            let cost = self.cost(of: lowest, in: requests[index])
            if cost <= budget {
                result[index] = lowest.layer
                budget -= lowest.bitrate
            }
        }
        var start = videos.startIndex
        while start < videos.endIndex {
            let priority = requests[videos[start]].priority
            let end = videos[start...].firstIndex { requests[$0].priority != priority } ?? videos.endIndex
            var raised = true
            while raised {
                raised = false
                for index in videos[start..<end] {
                    guard let current = result[index],
                          let currentBitrate = requests[index].layerBitrates[current],
                          let next = nextLayer(above: current, in: requests[index]),
                          requests[index].previousLayer.map({ next.layer <= $0 + 1 }) ?? true else { continue }
                    let extra = cost(of: next, in: requests[index]) - currentBitrate
                    guard extra <= budget else { continue }
                    result[index] = next.layer
                    budget -= next.bitrate - currentBitrate
                    raised = true
                }
            }
            start = end
        }
        return result
    }

    /// The next arriving layer above `layer` (the lowest when nil), within the request's maximum.
    private func nextLayer(above layer: Int?, in request: LayerAllocationRequest) -> (layer: Int, bitrate: Int)? {
        guard let maxLayer = request.maxLayer else { return nil }
        var candidate = (layer ?? -1) + 1
        while candidate <= min(maxLayer, request.layerBitrates.count - 1) {
            if let bitrate = request.layerBitrates[candidate] { return (candidate, bitrate) }
            candidate += 1
        }
        return nil
    }

    /// What taking `choice` must fit in: its bitrate, with headroom when it is a rise.
    private func cost(of choice: (layer: Int, bitrate: Int), in request: LayerAllocationRequest) -> Int {
        let isRise = request.previousLayer.map { choice.layer > $0 } ?? true
        return isRise ? Int(Double(choice.bitrate) * upSwitchHeadroom) : choice.bitrate
    }
}
