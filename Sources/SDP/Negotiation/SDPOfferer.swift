/// A subscriber offer that cannot be written: the options contradict themselves.
public enum SDPOfferError: Error, Equatable, Sendable {
    /// RFC 5888 §4: a mid is a non-empty token.
    case invalidMid(String)
    /// RFC 8843 §7.2.1: mids are unique within the session.
    case duplicateMid(String)
    /// Only audio and video tracks are RTP m-sections.
    case unsupportedTrackKind(mid: String, kind: String)
    /// RFC 5761 §4: with rtcp-mux, payload types 64-95 collide with RTCP packet types;
    /// above 127 is not a payload type (RFC 3550 §5.1).
    case invalidPayloadType(UInt8)
    /// RFC 8843 §9.1.1: in one BUNDLE group a payload type means one codec configuration;
    /// also an RTX payload type equal to the one it repairs.
    case payloadTypeConflict(UInt8)
    /// An RTX SSRC without an RTX payload type to send it with (RFC 4588 §8).
    case retransmissionSSRCWithoutPayloadType(mid: String)
    /// RFC 8285 §5: ids 1-255 (4096-4351 are for answer negotiation only).
    case invalidHeaderExtensionID(UInt16)
    /// RFC 8285 §5: an id names one URI and a URI has one id in the BUNDLE transport.
    case conflictingHeaderExtension(id: UInt16, uri: String)
    /// RFC 8841: one SCTP association per transport, hence one data channel section.
    case multipleDataChannels
}

/// Offers for the server-initiated subscriber peer connection (RFC 8829 §5.2): the server
/// sends every track the participant receives on one `sendonly` m-section each, over one
/// ICE-lite BUNDLE transport, and renegotiates whenever that set changes.
///
/// Removed tracks: the section stays where it is with the same mid, `a=inactive`, port 9,
/// still in the BUNDLE group, without `a=msid`/`a=ssrc` lines. The browser then ends the
/// remote track (its stream gets `removetrack`). Mids are never reordered and never given to
/// another track by the offerer. This is what LiveKit's server does through Pion (a
/// transceiver whose sender is removed goes `inactive`, port kept). mediasoup instead stops
/// the section (port 0, out of BUNDLE) and later recycles its position for a new consumer
/// under a new mid, as RFC 8829 §5.2.2 allows once the port-0 answer has been applied; that
/// saves SDP size in long sessions but needs per-section state across offer/answer rounds,
/// and the first (BUNDLE-tag) section can never be stopped that way. Keeping sections
/// inactive needs no such state: each offer is a pure function of the options. A caller that
/// wants to bound growth can give an inactive section's mid to a new track of the same kind
/// (LiveKit's transceiver reuse): the browser keeps the transceiver and fires `track` again
/// for the new `a=msid`.
public enum SDPOfferer {
    /// RFC 8829 §5.1.2: the one RTP profile browsers accept for media.
    public static let rtpProtocol = "UDP/TLS/RTP/SAVPF"
    /// RFC 8841 §4.
    public static let dataChannelProtocol = "UDP/DTLS/SCTP"

    public static func offer(_ options: SDPOfferOptions) throws(SDPOfferError) -> SessionDescription {
        try validate(options)
        let transport = transportAttributes(options)
        var sections: [SDPMediaSection] = []
        for (index, media) in options.media.enumerated() {
            // RFC 8843 §7.2 / RFC 8840 §8.2: the candidates of the shared transport go once,
            // in the offerer BUNDLE-tag (first) section; a lite agent has no more to trickle.
            var attributes = index == 0 ? options.candidates.map(SDPAttribute.candidate) + [.endOfCandidates] : []
            attributes += transport
            switch media {
            case .track(let track):
                sections.append(trackSection(track, transport: attributes, options: options))
            case .dataChannel(let channel):
                attributes.append(.mid(channel.mid))
                attributes.append(.sctpPort(channel.sctpPort))
                attributes.append(.maxMessageSize(channel.maxMessageSize))
                sections.append(SDPMediaSection(kind: .application, port: 9, transportProtocol: dataChannelProtocol,
                                                formats: ["webrtc-datachannel"], connections: [SDPConnection()],
                                                attributes: attributes))
            }
        }
        // RFC 8829 §5.2.1: session-level lines. ICE-lite (RFC 8445 §2.5) makes the browser the
        // controlling agent; `msid-semantic: WMS *` is what libwebrtc expects of RFC 8830 msid.
        var sessionAttributes: [SDPAttribute] = []
        if !options.media.isEmpty {
            sessionAttributes.append(.group(SDPGroup(semantics: "BUNDLE", mids: options.media.map(\.mid))))
        }
        sessionAttributes.append(.iceLite)
        sessionAttributes.append(.extmapAllowMixed)
        sessionAttributes.append(.mediaStreamSemantic(SDPMediaStreamSemantic(semantic: "WMS", streamIDs: ["*"],
                                                                            spaceAfterColon: true)))
        return SessionDescription(
            origin: SDPOrigin(username: "-", sessionID: options.sessionID, sessionVersion: options.sessionVersion),
            sessionName: "-", timings: [SDPTiming(start: 0, stop: 0)],
            attributes: sessionAttributes, mediaSections: sections)
    }

    /// RFC 8843 §7.2: every bundled section of an offer repeats the transport lines; RFC 8842
    /// §5.2: an offerer says `actpass` and lets the browser pick (it picks `active`).
    static func transportAttributes(_ options: SDPOfferOptions) -> [SDPAttribute] {
        var attributes: [SDPAttribute] = [
            .iceUsernameFragment(options.iceCredentials.usernameFragment),
            .icePassword(options.iceCredentials.password),
        ]
        if !options.iceOptions.isEmpty { attributes.append(.iceOptions(options.iceOptions)) }
        attributes.append(.fingerprint(options.fingerprint))
        attributes.append(.setup(.actpass))
        return attributes
    }

