/// The per-m-section choices of an answer (RFC 8829 §5.3.1): codecs, header extensions,
/// direction and simulcast, worked out from one offered section and the server's options.
struct SDPMediaNegotiation {
    /// Accepted media codecs in server order, feedback already intersected.
    var codecs: [SDPCodec]
    /// The offer's `rtx` formats repairing accepted codecs, by repaired payload type.
    var retransmissionCodecs: [UInt8: SDPCodec]
    var extensionMaps: [SDPExtensionMap]
    var direction: SDPDirection
    /// `a=rid:<id> recv` lines of the answer.
    var receiveRIDs: [SDPRestrictionID]
    /// The answer's `a=simulcast:recv` list, nil when simulcast is not accepted.
    var receiveSimulcast: [[SDPSimulcastStream]]?

    /// The m= line format list: each codec followed by its RTX, in server preference order.
    var payloadTypes: [UInt8] {
        codecs.flatMap { codec in [codec.payloadType] + (codec.retransmissionPayloadType.map { [$0] } ?? []) }
    }

    /// RFC 8853 §5.3: the rids the server receives, alternatives flattened, offer order.
    var receiveSimulcastRIDs: [String] { receiveSimulcast?.flatMap { $0.map(\.rid) } ?? [] }
}

extension SDPMediaNegotiation {
    static let transportWideCCURI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

    /// RFC 3264 §6.1 / RFC 8829 §5.3.1: the codecs of the answer are a subset of the offer's,
    /// with the offer's payload types. For each capability, in server order, the offered format
    /// that fits it exactly (e.g. H.264 42e01f rather than 42001f) or else the first that fits.
    static func chooseCodecs(offered: [SDPCodec], capabilities: [SDPCodecCapability])
        -> (codecs: [SDPCodec], retransmission: [UInt8: SDPCodec]) {
        var chosen: [SDPCodec] = []
        var retransmission: [UInt8: SDPCodec] = [:]
        for capability in capabilities {
            var best: SDPCodec?
            var bestExactness = -1
            for codec in offered where !codec.isRetransmission && capability.matches(codec)
                && !chosen.contains(where: { $0.payloadType == codec.payloadType }) {
                let exactness = capability.exactness(of: codec)
                if exactness > bestExactness {
                    best = codec
                    bestExactness = exactness
                }
            }
            guard var codec = best else { continue }
            // RFC 4585 §4.2: only feedback both ends support; written per payload type.
            var feedback: [SDPRTCPFeedback] = []
            for item in codec.feedback where capability.feedback.contains(where: {
                $0.type == item.type && $0.parameter == item.parameter
            }) {
                let perPayloadType = SDPRTCPFeedback(format: .payloadType(codec.payloadType), type: item.type,
                                                     parameter: item.parameter)
                if !feedback.contains(perPayloadType) { feedback.append(perPayloadType) }
            }
            codec.feedback = feedback
            // RFC 4588 §8.1: RTX is accepted with the codec it repairs, if offered.
            if let rtxPayloadType = codec.retransmissionPayloadType,
               var rtx = offered.first(where: { $0.payloadType == rtxPayloadType }) {
                rtx.feedback = []
                retransmission[codec.payloadType] = rtx
            } else {
                codec.retransmissionPayloadType = nil
            }
            chosen.append(codec)
        }
        return (chosen, retransmission)
    }

    /// RFC 8285 §6: the answerer keeps the offered ids of the extensions it understands.
    /// A direction on the offered extmap is mirrored; ids from the 4096-4351 range (offer-only,
    /// §7) and repeated URIs are left out.
    static func chooseExtensionMaps(offered: [SDPExtensionMap], accepted: [String]) -> [SDPExtensionMap] {
        var result: [SDPExtensionMap] = []
        for map in offered where accepted.contains(map.uri) && (1...255).contains(map.id)
            && !result.contains(where: { $0.uri == map.uri || $0.id == map.id }) {
            result.append(SDPExtensionMap(id: map.id, direction: map.direction.map(reversed), uri: map.uri))
        }
        return result
    }

    /// RFC 3264 §6.1: a sendonly offer is answered recvonly, and so on.
    static func reversed(_ direction: SDPDirection) -> SDPDirection {
        switch direction {
        case .sendonly: .recvonly
        case .recvonly: .sendonly
        case .sendrecv, .inactive: direction
        }
    }

    /// RFC 3264 §6.1: the answer may only narrow the reversed offer direction. The server
    /// receives whatever the offerer sends, and sends only where it has been told to.
    static func chooseDirection(offered: SDPDirection, serverSends: Bool) -> SDPDirection {
        let offerSends = offered == .sendrecv || offered == .sendonly
        let offerReceives = offered == .sendrecv || offered == .recvonly
        switch (offerReceives && serverSends, offerSends) {
        case (true, true): return .sendrecv
        case (true, false): return .sendonly
        case (false, true): return .recvonly
        case (false, false): return .inactive
        }
    }

    /// RFC 8853 §5.3 / RFC 8851 §7: answer the offer's `send` simulcast with `recv` over the
    /// same rids. A rid whose `pt=` list names no accepted payload type is removed, as are rids
    /// without an `a=rid:<id> send` line (RFC 8853 §5.1); restrictions are not echoed.
    static func chooseSimulcast(section: SDPMediaSection, acceptedPayloadTypes: [UInt8])
        -> (rids: [SDPRestrictionID], simulcast: [[SDPSimulcastStream]])? {
        guard let send = section.simulcast?.send else { return nil }
        var answerRIDs: [SDPRestrictionID] = []
        for rid in section.rids where rid.direction == .send && !answerRIDs.contains(where: { $0.id == rid.id }) {
            let payloadTypes = rid.payloadTypes.filter(acceptedPayloadTypes.contains)
            if !rid.payloadTypes.isEmpty && payloadTypes.isEmpty { continue }
            answerRIDs.append(SDPRestrictionID(id: rid.id, direction: .recv, payloadTypes: payloadTypes))
        }
        var streams: [[SDPSimulcastStream]] = []
        var used: [SDPRestrictionID] = []
        for alternatives in send {
            let kept = alternatives.filter { stream in answerRIDs.contains(where: { $0.id == stream.rid }) }
            guard !kept.isEmpty else { continue }
            streams.append(kept)
            for stream in kept {
                if let rid = answerRIDs.first(where: { $0.id == stream.rid }), !used.contains(rid) { used.append(rid) }
            }
        }
        guard !streams.isEmpty else { return nil }
        // a=rid lines in simulcast order, only those the simulcast line uses.
        return (used, streams)
    }
}
