/// RFC 8866 §5.14: one `m=` line and the lines up to the next one. In WebRTC each section is one
/// transceiver (audio/video) or the SCTP association for data channels (RFC 8829 §5.2.1).
public struct SDPMediaSection: Hashable, Sendable {
    public var kind: SDPMediaKind
    /// 9 (the discard port) in JSEP offers gathered with trickle ICE; 0 marks a rejected section.
    public var port: UInt16
    public var numberOfPorts: UInt16?
    /// e.g. `UDP/TLS/RTP/SAVPF` or `UDP/DTLS/SCTP`.
    public var transportProtocol: String
    /// RTP payload types as text for RTP profiles, `webrtc-datachannel` for SCTP.
    public var formats: [String]
    public var information: String?
    public var connections: [SDPConnection]
    public var bandwidths: [SDPBandwidth]
    /// RFC 8866 §5.12 `k=` (obsolete), verbatim.
    public var encryptionKey: String?
    /// In their original order.
    public var attributes: [SDPAttribute]

    public init(kind: SDPMediaKind, port: UInt16 = 9, numberOfPorts: UInt16? = nil,
                transportProtocol: String, formats: [String], information: String? = nil,
                connections: [SDPConnection] = [], bandwidths: [SDPBandwidth] = [],
                encryptionKey: String? = nil, attributes: [SDPAttribute] = []) {
        self.kind = kind
        self.port = port
        self.numberOfPorts = numberOfPorts
        self.transportProtocol = transportProtocol
        self.formats = formats
        self.information = information
        self.connections = connections
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
    }

    /// RTP/AVP-family profiles carry payload types as formats (RFC 8866 §5.14).
    public var isRTP: Bool { transportProtocol.contains("RTP/") }

    /// `m=<media> <port>[/<number of ports>] <proto> <fmt> ...`
    static func parseMediaLine(_ value: String) throws(SDPParseErrorReason) -> SDPMediaSection {
        let fields = SDPTextScanning.fields(value)
        guard fields.count >= 4 else { throw .badMediaLine(.tooFewFields(fields.count)) }
        guard SDPTextScanning.isToken(fields[0]) else { throw .badMediaLine(.badMediaKind(String(fields[0]))) }
        // RFC 8866 §9: proto = token *("/" token).
        guard fields[2].split(separator: "/", omittingEmptySubsequences: false).allSatisfy(SDPTextScanning.isToken) else {
            throw .badMediaLine(.badProtocol(String(fields[2])))
        }
        let portParts = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(portParts.count), let port = SDPTextScanning.decimal(portParts[0], as: UInt16.self) else {
            throw .badMediaLine(.badPort(String(fields[1])))
        }
        var numberOfPorts: UInt16?
        if portParts.count == 2 {
            guard let count = SDPTextScanning.decimal(portParts[1], as: UInt16.self), count > 0 else {
                throw .badMediaLine(.badNumberOfPorts(String(fields[1])))
            }
            numberOfPorts = count
        }
        var section = SDPMediaSection(kind: SDPMediaKind(token: String(fields[0])), port: port, numberOfPorts: numberOfPorts,
                                      transportProtocol: String(fields[2]), formats: [])
        for format in fields.dropFirst(3) {
            guard !format.isEmpty, format.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw .badMediaLine(.badFormat(String(format)))
            }
            // RFC 3551 §3: RTP formats are 7-bit payload type numbers.
            if section.isRTP, SDPTextScanning.payloadType(format) == nil {
                throw .badMediaLine(.badPayloadType(String(format)))
            }
            section.formats.append(String(format))
        }
        return section
    }

    var mediaLineValue: String {
        var portText = String(port)
        if let numberOfPorts { portText += "/\(numberOfPorts)" }
        return ([kind.token, portText, transportProtocol] + formats).joined(separator: " ")
    }
}

// MARK: - Typed views of the attributes

extension SDPMediaSection {
    /// RFC 9143 / RFC 5888 §4: the identification tag of this section.
    public var mid: String? {
        for case .mid(let mid) in attributes { return mid }
        return nil
    }

    /// The direction attribute as written, if any.
    public var direction: SDPDirection? {
        for case .direction(let direction) in attributes { return direction }
        return nil
    }

