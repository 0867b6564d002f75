/// JSEP answer generation (RFC 8829 §5.3) for an ICE-lite SFU that runs a single BUNDLE
/// transport (RFC 8843), receives simulcast (RFC 8853) and terminates data channels (RFC 8841).
public enum SDPAnswerer {
    /// Answers a browser offer. Sections the server cannot use are rejected with port 0
    /// (RFC 3264 §6, RFC 8843 §7.3.3); an error is thrown only when the offer lacks something
    /// the whole session needs, or nothing at all can be accepted.
    public static func answer(to offer: SessionDescription, options: SDPAnswerOptions)
        throws(SDPNegotiationError) -> (answer: SessionDescription, session: NegotiatedSession) {
        // RFC 8843 §7.3: the SFU only runs a BUNDLE transport (max-bundle, RFC 8829 §4.1.1).
        guard let bundle = offer.bundleGroups.first, !bundle.mids.isEmpty else { throw .missingBundleGroup }

        var plans: [SectionPlan] = []
        var seenMids: Set<String> = []
        for (index, section) in offer.mediaSections.enumerated() {
            let mid = section.mid
            if let mid {
                guard seenMids.insert(mid).inserted else { throw .duplicateMid(mid) }
            }
            plans.append(try plan(section, index: index, bundle: bundle, options: options))
        }

        let accepted = plans.filter(\.isAccepted)
        let rejected = plans.compactMap { plan -> SDPRejectedMedia? in
            if case .rejected(let reason) = plan.outcome {
                return SDPRejectedMedia(sectionIndex: plan.index, mid: plan.mid, reason: reason)
            }
            return nil
        }
        guard !accepted.isEmpty else { throw .nothingAcceptable(rejected) }

        // RFC 8843 §7.3.1: the answerer BUNDLE-tag is the first accepted mid of the group; its
        // transport parameters are the bundle's.
        let bundleMids = bundle.mids.filter { mid in accepted.contains(where: { $0.mid == mid }) }
        guard let tagMid = bundleMids.first,
              let tagSection = offer.mediaSection(mid: tagMid) else { throw .nothingAcceptable(rejected) }
        guard let credentials = offer.effectiveICECredentials(of: tagSection) else {
            throw .missingICECredentials(mid: tagMid)
        }
        let fingerprints = offer.effectiveFingerprints(of: tagSection)
        guard !fingerprints.isEmpty else { throw .missingFingerprint(mid: tagMid) }
        // RFC 8842 §5.3: the answerer takes the role the offer leaves; the SFU prefers to be
        // the DTLS server. RFC 4145 §4: no attribute means active.
        let remoteSetup = offer.effectiveSetup(of: tagSection) ?? .active
        let localSetup: SDPSetupRole
        switch remoteSetup {
        case .actpass, .active: localSetup = .passive
        case .passive: localSetup = .active
        case .holdconn: throw .unsupportedSetupRole(.holdconn)
        }

        let transport = TransportLines(options: options, setup: localSetup)
        var answerSections: [SDPMediaSection] = []
        var negotiatedMedia: [NegotiatedMedia] = []
        var dataChannel: SDPDataChannelParameters?
        for (index, section) in offer.mediaSections.enumerated() {
            let plan = plans[index]
            let isTag = plan.mid == tagMid
            switch plan.outcome {
            case .rejected:
                answerSections.append(rejectedSection(section))
            case .rtp(let negotiation):
                guard let mid = plan.mid else { continue }
                // RFC 8829 §4.1.3 (rtcp-mux-policy require): RTP and RTCP share the bundle 5-tuple.
                guard section.isRTCPMultiplexed else { throw .missingRTCPMux(mid: mid) }
                answerSections.append(rtpSection(offered: section, mid: mid, negotiation: negotiation,
                                                 transport: transport, isBundleTag: isTag, options: options))
                negotiatedMedia.append(NegotiatedMedia(
                    mid: mid, kind: section.kind, direction: negotiation.direction, codecs: negotiation.codecs,
                    headerExtensionIDs: Dictionary(negotiation.extensionMaps.map { ($0.uri, UInt8(truncatingIfNeeded: $0.id)) },
                                                   uniquingKeysWith: { first, _ in first }),
                    receiveSimulcastRIDs: negotiation.receiveSimulcastRIDs,
                    remoteSSRCs: section.ssrcs, remoteSSRCGroups: section.sourceGroups))
            case .dataChannel(let remote):
                guard let mid = plan.mid else { continue }
                answerSections.append(dataChannelSection(offered: section, mid: mid, transport: transport,
                                                         isBundleTag: isTag, options: options))
                negotiatedMedia.append(NegotiatedMedia(
                    mid: mid, kind: .application, direction: .sendrecv, codecs: [], headerExtensionIDs: [:],
                    receiveSimulcastRIDs: [], remoteSSRCs: [], remoteSSRCGroups: []))
                if dataChannel == nil { dataChannel = remote }
            }
        }

        // RFC 8829 §5.3.1: session-level lines of the answer.
        var sessionAttributes: [SDPAttribute] = [
            .group(SDPGroup(semantics: "BUNDLE", mids: bundleMids)),
            .iceLite,
        ]
        if offer.isExtmapAllowMixed { sessionAttributes.append(.extmapAllowMixed) }
        sessionAttributes.append(.mediaStreamSemantic(SDPMediaStreamSemantic(semantic: "WMS", streamIDs: ["*"],
                                                                            spaceAfterColon: true)))
        let sessionID = options.sessionID ?? UInt64.random(in: 1...UInt64(Int64.max))
        let answer = SessionDescription(
            origin: SDPOrigin(username: "-", sessionID: sessionID, sessionVersion: 2),
            sessionName: "-", timings: [SDPTiming(start: 0, stop: 0)],
            attributes: sessionAttributes, mediaSections: answerSections)
        let session = NegotiatedSession(
            bundleMids: bundleMids, media: negotiatedMedia, rejectedMedia: rejected,
            remoteICECredentials: SDPICECredentials(usernameFragment: credentials.usernameFragment,
                                                    password: credentials.password),
            remoteFingerprints: fingerprints, remoteSetup: remoteSetup, localSetup: localSetup,
            dataChannel: dataChannel)
        return (answer, session)
    }

