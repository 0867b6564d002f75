/// A codec the SFU can forward, as the answerer (RFC 8829 §5.3.1) matches it against an offer.
/// The server does not transcode, so a codec is acceptable exactly when the offered format is
/// one these packets can be routed for unchanged.
public struct SDPCodecCapability: Sendable, Hashable {
    /// Encoding name; matched case-insensitively (RFC 4855 §3).
    public var name: String
    public var clockRate: Int
    /// Audio channels; nil matches any (RFC 8866 §6.6: absent means 1).
    public var channels: Int?
    /// fmtp parameters the offered format must carry with these values. Absent parameters take
    /// their registered defaults (H.264 `packetization-mode` 0, VP9 `profile-id` 0, AV1 `profile`
    /// 0). For H.264 `profile-level-id` only the profile is compared, see `h264ProfileMatches`.
    public var requiredParameters: [String: String]
    /// `a=rtcp-fb` types supported for this codec; the answer carries the intersection with the
    /// offer. The feedback's `format` is ignored.
    public var feedback: [SDPRTCPFeedback]

    public init(name: String, clockRate: Int, channels: Int? = nil, requiredParameters: [String: String] = [:],
                feedback: [SDPRTCPFeedback] = []) {
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.requiredParameters = requiredParameters
        self.feedback = feedback
    }

    /// The feedback an SFU terminates or relays for video: RFC 4585 NACK and PLI, RFC 5104 FIR,
    /// REMB and transport-wide congestion control.
    public static let videoFeedback: [SDPRTCPFeedback] = [
        SDPRTCPFeedback(format: .all, type: "goog-remb"),
        SDPRTCPFeedback(format: .all, type: "transport-cc"),
        SDPRTCPFeedback(format: .all, type: "ccm", parameter: "fir"),
        SDPRTCPFeedback(format: .all, type: "nack"),
        SDPRTCPFeedback(format: .all, type: "nack", parameter: "pli"),
    ]

    /// RFC 7587: opus is always written `opus/48000/2`.
    public static let opus = SDPCodecCapability(
        name: "opus", clockRate: 48000, channels: 2,
        feedback: [SDPRTCPFeedback(format: .all, type: "transport-cc")])
    public static let vp8 = SDPCodecCapability(name: "VP8", clockRate: 90000, feedback: videoFeedback)
    /// VP9 profile 0 (8-bit 4:2:0), what every browser can decode.
    public static let vp9 = SDPCodecCapability(
        name: "VP9", clockRate: 90000, requiredParameters: ["profile-id": "0"], feedback: videoFeedback)
    /// H.264 non-interleaved mode (RFC 6184 §6.3) with a Constrained Baseline compatible profile.
    public static let h264 = SDPCodecCapability(
        name: "H264", clockRate: 90000,
        requiredParameters: ["packetization-mode": "1", "profile-level-id": "42e01f"], feedback: videoFeedback)
    /// AV1 Main profile (AV1 RTP payload format §7.2).
    public static let av1 = SDPCodecCapability(
        name: "AV1", clockRate: 90000, requiredParameters: ["profile": "0"], feedback: videoFeedback)

    /// Whether an offered format can be forwarded as this capability.
    public func matches(_ codec: SDPCodec) -> Bool {
        guard codec.name.lowercased() == name.lowercased(), Int(codec.clockRate) == clockRate else { return false }
        if let channels, Int(codec.channels ?? 1) != channels { return false }
        for (parameter, required) in requiredParameters {
            let offered = codec.parameter(parameter) ?? Self.defaultParameter(parameter, codec: name)
            if name.lowercased() == "h264", parameter == "profile-level-id" {
                guard let offered, Self.h264ProfileMatches(offered: offered, required: required) else { return false }
                continue
            }
            guard offered == required else { return false }
        }
        return true
    }

    /// How well an offered format fits, for choosing between several matching ones: 1 when
    /// every required parameter is equal as written, 0 when it only matches compatibly.
    func exactness(of codec: SDPCodec) -> Int {
        for (parameter, required) in requiredParameters {
            let offered = codec.parameter(parameter) ?? Self.defaultParameter(parameter, codec: name)
            if name.lowercased() == "h264", parameter == "profile-level-id" {
                // Same profile_idc and constraint flags; the level may differ (RFC 6184 §8.2.2).
                guard let offered, offered.count == 6, required.count == 6,
                      offered.lowercased().prefix(4) == required.lowercased().prefix(4) else { return 0 }
                continue
            }
            if offered != required { return 0 }
        }
        return 1
    }

    /// Registered defaults of fmtp parameters that may be left out of an offer.
    static func defaultParameter(_ parameter: String, codec: String) -> String? {
        switch (codec.lowercased(), parameter) {
        case ("h264", "packetization-mode"): "0"          // RFC 6184 §8.1
        case ("h264", "profile-level-id"): "420010"       // RFC 6184 §8.1: Baseline, level 1.0
        case ("vp9", "profile-id"): "0"                   // RFC 9628 §6
        case ("av1", "profile"): "0"                      // AV1 RTP spec §7.2.1
        default: nil
        }
    }

    /// The H.264 profile of a `profile-level-id` (RFC 6184 §8.1: profile_idc, profile-iop,
    /// level_idc as six hex digits).
    enum H264Profile: Equatable {
        case constrainedBaseline, baseline, other
    }

    static func h264Profile(_ profileLevelID: String) -> H264Profile? {
        let utf8 = Array(profileLevelID.utf8)
        guard utf8.count == 6, utf8.allSatisfy(\.sdpIsHexDigit),
              let profileIDC = UInt8(String(profileLevelID.prefix(2)), radix: 16),
              let iop = UInt8(String(profileLevelID.dropFirst(2).prefix(2)), radix: 16) else { return nil }
        // RFC 6184 §8.1 table 5: constraint_set1 on Baseline, Main or (with set0) Extended
        // means Constrained Baseline.
        let set0: UInt8 = 0x80, set1: UInt8 = 0x40
        switch profileIDC {
        case 0x42: return iop & set1 != 0 ? .constrainedBaseline : .baseline
        case 0x4D: return iop & set1 != 0 ? .constrainedBaseline : .other
        case 0x58: return iop & (set0 | set1) == (set0 | set1) ? .constrainedBaseline : .other
        default: return .other
        }
    }

    /// A Constrained Baseline or Baseline capability accepts either of those two profiles
    /// (a Baseline decoder decodes Constrained Baseline; browsers send only the constrained
    /// subset); any other profile must be equal.
    static func h264ProfileMatches(offered: String, required: String) -> Bool {
        guard let offeredProfile = h264Profile(offered), let requiredProfile = h264Profile(required) else { return false }
        switch requiredProfile {
        case .constrainedBaseline, .baseline: return offeredProfile == .constrainedBaseline || offeredProfile == .baseline
        case .other: return offered.lowercased().prefix(4) == required.lowercased().prefix(4)
        }
    }
}
