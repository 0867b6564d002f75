import RTP

/// Decides, per video subscription, which packets of a simulcast publisher are forwarded.
///
/// - Spatial switches (up or down) happen only at a key frame of the new layer; until then the
///   current layer keeps flowing and `keyFrameNeededForSpatialLayer` asks for a key frame.
/// - Temporal down-switches take effect at the next frame; up-switches wait for a sync point
///   (a TID 0 frame, or a layer-sync frame one temporal layer up).
/// - Paused (no target) drops everything from the next frame on.
/// - `holdCurrentLayer` drops the current layer's frames from the next one on while the switch
///   to the target waits for its key frame (a downlink the current layer overruns is better
///   emptied at once than fed frames it will drop).
/// - When a layer stops arriving (nothing for `layerTimeoutMicroseconds`), the best layer that
///   still arrives stands in for it (the highest below the target, else the lowest above), again
///   from its next key frame.
/// - Decisions are per frame (frames are told apart by RTP timestamp), so a frame is forwarded
///   whole or not at all; a switch waits until the current layer's forwarded frame has ended.
///
/// Pure state; no allocation.
public struct SimulcastLayerSelector: Sendable {
    /// Simulcast streams supported per publisher track (browsers send up to 3).
    public static let maximumSpatialLayers = 4
    static let frameHistoryCount = 16

    struct LayerState: Sendable {
        var lastArrivalMicroseconds: Int64 = .min
        var hasArrived = false
        var lastTimestamp: UInt32 = 0
        /// Decision for the newest frame of this layer, and whether its last packet was seen.
        var frameForwarded = false
        var frameEnded = true
    }

    struct FrameDecision: Sendable {
        var timestamp: UInt32 = 0
        var forwarded = false
        var isValid = false
    }

    /// A layer with no packet for this long counts as stopped.
    public let layerTimeoutMicroseconds: Int64
    /// Requested spatial layer, nil when paused.
    public private(set) var targetSpatialLayer: Int?
    /// Requested highest temporal layer.
    public private(set) var targetMaxTemporalLayer: UInt8
    /// Spatial layer being forwarded, nil when none (start, paused, waiting for a key frame).
    public private(set) var currentSpatialLayer: Int?
    /// Highest temporal layer being forwarded now.
    public private(set) var currentMaxTemporalLayer: UInt8 = 0

    private var layers = InlineArray<4, LayerState>(repeating: LayerState())
    /// Recent frames of the current layer, for late packets.
    private var frameHistory = InlineArray<16, FrameDecision>(repeating: FrameDecision())
    private var frameHistoryNext = 0
    /// Timestamp of the key frame where the current layer started.
    private var switchTimestamp: UInt32 = 0
    /// When the first packet of any layer arrived; layers not seen yet are given until the
    /// timeout after it to show up, so a start does not settle on whichever layer came first.
    private var firstArrivalMicroseconds: Int64?

    public init(targetSpatialLayer: Int? = nil, targetMaxTemporalLayer: UInt8 = 2,
                layerTimeoutMicroseconds: Int64 = 1_000_000) {
        self.layerTimeoutMicroseconds = layerTimeoutMicroseconds
        self.targetMaxTemporalLayer = targetMaxTemporalLayer
        self.targetSpatialLayer = targetSpatialLayer.map { min(max($0, 0), Self.maximumSpatialLayers - 1) }
    }

    /// Sets what the subscriber should get; nil spatial layer pauses. Takes effect at the next
    /// suitable point (see the type's rules).
    public mutating func setTarget(spatialLayer: Int?, maxTemporalLayer: UInt8) {
        targetSpatialLayer = spatialLayer.map { min(max($0, 0), Self.maximumSpatialLayers - 1) }
        targetMaxTemporalLayer = maxTemporalLayer
    }

    public mutating func pause() { targetSpatialLayer = nil }

    /// Until the next spatial switch, forward nothing of the current layer.
    public private(set) var holdsCurrentLayer = false

    public mutating func holdCurrentLayer(_ hold: Bool) { holdsCurrentLayer = hold }

    /// Whether packets of `layer` arrived within the timeout before `now` (or, for a layer never
    /// seen, whether it is still within the timeout since the first packet of any layer).
    public func isLayerActive(_ layer: Int, at now: Int64) -> Bool {
        guard layer >= 0, layer < Self.maximumSpatialLayers else { return false }
        let state = layers[layer]
        guard state.hasArrived else {
            guard let first = firstArrivalMicroseconds else { return false }
            return now - first <= layerTimeoutMicroseconds
        }
        return now - state.lastArrivalMicroseconds <= layerTimeoutMicroseconds
    }

    /// The layer the selector is heading for: the target if it arrives, else the best stand-in.
    public func effectiveTargetLayer(at now: Int64) -> Int? {
        guard let target = targetSpatialLayer else { return nil }
        if isLayerActive(target, at: now) { return target }
        var layer = target - 1
        while layer >= 0 {
            if isLayerActive(layer, at: now) { return layer }
            layer -= 1
        }
        layer = target + 1
        while layer < Self.maximumSpatialLayers {
            if isLayerActive(layer, at: now) { return layer }
            layer += 1
        }
        return nil
    }