    /// RFC 3264 §5.1: no direction attribute means `sendrecv`.
    public var effectiveDirection: SDPDirection { direction ?? .sendrecv }

    public var iceUsernameFragment: String? {
        for case .iceUsernameFragment(let text) in attributes { return text }
        return nil
    }

    public var icePassword: String? {
        for case .icePassword(let text) in attributes { return text }
        return nil
    }

    public var iceOptions: [String] {
        for case .iceOptions(let options) in attributes { return options }
        return []
    }

    public var fingerprints: [SDPFingerprint] {
        attributes.compactMap { if case .fingerprint(let value) = $0 { value } else { nil } }
    }

    public var setup: SDPSetupRole? {
        for case .setup(let role) in attributes { return role }
        return nil
    }

    public var candidates: [SDPCandidate] {
        attributes.compactMap { if case .candidate(let value) = $0 { value } else { nil } }
    }

    /// RFC 8840 §8.2: the peer will trickle no more candidates for this section.
    public var isEndOfCandidates: Bool { attributes.contains(.endOfCandidates) }

    public var isRTCPMultiplexed: Bool { attributes.contains(.rtcpMux) }

    public var isRTCPReducedSize: Bool { attributes.contains(.rtcpReducedSize) }

    public var rtpMaps: [SDPRTPMap] {
        attributes.compactMap { if case .rtpMap(let value) = $0 { value } else { nil } }
    }

    public var formatParameters: [SDPFormatParameters] {
        attributes.compactMap { if case .formatParameters(let value) = $0 { value } else { nil } }
    }

    public var rtcpFeedback: [SDPRTCPFeedback] {
        attributes.compactMap { if case .rtcpFeedback(let value) = $0 { value } else { nil } }
    }

    public var extensionMaps: [SDPExtensionMap] {
        attributes.compactMap { if case .extensionMap(let value) = $0 { value } else { nil } }
    }

    public var sourceAttributes: [SDPSourceAttribute] {
        attributes.compactMap { if case .sourceAttribute(let value) = $0 { value } else { nil } }
    }

    public var sourceGroups: [SDPSourceGroup] {
        attributes.compactMap { if case .sourceGroup(let value) = $0 { value } else { nil } }
    }

    /// Distinct SSRCs named by `a=ssrc` lines, in order of first appearance.
    public var ssrcs: [UInt32] {
        var seen: [UInt32] = []
        for attribute in sourceAttributes where !seen.contains(attribute.ssrc) { seen.append(attribute.ssrc) }
        return seen
    }

    /// RFC 5576 §6.1: the CNAME of an SSRC.
    public func canonicalName(ofSSRC ssrc: UInt32) -> String? {
        sourceAttributes.first(where: { $0.ssrc == ssrc && $0.attribute == "cname" })?.value
    }

    public var mediaStreamIDs: [SDPMediaStreamID] {
        attributes.compactMap { if case .mediaStreamID(let value) = $0 { value } else { nil } }
    }

    public var rids: [SDPRestrictionID] {
        attributes.compactMap { if case .rid(let value) = $0 { value } else { nil } }
    }

    public func rid(_ id: String) -> SDPRestrictionID? { rids.first(where: { $0.id == id }) }

    public var simulcast: SDPSimulcast? {
        for case .simulcast(let value) in attributes { return value }
        return nil
    }

    public var sctpPort: UInt16? {
        for case .sctpPort(let port) in attributes { return port }
        return nil
    }

    public var maxMessageSize: UInt64? {
        for case .maxMessageSize(let size) in attributes { return size }
        return nil
    }

    /// The first value of an attribute this model keeps verbatim (e.g. `rtcp`, `rtcp-xr`).
    public func otherAttribute(_ name: String) -> String?? {
        for case .other(let otherName, let value) in attributes where otherName == name { return .some(value) }
        return nil
    }

    /// RFC 8841 §5.1: an SCTP-over-DTLS section carrying WebRTC data channels (RFC 8831).
    public var isDataChannel: Bool {
        kind == .application && transportProtocol.hasSuffix("SCTP") && formats.contains("webrtc-datachannel")
    }
}
