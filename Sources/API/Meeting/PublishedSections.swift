import SDP
import SFU
import Signaling

/// Turns what a publisher's offer and its answer settled into tracks for the router: one per
/// accepted audio or video section the server receives on.
enum PublishedSections {
    static let midURI = "urn:ietf:params:rtp-hdrext:sdes:mid"
    static let ridURI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    static let repairedRIDURI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    static let audioLevelURI = SDPOfferHeaderExtension.audioLevelURI
    static let transportWideURI = SDPOfferHeaderExtension.transportWideCCURI

    struct Track: Sendable, Equatable {
        let mid: String
        /// The client's track id (`a=msid` appdata), matched to a `PublishTrackRequest.cid`.
        let cid: String?
        let request: PublishTrackRequest?
        let description: TrackDescription
        /// Its layers as the client described them, lowest first (empty: one encoding).
        let layers: [SimulcastLayer]
        let publisherCodec: SDPCodec
    }

    enum Problem: Error, Equatable {
        /// A section the server would receive on has nothing that names its stream: no
        /// `a=ssrc` and no simulcast rids.
        case unidentifiableStream(mid: String)
    }

    /// The sections of `session` that carry new media to the server (mids not in `known`).
    static func tracks(offer: SessionDescription, session: NegotiatedSession, requests: [PublishTrackRequest],
                       known: Set<String>) throws(Problem) -> [Track] {
        var unclaimed = requests
        var result: [Track] = []
        for media in session.media where media.isReceiving && !known.contains(media.mid) {
            guard media.kind == .audio || media.kind == .video, let codec = media.codecs.first else { continue }
            let section = offer.mediaSections.first { $0.mid == media.mid }
            let cid = section?.mediaStreamIDs.first?.trackID
            let kind: SignalingTrackKind = media.kind == .audio ? .audio : .video
            // The request for this section: the one naming its track id, else the next of its kind.
            let requestIndex = unclaimed.firstIndex { $0.cid == cid && cid != nil }
                ?? unclaimed.firstIndex { $0.kind == kind }
            let request = requestIndex.map { unclaimed.remove(at: $0) }

            let layers = orderedLayers(rids: media.receiveSimulcastRIDs, described: request?.layers ?? [])
            let trackLayers: [TrackLayer]
            if !layers.isEmpty {
                trackLayers = layers.map { TrackLayer(rid: $0.rid) }
            } else if let ssrc = primarySSRC(media) {
                let rtx = media.remoteSSRCGroups.first { $0.semantics == "FID" && $0.ssrcs.first == ssrc }?.ssrcs.dropFirst().first
                trackLayers = [TrackLayer(ssrc: ssrc, rtxSSRC: rtx)]
            } else {
                throw .unidentifiableStream(mid: media.mid)
            }
            let ids = media.headerExtensionIDs
            // Subscribers get the audio level (for their own speaker UI) in their id space;
            // everything else on the publisher's connection stays there.
            var forwarded: [UInt8: UInt8] = [:]
            if let publisherID = ids[audioLevelURI],
               let subscriberID = SDPOfferHeaderExtension.subscriberDefaults.first(where: { $0.uri == audioLevelURI })?.id {
                forwarded[publisherID] = UInt8(truncatingIfNeeded: subscriberID)
            }
            let description = TrackDescription(
                kind: kind == .audio ? .audio : .video,
                source: routerSource(request?.source ?? (kind == .audio ? .microphone : .camera)),
                codec: TrackCodec(name: codec.name, payloadType: codec.payloadType, clockRate: codec.clockRate),
                layers: trackLayers,
                audioLevelExtensionID: ids[audioLevelURI],
                transportWideSequenceExtensionID: ids[transportWideURI],
                mid: media.mid, midExtensionID: ids[midURI], ridExtensionID: ids[ridURI],
                repairedRIDExtensionID: ids[repairedRIDURI], forwardedExtensionIDs: forwarded)
            result.append(Track(mid: media.mid, cid: request?.cid ?? cid, request: request, description: description,
                                layers: layers, publisherCodec: codec))
        }
        return result
    }

    /// The simulcast layers lowest first: in the order the client described them (it knows
    /// their sizes), else in the offer's rid order (browsers list encodings as they were given,
    /// and our page gives them lowest first).
    static func orderedLayers(rids: [String], described: [SimulcastLayer]) -> [SimulcastLayer] {
        guard !rids.isEmpty else { return [] }
        let known = described.filter { rids.contains($0.rid) }
        let unknown = rids.filter { rid in !known.contains { $0.rid == rid } }
            .map { SimulcastLayer(rid: $0, width: 0, height: 0, maxBitrate: 0) }
        return Array((known + unknown).prefix(signalingMaxSimulcastLayers))
    }

    /// The media SSRC: the first one that is not an RTX (second of an FID group) SSRC.
    static func primarySSRC(_ media: NegotiatedMedia) -> UInt32? {
        let repairSSRCs = Set(media.remoteSSRCGroups.filter { $0.semantics == "FID" }.flatMap { $0.ssrcs.dropFirst() })
        return media.remoteSSRCs.first { !repairSSRCs.contains($0) }
    }

    static func routerSource(_ source: SignalingTrackSource) -> SFU.TrackSource {
        switch source {
        case .camera: .camera
        case .microphone: .microphone
        case .screenShare, .screenShareAudio: .screenShare
        case .unknown: .unknown
        }
    }
}
