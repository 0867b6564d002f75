import RTP
import SFU
import Testing

/// Builds selector input for a one-packet-per-frame stream unless told otherwise.
private func packet(layer: Int = 0, frame: Int, temporalID: UInt8 = 0, sync: Bool = false, key: Bool = false,
                    end: Bool = true, arrival: Int64? = nil) -> SimulcastPacketInfo {
    SimulcastPacketInfo(spatialLayer: layer, timestamp: UInt32(truncatingIfNeeded: 90_000 + frame * 3000), temporalID: temporalID,
                        isKeyFrame: key, isLayerSync: sync || key, isEndOfFrame: end,
                        arrivalMicroseconds: arrival ?? Int64(frame) * 33_333 + Int64(layer) * 1_000)
}

/// One frame in a temporal-layer scenario: its TID and Y bit, a target change applied just
/// before it, and whether it must be forwarded.
struct TemporalFrame: Sendable {
    var temporalID: UInt8
    var sync: Bool
    var newTarget: UInt8?
    var forwarded: Bool
}

struct TemporalScenario: Sendable, CustomStringConvertible {
    var description: String
    var initialMaxTemporalLayer: UInt8
    var frames: [TemporalFrame]
}

private func f(_ temporalID: UInt8, y sync: Bool = false, target: UInt8? = nil, _ forwarded: Bool) -> TemporalFrame {
    TemporalFrame(temporalID: temporalID, sync: sync, newTarget: target, forwarded: forwarded)
}

/// After a key frame (TID 0) the stream runs the RFC 7741 0,2,1,2 pattern: TID 2 (Y), TID 1 (Y),
/// TID 2, TID 0, ...
let temporalScenarios: [TemporalScenario] = [
    .init(description: "all layers", initialMaxTemporalLayer: 2, frames: [
        f(2, y: true, true), f(1, y: true, true), f(2, true), f(0, true),
    ]),
    .init(description: "down-switch at the next frame", initialMaxTemporalLayer: 2, frames: [
        f(2, y: true, true), f(1, y: true, target: 0, false), f(2, false), f(0, true), f(2, y: true, false),
    ]),
    .init(description: "down-switch to 1", initialMaxTemporalLayer: 2, frames: [
        f(2, y: true, target: 1, false), f(1, y: true, true), f(2, false), f(0, true), f(2, y: true, false),
        f(1, y: true, true),
    ]),
    .init(description: "up-switch from 1 waits for the base layer", initialMaxTemporalLayer: 1, frames: [
        f(2, y: true, false), f(1, y: true, true), f(2, target: 2, false), f(0, true), f(2, y: true, true),
    ]),
    .init(description: "up-switch from 1 at a sync frame", initialMaxTemporalLayer: 1, frames: [
        f(2, y: true, target: 2, true), f(1, y: true, true), f(2, true),
    ]),
    .init(description: "up-switch from 0 goes one layer per sync frame", initialMaxTemporalLayer: 0, frames: [
        f(2, y: true, target: 2, false), f(1, y: true, true), f(2, false), f(0, true), f(2, y: true, true),
    ]),
]

@Test(arguments: temporalScenarios)
func temporalLayersSwitchAtTheRightFrames(_ scenario: TemporalScenario) {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0, targetMaxTemporalLayer: scenario.initialMaxTemporalLayer)
    #expect(selector.select(packet(frame: 0, key: true)).forward)
    for (index, frame) in scenario.frames.enumerated() {
        if let target = frame.newTarget { selector.setTarget(spatialLayer: 0, maxTemporalLayer: target) }
        let selection = selector.select(packet(frame: index + 1, temporalID: frame.temporalID, sync: frame.sync))
        #expect(selection.forward == frame.forwarded, "frame \(index + 1) TID \(frame.temporalID)")
    }
}

@Test func temporalDownSwitchMidFrameFinishesTheFrame() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0, targetMaxTemporalLayer: 2)
    #expect(selector.select(packet(frame: 0, key: true)).forward)
    #expect(selector.select(packet(frame: 1, temporalID: 2, sync: true, end: false)).forward)
    selector.setTarget(spatialLayer: 0, maxTemporalLayer: 0)
    #expect(selector.select(packet(frame: 1, temporalID: 2, sync: true, end: true)).forward)
    #expect(!selector.select(packet(frame: 2, temporalID: 1, sync: true)).forward)
}

