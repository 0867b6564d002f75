/// One RTP payload format of a media section, joined from the `m=` format list, `a=rtpmap`,
/// `a=fmtp` and `a=rtcp-fb` lines — the shape an SFU routes and rewrites by.
public struct SDPCodec: Hashable, Sendable {
    public var payloadType: UInt8
    /// As written (`opus`, `VP8`, `H264`, `rtx`); compare case-insensitively (RFC 4855 §3).
    public var name: String
    public var clockRate: UInt32
    public var channels: UInt16?
    public var parameters: [SDPFormatParameter]
    /// `a=rtcp-fb` lines for this payload type, including `*` ones, in section order.
    public var feedback: [SDPRTCPFeedback]
    /// RFC 4588 §8.1: the RTX payload type whose `apt` names this codec.
    public var retransmissionPayloadType: UInt8?

    public init(payloadType: UInt8, name: String, clockRate: UInt32, channels: UInt16? = nil,
                parameters: [SDPFormatParameter] = [], feedback: [SDPRTCPFeedback] = [],
                retransmissionPayloadType: UInt8? = nil) {
        self.payloadType = payloadType
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.feedback = feedback
        self.retransmissionPayloadType = retransmissionPayloadType
    }

    public func parameter(_ name: String) -> String? {
        parameters.first(where: { $0.name == name })?.value
    }

    /// RFC 4588 §8.1: this is an `rtx` format.
    public var isRetransmission: Bool { name.lowercased() == "rtx" }

    /// For `rtx`, the payload type it repairs (`apt=`).
    public var associatedPayloadType: UInt8? {
        parameter("apt").flatMap { SDPTextScanning.payloadType(Substring($0)) }
    }

    /// RFC 3551 §6: static payload types a peer may use without an `a=rtpmap`.
    static func staticPayloadType(_ payloadType: UInt8) -> (name: String, clockRate: UInt32)? {
        switch payloadType {
        case 0: ("PCMU", 8000)
        case 3: ("GSM", 8000)
        case 4: ("G723", 8000)
        case 8: ("PCMA", 8000)
        case 9: ("G722", 8000)
        case 13: ("CN", 8000)
        case 18: ("G729", 8000)
        case 34: ("H263", 90000)
        default: nil
        }
    }
}

extension SDPMediaSection {
    /// All RTP formats of the `m=` line in preference order, with their rtpmap/fmtp/rtcp-fb.
    /// Formats with neither an `a=rtpmap` nor a static assignment are left out.
    public var codecs: [SDPCodec] {
        guard isRTP else { return [] }
        let maps = rtpMaps
        let parameterLists = formatParameters
        let feedback = rtcpFeedback
        var result: [SDPCodec] = []
        for format in formats {
            guard let payloadType = SDPTextScanning.payloadType(Substring(format)),
                  !result.contains(where: { $0.payloadType == payloadType }) else { continue }
            var codec: SDPCodec
            if let map = maps.first(where: { $0.payloadType == payloadType }) {
                codec = SDPCodec(payloadType: payloadType, name: map.encodingName, clockRate: map.clockRate,
                                 channels: map.encodingParameters)
            } else if let known = SDPCodec.staticPayloadType(payloadType) {
                codec = SDPCodec(payloadType: payloadType, name: known.name, clockRate: known.clockRate)
            } else {
                continue
            }
            codec.parameters = parameterLists.first(where: { $0.payloadType == payloadType })?.parameters ?? []
            codec.feedback = feedback.filter { $0.format.applies(to: payloadType) }
            result.append(codec)
        }
        for index in result.indices where !result[index].isRetransmission {
            let primary = result[index].payloadType
            result[index].retransmissionPayloadType =
                result.first(where: { $0.isRetransmission && $0.associatedPayloadType == primary })?.payloadType
        }
        return result
    }

    /// Codecs that carry media: everything but `rtx` (RED and FEC formats stay in).
    public var mediaCodecs: [SDPCodec] { codecs.filter { !$0.isRetransmission } }

    public func codec(payloadType: UInt8) -> SDPCodec? {
        codecs.first(where: { $0.payloadType == payloadType })
    }

    /// RFC 8285 §5: the id negotiated for a header extension URI in this section.
    public func headerExtensionID(for uri: String) -> UInt16? {
        extensionMaps.first(where: { $0.uri == uri })?.id
    }

    /// RFC 8853 §5.1 joined with RFC 8851: the simulcast streams in one direction, each with
    /// its alternatives and the `a=rid` lines that describe them.
    public func simulcastLayers(_ direction: SDPRIDDirection) -> [SDPSimulcastLayer] {
        guard let simulcast else { return [] }
        let lists = direction == .send ? simulcast.send : simulcast.receive
        let described = rids
        return (lists ?? []).map { alternatives in
            SDPSimulcastLayer(
                direction: direction, alternatives: alternatives,
                rids: alternatives.compactMap { stream in
                    described.first(where: { $0.id == stream.rid && $0.direction == direction })
                })
        }
    }
}

/// One simulcast stream of a section (RFC 8853 §5.1): its alternatives (preferred first) and
/// their `a=rid` descriptions.
public struct SDPSimulcastLayer: Hashable, Sendable {
    public var direction: SDPRIDDirection
    public var alternatives: [SDPSimulcastStream]
    public var rids: [SDPRestrictionID]

    public init(direction: SDPRIDDirection, alternatives: [SDPSimulcastStream], rids: [SDPRestrictionID]) {
        self.direction = direction
        self.alternatives = alternatives
        self.rids = rids
    }

    /// The preferred rid of this layer.
    public var rid: String? { alternatives.first?.rid }

    /// RFC 8853 §5.1: `~` — every alternative starts paused.
    public var isPaused: Bool { !alternatives.isEmpty && alternatives.allSatisfy(\.paused) }
}
