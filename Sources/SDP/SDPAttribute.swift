/// One `a=` line (RFC 8866 §5.13), typed when WebRTC gives it meaning, verbatim otherwise.
/// Sections keep attributes in their original order, so browser output round-trips line for line.
public enum SDPAttribute: Hashable, Sendable {
    // Session or media level, RFC 8829 (JSEP) §5.2 / §5.3.
    case group(SDPGroup)
    case mediaStreamSemantic(SDPMediaStreamSemantic)
    case iceLite
    case iceUsernameFragment(String)
    case icePassword(String)
    case iceOptions([String])
    case fingerprint(SDPFingerprint)
    case setup(SDPSetupRole)
    case extmapAllowMixed
    // Media level.
    case mid(String)
    case direction(SDPDirection)
    case candidate(SDPCandidate)
    case endOfCandidates
    case rtcpMux
    case rtcpReducedSize
    case rtpMap(SDPRTPMap)
    case formatParameters(SDPFormatParameters)
    case rtcpFeedback(SDPRTCPFeedback)
    case extensionMap(SDPExtensionMap)
    case sourceAttribute(SDPSourceAttribute)
    case sourceGroup(SDPSourceGroup)
    case mediaStreamID(SDPMediaStreamID)
    case rid(SDPRestrictionID)
    case simulcast(SDPSimulcast)
    case sctpPort(UInt16)
    case maxMessageSize(UInt64)
    /// Anything else, verbatim: `value` nil for a property attribute (`a=name`),
    /// otherwise the text after the first colon (possibly empty).
    case other(name: String, value: String?)

