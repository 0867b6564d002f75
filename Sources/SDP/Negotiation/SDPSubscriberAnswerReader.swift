/// Reads the browser's answer to an `SDPOfferer` offer (RFC 8829 §5.10, applying a remote
/// answer): what the browser accepted, checked against the offer it answers.
public enum SDPSubscriberAnswerReader {
    public static func read(_ answer: SessionDescription, offer: SessionDescription)
        throws(SDPSubscriberAnswerError) -> NegotiatedSubscriberSession {
        // RFC 3264 §6: one answer section per offered section, in the same order.
        guard answer.mediaSections.count == offer.mediaSections.count else {
            throw .sectionCountMismatch(offered: offer.mediaSections.count, answered: answer.mediaSections.count)
        }
        for (index, section) in answer.mediaSections.enumerated() {
            guard let mid = section.mid else { throw .missingMid(sectionIndex: index) }
            let offered = offer.mediaSections[index]
            guard offered.mid == mid else { throw .unknownMid(mid) }
            guard offered.kind == section.kind else { throw .kindMismatch(mid: mid) }
        }

        // RFC 8843 §7.3: the answer's BUNDLE group names only offered-and-bundled mids, and
        // every section the answer accepts is in it (this server runs one transport).
        guard let bundle = answer.bundleGroups.first, let tagMid = bundle.mids.first else { throw .missingBundleGroup }
        let offeredBundle = offer.bundleGroups.first?.mids ?? []
        for mid in bundle.mids where !offeredBundle.contains(mid) { throw .notBundled(mid: mid) }
        for section in answer.mediaSections where section.port != 0 {
            if let mid = section.mid, !bundle.mids.contains(mid) { throw .notBundled(mid: mid) }
        }
        guard let tagSection = answer.mediaSection(mid: tagMid) else { throw .notBundled(mid: tagMid) }

        // RFC 8843 §7.3.1: the BUNDLE-tag section carries the transport parameters.
        guard let credentials = answer.effectiveICECredentials(of: tagSection) else {
            throw .missingICECredentials(mid: tagMid)
        }
        let fingerprints = answer.effectiveFingerprints(of: tagSection)
        guard !fingerprints.isEmpty else { throw .missingFingerprint(mid: tagMid) }
        // RFC 8842 §5.3: the answerer picks `active` or `passive`; the server takes the other.
        guard let remoteSetup = answer.effectiveSetup(of: tagSection) else { throw .missingSetupRole(mid: tagMid) }
        let localSetup: SDPSetupRole
        switch remoteSetup {
        case .active: localSetup = .passive
        case .passive: localSetup = .active
        case .actpass, .holdconn: throw .invalidSetupRole(remoteSetup)
        }

        var media: [NegotiatedSubscriberMedia] = []
        var dataChannel: SDPDataChannelParameters?
        for (index, section) in answer.mediaSections.enumerated() {
            let offered = offer.mediaSections[index]
            let mid = offered.mid ?? ""
            // RFC 3264 §6: port 0 rejects the section.
            guard section.port != 0 else {
                media.append(NegotiatedSubscriberMedia(mid: mid, kind: section.kind, isAccepted: false,
                                                       direction: .inactive, codec: nil, headerExtensionIDs: [:]))
                continue
            }
            if section.isDataChannel {
                guard let port = section.sctpPort else { throw .missingSCTPPort(mid: mid) }
                // RFC 8841 §6.1: no max-message-size means 64 KiB.
                let maxMessageSize = Int(clamping: section.maxMessageSize ?? 65_536)
                if dataChannel == nil {
                    dataChannel = SDPDataChannelParameters(sctpPort: Int(port), maxMessageSize: maxMessageSize)
                }
                media.append(NegotiatedSubscriberMedia(mid: mid, kind: section.kind, isAccepted: true,
                                                       direction: section.effectiveDirection, codec: nil,
                                                       headerExtensionIDs: [:]))
                continue
            }
            let direction = section.effectiveDirection
            guard directionFits(answer: direction, offer: offered.effectiveDirection) else {
                throw .invalidDirection(mid: mid, direction)
            }
            let codec = try acceptedCodec(answer: section, offer: offered, mid: mid)
            let extensions = try acceptedExtensions(answer: section, offer: offered, mid: mid)
            media.append(NegotiatedSubscriberMedia(mid: mid, kind: section.kind, isAccepted: true, direction: direction,
                                                   codec: codec, headerExtensionIDs: extensions))
        }

        return NegotiatedSubscriberSession(
            bundleMids: bundle.mids, media: media,
            remoteICECredentials: SDPICECredentials(usernameFragment: credentials.usernameFragment,
                                                    password: credentials.password),
            remoteFingerprints: fingerprints, remoteSetup: remoteSetup, localSetup: localSetup,
            remoteCandidates: tagSection.candidates, dataChannel: dataChannel)
    }

    /// RFC 3264 §6.1: the answer may only narrow the reversed offer direction — it sends only
    /// where the offer receives and receives only where the offer sends.
    static func directionFits(answer: SDPDirection, offer: SDPDirection) -> Bool {
        let offerSends = offer == .sendrecv || offer == .sendonly
        let offerReceives = offer == .sendrecv || offer == .recvonly
        let answerSends = answer == .sendrecv || answer == .sendonly
        let answerReceives = answer == .sendrecv || answer == .recvonly
        return (!answerSends || offerReceives) && (!answerReceives || offerSends)
    }

    /// RFC 3264 §6.1: the answer's formats are offered ones; the first media format it lists
    /// is the one to send. Feedback is what both sides wrote (RFC 4585 §4.2); RTX stays when
    /// the answer lists the offered `rtx` format for it (RFC 4588 §8.1).
    static func acceptedCodec(answer: SDPMediaSection, offer: SDPMediaSection, mid: String)
        throws(SDPSubscriberAnswerError) -> SDPCodec {
        for format in answer.formats where !offer.formats.contains(format) {
            throw .unknownPayloadType(mid: mid, payloadType: format)
        }
        let offeredCodecs = offer.codecs
        let answerFeedback = answer.rtcpFeedback
        for format in answer.formats {
            guard let payloadType = SDPTextScanning.payloadType(Substring(format)),
                  var codec = offeredCodecs.first(where: { $0.payloadType == payloadType }),
                  !codec.isRetransmission else { continue }
            codec.feedback = codec.feedback.filter { offered in
                answerFeedback.contains(where: {
                    $0.format.applies(to: payloadType) && $0.type == offered.type && $0.parameter == offered.parameter
                })
            }
            if let rtx = codec.retransmissionPayloadType, !answer.formats.contains(String(rtx)) {
                codec.retransmissionPayloadType = nil
            }
            return codec
        }
        throw .noAcceptedCodec(mid: mid)
    }

    /// RFC 8285 §6: each answered extmap must be an offered one with the offered id.
    static func acceptedExtensions(answer: SDPMediaSection, offer: SDPMediaSection, mid: String)
        throws(SDPSubscriberAnswerError) -> [String: UInt8] {
        var result: [String: UInt8] = [:]
        let offered = offer.extensionMaps
        for map in answer.extensionMaps {
            guard map.id <= 255, offered.contains(where: { $0.id == map.id && $0.uri == map.uri }) else {
                throw .unexpectedHeaderExtension(mid: mid, id: map.id, uri: map.uri)
            }
            result[map.uri] = UInt8(truncatingIfNeeded: map.id)
        }
        return result
    }
}
