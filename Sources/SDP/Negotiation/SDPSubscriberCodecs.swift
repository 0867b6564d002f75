/// Formats for `SDPOutgoingTrack.codec`, with the payload types libwebrtc itself assigns, so a
/// subscriber offer looks like one the browser would make and one payload type always means
/// the same codec in every bundled section (RFC 8843 §9.1.1).
public enum SDPSubscriberCodecs {
    /// RFC 7587 §7: `opus/48000/2`; in-band FEC on, as browsers send it.
    public static let opus = SDPCodec(
        payloadType: 111, name: "opus", clockRate: 48000, channels: 2,
        parameters: [SDPFormatParameter(name: "minptime", value: "10"),
                     SDPFormatParameter(name: "useinbandfec", value: "1")],
        feedback: [SDPRTCPFeedback(format: .all, type: "transport-cc")])
    /// RFC 7741, with RFC 4588 RTX on 97.
    public static let vp8 = SDPCodec(payloadType: 96, name: "VP8", clockRate: 90000,
                                     feedback: SDPCodecCapability.videoFeedback, retransmissionPayloadType: 97)
    /// RFC 9628 profile 0, RTX on 99.
    public static let vp9 = SDPCodec(payloadType: 98, name: "VP9", clockRate: 90000,
                                     parameters: [SDPFormatParameter(name: "profile-id", value: "0")],
                                     feedback: SDPCodecCapability.videoFeedback, retransmissionPayloadType: 99)
    /// RFC 6184 Constrained Baseline 3.1, packetization mode 1, RTX on 103.
    public static let h264 = SDPCodec(
        payloadType: 102, name: "H264", clockRate: 90000,
        parameters: [SDPFormatParameter(name: "level-asymmetry-allowed", value: "1"),
                     SDPFormatParameter(name: "packetization-mode", value: "1"),
                     SDPFormatParameter(name: "profile-level-id", value: "42e01f")],
        feedback: SDPCodecCapability.videoFeedback, retransmissionPayloadType: 103)
    /// AV1 RTP payload format, RTX on 46.
    public static let av1 = SDPCodec(payloadType: 45, name: "AV1", clockRate: 90000,
                                     feedback: SDPCodecCapability.videoFeedback, retransmissionPayloadType: 46)
}