    static func trackSection(_ track: SDPOutgoingTrack, transport: [SDPAttribute],
                             options: SDPOfferOptions) -> SDPMediaSection {
        let extensions = options.headerExtensions.filter { $0.kinds.contains(track.kind) }
        var codec = track.codec
        // Feedback is written per payload type (RFC 4585 §4.2). transport-cc feedback needs the
        // transport-wide sequence number extension in the same section.
        let hasTransportCC = extensions.contains(where: { $0.uri == SDPOfferHeaderExtension.transportWideCCURI })
        var feedback: [SDPRTCPFeedback] = []
        for item in codec.feedback where hasTransportCC || item.type != "transport-cc" {
            let perPayloadType = SDPRTCPFeedback(format: .payloadType(codec.payloadType), type: item.type,
                                                 parameter: item.parameter)
            if !feedback.contains(perPayloadType) { feedback.append(perPayloadType) }
        }
        codec.feedback = feedback

        var attributes: [SDPAttribute] = [.other(name: "rtcp", value: "9 IN IP4 0.0.0.0")]
        attributes += transport
        attributes.append(.mid(track.mid))
        attributes += extensions.map { .extensionMap(SDPExtensionMap(id: $0.id, uri: $0.uri)) }
        // RFC 3264 §5.1: the server only sends here; a removed track's section is inactive.
        attributes.append(.direction(track.isActive ? .sendonly : .inactive))
        if track.isActive {
            attributes.append(.mediaStreamID(SDPMediaStreamID(streamID: track.stream.streamID,
                                                              trackID: track.stream.trackID)))
        }
        attributes.append(.rtcpMux)
        attributes.append(.rtcpReducedSize)
        attributes += SDPAnswerer.codecAttributes(codec)
        var formats = [String(codec.payloadType)]
        if let rtxPayloadType = codec.retransmissionPayloadType {
            // RFC 4588 §8.1: `rtx/<clock rate>` with `apt=` the repaired payload type.
            let rtx = SDPCodec(payloadType: rtxPayloadType, name: "rtx", clockRate: codec.clockRate,
                               parameters: [SDPFormatParameter(name: "apt", value: String(codec.payloadType))])
            attributes += SDPAnswerer.codecAttributes(rtx)
            formats.append(String(rtxPayloadType))
        }
        if track.isActive {
            // RFC 5576 §4 with `ssrc-group:FID` only when RTX is actually offered.
            var stream = track.stream
            if codec.retransmissionPayloadType == nil { stream.rtxSSRC = nil }
            attributes += SDPAnswerer.sourceAttributes(stream)
        }
        return SDPMediaSection(kind: track.kind, port: 9, transportProtocol: rtpProtocol, formats: formats,
                               connections: [SDPConnection()], attributes: attributes)
    }

    static func validate(_ options: SDPOfferOptions) throws(SDPOfferError) {
        var mids: Set<String> = []
        var dataChannels = 0
        /// Payload type → the codec configuration it stands for in this BUNDLE group.
        var payloadTypes: [UInt8: SDPCodec] = [:]
        func claim(_ codec: SDPCodec) throws(SDPOfferError) {
            guard codec.payloadType < 128, !(64...95).contains(codec.payloadType) else {
                throw .invalidPayloadType(codec.payloadType)
            }
            var key = codec
            key.feedback = []
            key.retransmissionPayloadType = nil
            if let existing = payloadTypes[codec.payloadType] {
                guard existing.name.lowercased() == key.name.lowercased(), existing.clockRate == key.clockRate,
                      (existing.channels ?? 1) == (key.channels ?? 1),
                      Set(existing.parameters) == Set(key.parameters) else { throw .payloadTypeConflict(codec.payloadType) }
            } else {
                payloadTypes[codec.payloadType] = key
            }
        }
        for media in options.media {
            guard SDPTextScanning.isToken(Substring(media.mid)) else { throw .invalidMid(media.mid) }
            guard mids.insert(media.mid).inserted else { throw .duplicateMid(media.mid) }
            switch media {
            case .dataChannel:
                dataChannels += 1
                guard dataChannels == 1 else { throw .multipleDataChannels }
            case .track(let track):
                guard track.kind == .audio || track.kind == .video else {
                    throw .unsupportedTrackKind(mid: track.mid, kind: track.kind.token)
                }
                try claim(track.codec)
                if let rtxPayloadType = track.codec.retransmissionPayloadType {
                    guard rtxPayloadType != track.codec.payloadType else { throw .payloadTypeConflict(rtxPayloadType) }
                    try claim(SDPCodec(payloadType: rtxPayloadType, name: "rtx", clockRate: track.codec.clockRate,
                                       parameters: [SDPFormatParameter(name: "apt",
                                                                       value: String(track.codec.payloadType))]))
                } else if track.stream.rtxSSRC != nil {
                    throw .retransmissionSSRCWithoutPayloadType(mid: track.mid)
                }
            }
        }
        var urisByID: [UInt16: String] = [:]
        var idsByURI: [String: UInt16] = [:]
        for item in options.headerExtensions {
            guard (1...255).contains(item.id) else { throw .invalidHeaderExtensionID(item.id) }
            if let uri = urisByID[item.id], uri != item.uri { throw .conflictingHeaderExtension(id: item.id, uri: item.uri) }
            if let id = idsByURI[item.uri], id != item.id { throw .conflictingHeaderExtension(id: item.id, uri: item.uri) }
            urisByID[item.id] = item.uri
            idsByURI[item.uri] = item.id
        }
    }
}