    /// Decides one packet.
    public mutating func select(_ packet: SimulcastPacketInfo) -> SimulcastSelection {
        let layer = packet.spatialLayer
        guard layer >= 0, layer < Self.maximumSpatialLayers else { return SimulcastSelection(forward: false) }
        let now = packet.arrivalMicroseconds
        if firstArrivalMicroseconds == nil { firstArrivalMicroseconds = now }
        var state = layers[layer]
        let isFirstPacket = !state.hasArrived
        state.hasArrived = true
        state.lastArrivalMicroseconds = max(state.lastArrivalMicroseconds, now)
        layers[layer] = state

        var forward = false
        var switched: Int? = nil
        if !isFirstPacket && packet.timestamp == state.lastTimestamp {
            // RFC 3550 §5.1: same timestamp, same frame — same decision as its first packet.
            forward = layer == currentSpatialLayer && state.frameForwarded
            if packet.isEndOfFrame { layers[layer].frameEnded = true }
        } else if !isFirstPacket && SerialNumberArithmetic.isNewer(state.lastTimestamp, than: packet.timestamp) {
            forward = decideLateFrame(packet)
        } else {
            (forward, switched) = decideNewFrame(packet)
            layers[layer].lastTimestamp = packet.timestamp
            layers[layer].frameForwarded = forward
            layers[layer].frameEnded = packet.isEndOfFrame
        }

        let effective = effectiveTargetLayer(at: now)
        let needed = effective != currentSpatialLayer ? effective : nil
        return SimulcastSelection(forward: forward, switchedToSpatialLayer: switched, keyFrameNeededForSpatialLayer: needed)
    }

    /// The first packet seen of a frame (normally its start; the start may have been lost).
    private mutating func decideNewFrame(_ packet: SimulcastPacketInfo) -> (forward: Bool, switched: Int?) {
        let layer = packet.spatialLayer
        let now = packet.arrivalMicroseconds
        if let target = effectiveTargetLayer(at: now), layer == target, layer != currentSpatialLayer,
           packet.isKeyFrame, currentLayerIsAtFrameBoundary(at: now) {
            // A key frame needs no earlier frame, and it is on every temporal layer's base.
            currentSpatialLayer = layer
            currentMaxTemporalLayer = targetMaxTemporalLayer
            holdsCurrentLayer = false
            switchTimestamp = packet.timestamp
            for index in frameHistory.indices { frameHistory[index].isValid = false }
            remember(packet.timestamp, forwarded: true)
            return (true, layer)
        }
        guard layer == currentSpatialLayer else { return (false, nil) }
        guard targetSpatialLayer != nil else {
            // Paused: stop at this frame boundary; resuming needs a key frame.
            currentSpatialLayer = nil
            return (false, nil)
        }
        if holdsCurrentLayer, targetSpatialLayer != layer {
            remember(packet.timestamp, forwarded: false)
            return (false, nil)
        }
        let temporalID = packet.temporalID ?? 0
        if targetMaxTemporalLayer < currentMaxTemporalLayer {
            // Fewer temporal layers never break references: at once, at this frame.
            currentMaxTemporalLayer = targetMaxTemporalLayer
        } else if targetMaxTemporalLayer > currentMaxTemporalLayer {
            if temporalID == 0 {
                // A base-layer frame: what follows references only frames from here on.
                currentMaxTemporalLayer = targetMaxTemporalLayer
            } else if packet.isLayerSync && temporalID == currentMaxTemporalLayer + 1 {
                // RFC 7741 §4.2 Y bit: this frame depends only on the base layer.
                currentMaxTemporalLayer = temporalID
            }
        }
        let forward = temporalID <= currentMaxTemporalLayer
        remember(packet.timestamp, forwarded: forward)
        return (forward, nil)
    }

    /// A packet of a frame older than the layer's newest (reordered or retransmitted upstream).
    private mutating func decideLateFrame(_ packet: SimulcastPacketInfo) -> Bool {
        guard packet.spatialLayer == currentSpatialLayer else { return false }
        for index in frameHistory.indices {
            let decision = frameHistory[index]
            if decision.isValid && decision.timestamp == packet.timestamp { return decision.forwarded }
        }
        // A frame not seen at all so far: decide it by the rules in force, if after the switch.
        guard SerialNumberArithmetic.isNewer(packet.timestamp, than: switchTimestamp) else { return false }
        let forward = (packet.temporalID ?? 0) <= currentMaxTemporalLayer
        remember(packet.timestamp, forwarded: forward)
        return forward
    }

    private func currentLayerIsAtFrameBoundary(at now: Int64) -> Bool {
        guard let current = currentSpatialLayer, isLayerActive(current, at: now) else { return true }
        let state = layers[current]
        return !state.frameForwarded || state.frameEnded
    }

    private mutating func remember(_ timestamp: UInt32, forwarded: Bool) {
        frameHistory[frameHistoryNext] = FrameDecision(timestamp: timestamp, forwarded: forwarded, isValid: true)
        frameHistoryNext = (frameHistoryNext + 1) % Self.frameHistoryCount
    }
}
