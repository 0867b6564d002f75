@testable import SFU
import Testing

/// Key frames and temporal layers read from VP9, H.264 and AV1 payloads, for layer switching.
@Suite struct CodecPacketInfoTests {
    func info(_ codec: TrackCodec.Kind, _ payload: [UInt8]) -> SimulcastPacketInfo? {
        payload.withUnsafeBytes {
            SimulcastPacketInfo(codec: codec, spatialLayer: 1, timestamp: 3000, marker: true,
                                arrivalMicroseconds: 5, payload: $0)
        }
    }

    @Test func vp9KeyFramesTemporalLayersAndSwitchingUpPoints() throws {
        // RFC 9628 §4.2: I P L F B E V Z; 7-bit picture id; TID U SID D; TL0PICIDX.
        let key = try #require(info(.vp9, [0xA8, 0x05, 0x00, 0x01, 0xAA]))
        #expect(key.isKeyFrame && key.temporalID == 0 && key.spatialLayer == 1 && key.isEndOfFrame)
        let delta = try #require(info(.vp9, [0xE8, 0x06, 2 << 5 | 0x10, 0x01, 0xAA]))
        #expect(!delta.isKeyFrame && delta.temporalID == 2 && delta.isLayerSync)
        #expect(info(.vp9, []) == nil, "an empty payload is not VP9")
    }

    @Test func h264IDRAndParameterSetsStartKeyFrames() throws {
        #expect(try #require(info(.h264, [0x65, 0x88, 0x84])).isKeyFrame)
        #expect(try #require(info(.h264, [0x41, 0x9A, 0x00])).isKeyFrame == false)
        // STAP-A with an SPS and a PPS (RFC 6184 §5.7.1).
        #expect(try #require(info(.h264, [0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xCE])).isKeyFrame)
        // FU-A: only the start fragment of an IDR.
        #expect(try #require(info(.h264, [0x7C, 0x85, 0x01])).isKeyFrame)
        #expect(try #require(info(.h264, [0x7C, 0x05, 0x01])).isKeyFrame == false)
        #expect(info(.h264, [0x00]) == nil, "NAL type 0 is undefined")
    }

    @Test func av1NewCodedVideoSequenceIsAKeyFrame() throws {
        // Aggregation header Z Y W W N - - -: N starts a coded video sequence.
        #expect(try #require(info(.av1, [0x18, 0x0A, 0x00])).isKeyFrame)
        #expect(try #require(info(.av1, [0x10, 0x32, 0x00])).isKeyFrame == false)
        #expect(info(.av1, []) == nil)
    }

    @Test func otherCodecsSwitchAtAnyFrame() throws {
        #expect(try #require(info(.other, [0x01])).isKeyFrame)
    }
}