@Test func spatialSwitchWaitsForAKeyFrameOfTheTarget() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0)
    // Layers 0 and 1 arrive; forwarding starts on layer 0's key frame.
    #expect(selector.select(packet(layer: 0, frame: 0, key: true)).switchedToSpatialLayer == 0)
    #expect(!selector.select(packet(layer: 1, frame: 0, key: true)).forward)
    selector.setTarget(spatialLayer: 1, maxTemporalLayer: 2)
    for frame in 1...3 {
        let low = selector.select(packet(layer: 0, frame: frame))
        #expect(low.forward, "layer 0 keeps flowing until the switch")
        #expect(low.keyFrameNeededForSpatialLayer == 1)
        #expect(!selector.select(packet(layer: 1, frame: frame)).forward, "not a key frame")
    }
    // Layer 0's frame comes first and is still forwarded; layer 1's key frame switches.
    #expect(selector.select(packet(layer: 0, frame: 4)).forward)
    let key = selector.select(packet(layer: 1, frame: 4, key: true))
    #expect(key.forward && key.switchedToSpatialLayer == 1 && key.keyFrameNeededForSpatialLayer == nil)
    #expect(selector.currentSpatialLayer == 1)
    #expect(!selector.select(packet(layer: 0, frame: 5)).forward)
    #expect(selector.select(packet(layer: 1, frame: 5)).forward)
    // Down again: also only at a key frame of the lower layer.
    selector.setTarget(spatialLayer: 0, maxTemporalLayer: 2)
    #expect(!selector.select(packet(layer: 0, frame: 6)).forward)
    #expect(selector.select(packet(layer: 1, frame: 6)).forward)
    #expect(selector.select(packet(layer: 0, frame: 7, key: true)).switchedToSpatialLayer == 0)
    #expect(!selector.select(packet(layer: 1, frame: 7)).forward)
}

@Test func switchWaitsWhileTheCurrentLayerIsMidFrame() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0)
    _ = selector.select(packet(layer: 0, frame: 0, key: true))
    _ = selector.select(packet(layer: 1, frame: 0, key: true))
    selector.setTarget(spatialLayer: 1, maxTemporalLayer: 2)
    // Layer 0's frame 1 has begun but not ended when layer 1's key frame starts.
    #expect(selector.select(packet(layer: 0, frame: 1, end: false)).forward)
    #expect(!selector.select(packet(layer: 1, frame: 1, key: true)).forward)
    #expect(selector.select(packet(layer: 0, frame: 1, end: true)).forward)
    #expect(selector.currentSpatialLayer == 0)
    // The next key frame, with layer 0 at a frame boundary, switches.
    #expect(selector.select(packet(layer: 1, frame: 2, key: true)).switchedToSpatialLayer == 1)
}

@Test func pauseDropsEverythingFromTheNextFrameAndResumeNeedsAKeyFrame() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0)
    #expect(selector.select(packet(frame: 0, key: true)).forward)
    #expect(selector.select(packet(frame: 1, end: false)).forward)
    selector.pause()
    #expect(selector.select(packet(frame: 1, end: true)).forward, "the frame in progress is completed")
    for frame in 2...5 {
        let selection = selector.select(packet(frame: frame, key: frame == 3))
        #expect(!selection.forward)
        #expect(selection.keyFrameNeededForSpatialLayer == nil)
    }
    selector.setTarget(spatialLayer: 0, maxTemporalLayer: 2)
    #expect(!selector.select(packet(frame: 6)).forward)
    #expect(selector.select(packet(frame: 6)).keyFrameNeededForSpatialLayer == 0)
    #expect(selector.select(packet(frame: 7, key: true)).switchedToSpatialLayer == 0)
}