    // MARK: - Deciding each section

    enum SectionOutcome {
        case rejected(SDPRejectionReason)
        case rtp(SDPMediaNegotiation)
        case dataChannel(SDPDataChannelParameters)
    }

    struct SectionPlan {
        var index: Int
        var mid: String?
        var outcome: SectionOutcome

        var isAccepted: Bool {
            if case .rejected = outcome { return false }
            return true
        }
    }

    /// RFC 8829 §5.1.2: the DTLS-SRTP profiles JSEP allows for RTP.
    static let rtpProtocols: Set<String> = ["UDP/TLS/RTP/SAVPF", "TCP/DTLS/RTP/SAVPF", "TCP/TLS/RTP/SAVPF"]
    /// RFC 8841 §4: SCTP over DTLS over UDP or TCP.
    static let dataChannelProtocols: Set<String> = ["UDP/DTLS/SCTP", "TCP/DTLS/SCTP"]

    static func plan(_ section: SDPMediaSection, index: Int, bundle: SDPGroup,
                     options: SDPAnswerOptions) throws(SDPNegotiationError) -> SectionPlan {
        let mid = section.mid
        func rejected(_ reason: SDPRejectionReason) -> SectionPlan {
            SectionPlan(index: index, mid: mid, outcome: .rejected(reason))
        }
        // RFC 8843 §6: port 0 with bundle-only is a live bundled section; without it, disabled.
        let isBundleOnly = section.attributes.contains(.other(name: "bundle-only", value: nil))
        if section.port == 0 && !isBundleOnly { return rejected(.disabledByOfferer) }
        // RFC 8829 §5.8: a live section always has a mid.
        guard let mid else { throw .missingMid(sectionIndex: index) }
        guard bundle.mids.contains(mid) else { return rejected(.notBundled) }

        switch section.kind {
        case .audio, .video:
            guard rtpProtocols.contains(section.transportProtocol) else {
                return rejected(.unsupportedProtocol(section.transportProtocol))
            }
            let choice = SDPMediaNegotiation.chooseCodecs(offered: section.codecs, capabilities: options.codecs)
            guard !choice.codecs.isEmpty else { return rejected(.noCommonCodec) }
            let serverSends = options.sendToMids.contains(mid) || options.outgoingStreams[mid] != nil
            let direction = SDPMediaNegotiation.chooseDirection(offered: section.effectiveDirection,
                                                                serverSends: serverSends)
            let extensionMaps = SDPMediaNegotiation.chooseExtensionMaps(offered: section.extensionMaps,
                                                                        accepted: options.headerExtensions)
            var codecs = choice.codecs
            // transport-cc feedback needs the transport-wide sequence number extension
            // (draft-holmer-rmcat-transport-wide-cc-extensions §3); without it, drop the feedback.
            if !extensionMaps.contains(where: { $0.uri == SDPMediaNegotiation.transportWideCCURI }) {
                for index in codecs.indices { codecs[index].feedback.removeAll { $0.type == "transport-cc" } }
            }
            var negotiation = SDPMediaNegotiation(
                codecs: codecs, retransmissionCodecs: choice.retransmission, extensionMaps: extensionMaps,
                direction: direction, receiveRIDs: [], receiveSimulcast: nil)
            if options.acceptSimulcast, direction == .sendrecv || direction == .recvonly,
               let simulcast = SDPMediaNegotiation.chooseSimulcast(section: section,
                                                                   acceptedPayloadTypes: negotiation.payloadTypes) {
                negotiation.receiveRIDs = simulcast.rids
                negotiation.receiveSimulcast = simulcast.simulcast
            }
            return SectionPlan(index: index, mid: mid, outcome: .rtp(negotiation))
        case .application:
            guard section.isDataChannel, dataChannelProtocols.contains(section.transportProtocol) else {
                return rejected(.unsupportedProtocol(section.transportProtocol))
            }
            guard let port = section.sctpPort else { return rejected(.missingSCTPPort) }
            // RFC 8841 §6.1: no max-message-size means 64 KiB.
            let maxMessageSize = Int(clamping: section.maxMessageSize ?? 65_536)
            return SectionPlan(index: index, mid: mid, outcome: .dataChannel(
                SDPDataChannelParameters(sctpPort: Int(port), maxMessageSize: maxMessageSize)))
        default:
            return rejected(.unsupportedMediaKind(section.kind.token))
        }
    }

