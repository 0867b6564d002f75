import SDP
import Testing

/// Matching offered formats against server codec capabilities.
@Suite struct SDPCodecCapabilityTests {
    static func h264(_ parameters: [(String, String)]) -> SDPCodec {
        SDPCodec(payloadType: 102, name: "H264", clockRate: 90000,
                 parameters: parameters.map { SDPFormatParameter(name: $0.0, value: $0.1) })
    }

    // RFC 6184 §8.1: profile_idc + profile-iop decide the profile; the level does not matter.
    @Test(arguments: [
        ("42e01f", true),   // Constrained Baseline 3.1
        ("42e034", true),   // Constrained Baseline 5.2
        ("42c01f", true),   // Constrained Baseline (set0+set1)
        ("42001f", true),   // Baseline
        ("4d401f", true),   // Main with constraint_set1: Constrained Baseline
        ("58c01f", true),   // Extended with set0+set1: Constrained Baseline
        ("4d001f", false),  // Main
        ("640c1f", false),  // Constrained High
        ("64001f", false),  // High
        ("58401f", false),  // Extended with set1 only
        ("42e01", false),   // five digits
        ("zze01f", false),  // not hex
    ])
    func h264ProfileLevelID(_ profileLevelID: String, accepted: Bool) {
        let codec = Self.h264([("packetization-mode", "1"), ("profile-level-id", profileLevelID)])
        #expect(SDPCodecCapability.h264.matches(codec) == accepted)
    }

    @Test func h264PacketizationModeDefaultsToZero() {
        #expect(!SDPCodecCapability.h264.matches(Self.h264([("profile-level-id", "42e01f")])))
        #expect(!SDPCodecCapability.h264.matches(Self.h264([("packetization-mode", "0"), ("profile-level-id", "42e01f")])))
        // RFC 6184 §8.1: no profile-level-id means 420010, Baseline.
        #expect(SDPCodecCapability.h264.matches(Self.h264([("packetization-mode", "1")])))
    }

    @Test func namesMatchCaseInsensitivelyAndClockRateMustAgree() {
        #expect(SDPCodecCapability.vp8.matches(SDPCodec(payloadType: 96, name: "vp8", clockRate: 90000)))
        #expect(!SDPCodecCapability.vp8.matches(SDPCodec(payloadType: 96, name: "VP8", clockRate: 48000)))
        #expect(!SDPCodecCapability.vp8.matches(SDPCodec(payloadType: 96, name: "VP9", clockRate: 90000)))
    }

    @Test func opusNeedsTwoChannels() {
        #expect(SDPCodecCapability.opus.matches(SDPCodec(payloadType: 111, name: "OPUS", clockRate: 48000, channels: 2)))
        #expect(!SDPCodecCapability.opus.matches(SDPCodec(payloadType: 111, name: "opus", clockRate: 48000)))
    }

    @Test func vp9AndAV1ProfilesDefaultToZero() {
        #expect(SDPCodecCapability.vp9.matches(SDPCodec(payloadType: 98, name: "VP9", clockRate: 90000)))
        #expect(!SDPCodecCapability.vp9.matches(SDPCodec(
            payloadType: 100, name: "VP9", clockRate: 90000, parameters: [SDPFormatParameter(name: "profile-id", value: "2")])))
        #expect(SDPCodecCapability.av1.matches(SDPCodec(payloadType: 45, name: "AV1", clockRate: 90000)))
        #expect(!SDPCodecCapability.av1.matches(SDPCodec(
            payloadType: 45, name: "AV1", clockRate: 90000, parameters: [SDPFormatParameter(name: "profile", value: "1")])))
    }

    @Test func feedbackIsTheIntersection() throws {
        let narrow = SDPCodecCapability(name: "VP8", clockRate: 90000,
                                        feedback: [SDPRTCPFeedback(format: .all, type: "nack", parameter: "pli")])
        let (answer, session, _) = try SDPAnswerTestSupport.answer(SDPFixture.chromiumOfferPlain.parsed(),
                                                                   SDPAnswerTestSupport.options(codecs: [.opus, narrow]))
        #expect(try answer.section("1").rtcpFeedback == [SDPRTCPFeedback(format: .payloadType(96), type: "nack", parameter: "pli")])
        #expect(session.media(mid: "1")?.codecs.first?.feedback ==
            [SDPRTCPFeedback(format: .payloadType(96), type: "nack", parameter: "pli")])
    }

    @Test func codecWithoutOfferedRTXHasNone() throws {
        // Opus has no RTX in the offer; red (63) is not a capability and is left out.
        let (answer, session, _) = try SDPAnswerTestSupport.answer(SDPFixture.chromiumOfferPlain.parsed(),
                                                                   SDPAnswerTestSupport.options())
        #expect(try answer.section("0").formats == ["111"])
        #expect(session.media(mid: "0")?.codecs.map(\.retransmissionPayloadType) == [nil])
    }
}