@Test func stoppedLayerFallsBackToTheBestLayerStillArriving() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 2, layerTimeoutMicroseconds: 200_000)
    for layer in 0...2 { _ = selector.select(packet(layer: layer, frame: 0, key: true)) }
    #expect(selector.currentSpatialLayer == 2)
    // Layer 2 stops; layers 0 and 1 go on.
    var frame = 1
    var requested: Int? = nil
    while requested == nil && frame < 30 {
        for layer in 0...1 {
            let selection = selector.select(packet(layer: layer, frame: frame))
            #expect(!selection.forward)
            requested = requested ?? selection.keyFrameNeededForSpatialLayer
        }
        frame += 1
    }
    #expect(requested == 1, "the best layer below the stopped target")
    #expect(frame * 33_333 > 200_000 && frame * 33_333 < 300_000, "after the timeout, not before")
    #expect(!selector.select(packet(layer: 0, frame: frame, key: true)).forward)
    #expect(selector.select(packet(layer: 1, frame: frame, key: true)).switchedToSpatialLayer == 1)
    #expect(selector.select(packet(layer: 1, frame: frame + 1)).forward)
    // Layer 2 comes back: the target again, from its key frame.
    #expect(selector.select(packet(layer: 2, frame: frame + 1)).keyFrameNeededForSpatialLayer == 2)
    #expect(selector.select(packet(layer: 2, frame: frame + 2, key: true)).switchedToSpatialLayer == 2)
}

@Test func startWaitsForTheTargetLayerInsteadOfTheFirstLayerSeen() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 2)
    #expect(!selector.select(packet(layer: 0, frame: 0, key: true)).forward)
    #expect(!selector.select(packet(layer: 1, frame: 0, key: true)).forward)
    #expect(selector.select(packet(layer: 2, frame: 0, key: true)).switchedToSpatialLayer == 2)
}

@Test func latePacketsFollowTheirFramesDecision() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0, targetMaxTemporalLayer: 1)
    _ = selector.select(packet(frame: 0, key: true))
    #expect(!selector.select(packet(frame: 1, temporalID: 2, sync: true, end: false)).forward)
    #expect(selector.select(packet(frame: 2, temporalID: 1, sync: true, end: false)).forward)
    #expect(selector.select(packet(frame: 3, temporalID: 2)).forward == false)
    // Late second packets of frames 1 and 2.
    #expect(!selector.select(packet(frame: 1, temporalID: 2, sync: true)).forward)
    #expect(selector.select(packet(frame: 2, temporalID: 1, sync: true)).forward)
    // A late packet of a frame from before the key frame the layer started at.
    #expect(!selector.select(packet(frame: -1)).forward)
}

@Test func packetsOfUnknownLayersAreDropped() {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0)
    #expect(!selector.select(packet(layer: SimulcastLayerSelector.maximumSpatialLayers, frame: 0, key: true)).forward)
    #expect(!selector.select(packet(layer: -1, frame: 0, key: true)).forward)
}

@Test func packetInfoFromADependencyDescriptor() {
    func descriptor(start: Bool, diffs: [UInt16], temporalID: UInt8, dtis: [DecodeTargetIndication]) -> DependencyDescriptor {
        DependencyDescriptor(isStartOfFrame: start, isEndOfFrame: true, templateID: 0, frameNumber: 1, spatialID: 0,
                             temporalID: temporalID, decodeTargetIndications: DecodeTargetIndications(dtis),
                             frameDiffs: DependencyDescriptorFrameDiffs(diffs), chainDiffs: DependencyDescriptorChainDiffs(),
                             activeDecodeTargetsBitmask: nil, attachedStructure: nil, maximumResolution: nil)
    }
    let key = SimulcastPacketInfo(spatialLayer: 1, timestamp: 9, arrivalMicroseconds: 0,
                                  dependencyDescriptor: descriptor(start: true, diffs: [], temporalID: 0, dtis: [.switch, .switch]))
    #expect(key.isKeyFrame && key.isLayerSync && key.isEndOfFrame && key.temporalID == 0)
    let delta = SimulcastPacketInfo(spatialLayer: 1, timestamp: 9, arrivalMicroseconds: 0,
                                    dependencyDescriptor: descriptor(start: true, diffs: [1], temporalID: 1, dtis: [.notPresent, .discardable]))
    #expect(!delta.isKeyFrame && !delta.isLayerSync && delta.temporalID == 1)
    let sync = SimulcastPacketInfo(spatialLayer: 1, timestamp: 9, arrivalMicroseconds: 0,
                                   dependencyDescriptor: descriptor(start: false, diffs: [2], temporalID: 1, dtis: [.notPresent, .switch]))
    #expect(!sync.isKeyFrame && sync.isLayerSync)
}