    // MARK: - Writing sections

    /// The transport lines every accepted section repeats (RFC 8829 §5.3.1; browsers accept
    /// them in every bundled section, as Chrome writes its own answers).
    struct TransportLines {
        var attributes: [SDPAttribute]
        var candidates: [SDPAttribute]

        init(options: SDPAnswerOptions, setup: SDPSetupRole) {
            attributes = [
                .iceUsernameFragment(options.iceCredentials.usernameFragment),
                .icePassword(options.iceCredentials.password),
            ]
            if !options.iceOptions.isEmpty { attributes.append(.iceOptions(options.iceOptions)) }
            attributes.append(.fingerprint(options.fingerprint))
            attributes.append(.setup(setup))
            // RFC 8840 §8.2: a lite agent has every candidate now; candidates belong to the
            // bundle transport, so they go in the BUNDLE-tag section (RFC 8843 §7.3.1).
            candidates = options.candidates.map(SDPAttribute.candidate) + [.endOfCandidates]
        }
    }

    /// RFC 3264 §6 / RFC 8843 §7.3.3: port 0, the offered proto and one offered format, the
    /// mid so the section can be matched, and nothing else but `inactive`. No `bundle-only`:
    /// that attribute is for offers.
    static func rejectedSection(_ offered: SDPMediaSection) -> SDPMediaSection {
        var attributes: [SDPAttribute] = []
        if let mid = offered.mid { attributes.append(.mid(mid)) }
        attributes.append(.direction(.inactive))
        let formats = offered.formats.first.map { [$0] } ?? (offered.isRTP ? ["0"] : ["webrtc-datachannel"])
        return SDPMediaSection(kind: offered.kind, port: 0, transportProtocol: offered.transportProtocol,
                               formats: formats, connections: [SDPConnection()], attributes: attributes)
    }