    /// Parses the text after `a=`.
    public static func parse(_ text: String) throws(SDPParseErrorReason) -> SDPAttribute {
        let name: Substring
        let value: String?
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            value = String(text[text.index(after: colon)...])
        } else {
            name = Substring(text)
            value = nil
        }
        guard SDPTextScanning.isToken(name) else { throw .badAttributeName(String(name)) }
        guard let value else { return property(String(name)) }
        switch name {
        case "group": return .group(try SDPGroup.parse(value))
        case "msid-semantic": return .mediaStreamSemantic(try SDPMediaStreamSemantic.parse(value))
        // RFC 8839 §5.4: ice-ufrag / ice-pwd are 4...256 / 22...256 ice-chars; only emptiness
        // is refused here so that slightly-off peers still get an ICE failure, not a parse one.
        case "ice-ufrag": return .iceUsernameFragment(try nonEmpty(value, name))
        case "ice-pwd": return .icePassword(try nonEmpty(value, name))
        case "ice-options":
            let tokens = SDPTextScanning.fields(value)
            guard tokens.allSatisfy(SDPTextScanning.isToken) else { throw .emptyAttributeValue("ice-options") }
            return .iceOptions(tokens.map(String.init))
        case "fingerprint": return .fingerprint(try SDPFingerprint.parse(value))
        case "setup": return .setup(try SDPSetupRole.parse(value))
        case "mid": return .mid(try nonEmpty(value, name))
        case "candidate": return .candidate(try SDPCandidate.parse(value))
        case "rtpmap": return .rtpMap(try SDPRTPMap.parse(value))
        case "fmtp": return .formatParameters(try SDPFormatParameters.parse(value))
        case "rtcp-fb": return .rtcpFeedback(try SDPRTCPFeedback.parse(value))
        case "extmap": return .extensionMap(try SDPExtensionMap.parse(value))
        case "ssrc": return .sourceAttribute(try SDPSourceAttribute.parse(value))
        case "ssrc-group": return .sourceGroup(try SDPSourceGroup.parse(value))
        case "msid": return .mediaStreamID(try SDPMediaStreamID.parse(value))
        case "rid": return .rid(try SDPRestrictionID.parse(value))
        case "simulcast": return .simulcast(try SDPSimulcast.parse(value))
        // RFC 8841 §5.1 / §6.1.
        case "sctp-port":
            guard let port = SDPTextScanning.decimal(value, as: UInt16.self) else { throw .badSCTPPort(value) }
            return .sctpPort(port)
        case "max-message-size":
            guard let size = SDPTextScanning.decimal(value, as: UInt64.self) else { throw .badMaxMessageSize(value) }
            return .maxMessageSize(size)
        default: return .other(name: String(name), value: value)
        }
    }

    private static func property(_ name: String) -> SDPAttribute {
        switch name {
        case "ice-lite": .iceLite
        case "extmap-allow-mixed": .extmapAllowMixed
        case "end-of-candidates": .endOfCandidates
        case "rtcp-mux": .rtcpMux
        case "rtcp-rsize": .rtcpReducedSize
        default:
            if let direction = SDPDirection(rawValue: name) { .direction(direction) } else { .other(name: name, value: nil) }
        }
    }

    private static func nonEmpty(_ value: String, _ name: Substring) throws(SDPParseErrorReason) -> String {
        guard !value.isEmpty else { throw .emptyAttributeValue(String(name)) }
        return value
    }

    /// The attribute name as written after `a=`.
    public var name: String {
        switch self {
        case .group: "group"
        case .mediaStreamSemantic: "msid-semantic"
        case .iceLite: "ice-lite"
        case .iceUsernameFragment: "ice-ufrag"
        case .icePassword: "ice-pwd"
        case .iceOptions: "ice-options"
        case .fingerprint: "fingerprint"
        case .setup: "setup"
        case .extmapAllowMixed: "extmap-allow-mixed"
        case .mid: "mid"
        case .direction(let direction): direction.rawValue
        case .candidate: "candidate"
        case .endOfCandidates: "end-of-candidates"
        case .rtcpMux: "rtcp-mux"
        case .rtcpReducedSize: "rtcp-rsize"
        case .rtpMap: "rtpmap"
        case .formatParameters: "fmtp"
        case .rtcpFeedback: "rtcp-fb"
        case .extensionMap: "extmap"
        case .sourceAttribute: "ssrc"
        case .sourceGroup: "ssrc-group"
        case .mediaStreamID: "msid"
        case .rid: "rid"
        case .simulcast: "simulcast"
        case .sctpPort: "sctp-port"
        case .maxMessageSize: "max-message-size"
        case .other(let name, _): name
        }
    }

    /// The text after the colon, or nil for property attributes.
    public var value: String? {
        switch self {
        case .iceLite, .extmapAllowMixed, .direction, .endOfCandidates, .rtcpMux, .rtcpReducedSize: nil
        case .group(let group): group.attributeValue
        case .mediaStreamSemantic(let semantic): semantic.attributeValue
        case .iceUsernameFragment(let text), .icePassword(let text), .mid(let text): text
        case .iceOptions(let options): options.joined(separator: " ")
        case .fingerprint(let fingerprint): fingerprint.attributeValue
        case .setup(let role): role.rawValue
        case .candidate(let candidate): candidate.attributeValue
        case .rtpMap(let map): map.attributeValue
        case .formatParameters(let parameters): parameters.attributeValue
        case .rtcpFeedback(let feedback): feedback.attributeValue
        case .extensionMap(let map): map.attributeValue
        case .sourceAttribute(let attribute): attribute.attributeValue
        case .sourceGroup(let group): group.attributeValue
        case .mediaStreamID(let msid): msid.attributeValue
        case .rid(let rid): rid.attributeValue
        case .simulcast(let simulcast): simulcast.attributeValue
        case .sctpPort(let port): String(port)
        case .maxMessageSize(let size): String(size)
        case .other(_, let value): value
        }
    }

    /// The whole line without the line ending: `a=name[:value]`.
    public var line: String {
        value.map { "a=\(name):\($0)" } ?? "a=\(name)"
    }
}
