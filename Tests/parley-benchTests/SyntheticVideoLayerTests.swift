@testable import parley_bench
import Testing

@Suite struct SyntheticVideoLayerTests {
    /// 1.5 Mbit/s at 30 frames/s in 1,100-byte payloads: 6,250 bytes, 6 packets a delta frame.
    static func layer(keyFrameFactor: Int) -> SyntheticVideoLayer {
        SyntheticVideoLayer(layer: 2, ssrc: 7, bitrate: 1_500_000, framesPerSecond: 30, maximumPayload: 1_100,
                            keyFrameFactor: keyFrameFactor)
    }

    @Test(arguments: [1, 5])
    func aKeyFrameHasTheFactorTimesADeltaFramesPackets(factor: Int) {
        var layer = Self.layer(keyFrameFactor: factor)
        #expect(layer.packetsPerFrame == 6)
        layer.startFrame(at: 0)
        #expect(layer.isKeyFrame && layer.packetsInFrame == 6 * factor, "the first frame is a key frame")
        layer.startFrame(at: 33_333)
        #expect(!layer.isKeyFrame && layer.packetsInFrame == 6)
        layer.keyFrameDue = true // a PLI
        layer.startFrame(at: 66_666)
        #expect(layer.isKeyFrame && layer.packetsInFrame == 6 * factor && layer.temporalLayer == 0)
    }
}