    static func rtpSection(offered: SDPMediaSection, mid: String, negotiation: SDPMediaNegotiation,
                           transport: TransportLines, isBundleTag: Bool, options: SDPAnswerOptions) -> SDPMediaSection {
        var attributes: [SDPAttribute] = [.other(name: "rtcp", value: "9 IN IP4 0.0.0.0")]
        if isBundleTag { attributes += transport.candidates }
        attributes += transport.attributes
        attributes.append(.mid(mid))
        attributes += negotiation.extensionMaps.map(SDPAttribute.extensionMap)
        attributes.append(.direction(negotiation.direction))
        let sending = negotiation.direction == .sendrecv || negotiation.direction == .sendonly
        let outgoing = sending ? options.outgoingStreams[mid] : nil
        // RFC 8830 §2: the track the server sends.
        if let outgoing {
            attributes.append(.mediaStreamID(SDPMediaStreamID(streamID: outgoing.streamID, trackID: outgoing.trackID)))
        }
        attributes.append(.rtcpMux)
        if offered.isRTCPReducedSize { attributes.append(.rtcpReducedSize) }
        for codec in negotiation.codecs {
            attributes += codecAttributes(codec)
            if let rtx = negotiation.retransmissionCodecs[codec.payloadType] { attributes += codecAttributes(rtx) }
        }
        attributes += negotiation.receiveRIDs.map(SDPAttribute.rid)
        if let receive = negotiation.receiveSimulcast {
            attributes.append(.simulcast(SDPSimulcast(receive: receive)))
        }
        if let outgoing { attributes += sourceAttributes(outgoing) }
        return SDPMediaSection(kind: offered.kind, port: 9, transportProtocol: offered.transportProtocol,
                               formats: negotiation.payloadTypes.map { String($0) },
                               connections: [SDPConnection()], attributes: attributes)
    }

    /// RFC 8866 §6.6 rtpmap, RFC 4585 rtcp-fb, RFC 8866 §6.15 fmtp for one format.
    static func codecAttributes(_ codec: SDPCodec) -> [SDPAttribute] {
        var attributes: [SDPAttribute] = [.rtpMap(SDPRTPMap(payloadType: codec.payloadType, encodingName: codec.name,
                                                            clockRate: codec.clockRate, encodingParameters: codec.channels))]
        attributes += codec.feedback.map(SDPAttribute.rtcpFeedback)
        if !codec.parameters.isEmpty {
            attributes.append(.formatParameters(SDPFormatParameters(payloadType: codec.payloadType,
                                                                    parameters: codec.parameters)))
        }
        return attributes
    }

    /// RFC 5576 §4: `ssrc-group:FID` (RFC 4588 §8) then `cname` and `msid` for each SSRC.
    static func sourceAttributes(_ stream: SDPOutgoingStream) -> [SDPAttribute] {
        var attributes: [SDPAttribute] = []
        var ssrcs = [stream.ssrc]
        if let rtx = stream.rtxSSRC {
            attributes.append(.sourceGroup(SDPSourceGroup(semantics: "FID", ssrcs: [stream.ssrc, rtx])))
            ssrcs.append(rtx)
        }
        for ssrc in ssrcs {
            attributes.append(.sourceAttribute(SDPSourceAttribute(ssrc: ssrc, attribute: "cname", value: stream.cname)))
            attributes.append(.sourceAttribute(SDPSourceAttribute(
                ssrc: ssrc, attribute: "msid", value: "\(stream.streamID) \(stream.trackID)")))
        }
        return attributes
    }

    /// RFC 8841 §5-6: the data channel section.
    static func dataChannelSection(offered: SDPMediaSection, mid: String, transport: TransportLines,
                                   isBundleTag: Bool, options: SDPAnswerOptions) -> SDPMediaSection {
        var attributes: [SDPAttribute] = []
        if isBundleTag { attributes += transport.candidates }
        attributes += transport.attributes
        attributes.append(.mid(mid))
        attributes.append(.sctpPort(options.sctpPort))
        attributes.append(.maxMessageSize(UInt64(max(0, options.maxMessageSize))))
        return SDPMediaSection(kind: .application, port: 9, transportProtocol: offered.transportProtocol,
                               formats: ["webrtc-datachannel"], connections: [SDPConnection()],
                               attributes: attributes)
    }
}
