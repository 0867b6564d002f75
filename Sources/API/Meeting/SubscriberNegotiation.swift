import SDP

/// Offer/answer state of a participant's subscriber connection, where the server is always the
/// offerer (RFC 8829 §5.2): one `sendonly` section per track it forwards, an offer whenever
/// that set changes, and never a second offer before the browser answered the first. Glare
/// cannot happen: the browser never offers on this connection.
struct SubscriberNegotiation {
    struct Section: Equatable {
        let mid: String
        let trackSid: String
        var track: SDPOutgoingTrack
    }

    private(set) var sections: [Section] = []
    /// The offer the browser has not answered yet.
    private(set) var outstanding: (version: Int, offer: SessionDescription)?
    /// The last offer the browser answered, with what the answer settled.
    private(set) var negotiated: NegotiatedSubscriberSession?
    /// Sections changed since the last offer.
    private(set) var needsOffer = false
    private var version = 0
    private let sessionID = UInt64.random(in: 1...UInt64(Int64.max))

    /// Adds a section for a track (a new mid; mids are never reused).
    mutating func add(trackSid: String, kind: SDPMediaKind, codec: SDPCodec, stream: SDPOutgoingStream) {
        let mid = String(sections.count)
        sections.append(Section(mid: mid, trackSid: trackSid,
                                track: SDPOutgoingTrack(mid: mid, kind: kind, codec: codec, stream: stream)))
        needsOffer = true
    }

    /// Marks a track's section inactive (the browser ends its remote track). False if there
    /// was no active section for it.
    @discardableResult
    mutating func remove(trackSid: String) -> Bool {
        guard let index = sections.firstIndex(where: { $0.trackSid == trackSid && $0.track.isActive }) else { return false }
        sections[index].track.isActive = false
        needsOffer = true
        return true
    }

    func isActive(trackSid: String) -> Bool {
        sections.contains { $0.trackSid == trackSid && $0.track.isActive }
    }

    /// The next offer, when one is due and none is outstanding.
    mutating func nextOffer(iceCredentials: SDPICECredentials, fingerprint: SDPFingerprint,
                            candidates: [SDPCandidate]) throws(SDPOfferError) -> (version: Int, sdp: String)? {
        guard needsOffer, outstanding == nil, !sections.isEmpty else { return nil }
        let options = SDPOfferOptions(iceCredentials: iceCredentials, fingerprint: fingerprint, candidates: candidates,
                                      sessionID: sessionID, sessionVersion: UInt64(version + 1),
                                      tracks: sections.map(\.track))
        let offer = try SDPOfferer.offer(options)
        version += 1
        outstanding = (version, offer)
        needsOffer = false
        return (version, offer.serialized())
    }

    enum AnswerError: Error, Equatable {
        /// No offer is outstanding, or the answer is for another version.
        case unexpected(version: Int, outstanding: Int?)
        case invalidSDP(String)
        case mismatch(SDPSubscriberAnswerError)
    }

    /// ICE restart: the offer in flight (if any) is forgotten, as the browser may never have
    /// seen it (its socket dropped), and the next offer carries every section again with the
    /// server's new credentials.
    mutating func restart() {
        outstanding = nil
        needsOffer = !sections.isEmpty
    }

    /// Takes the browser's answer to the outstanding offer. `remoteChanged` is true the first
    /// time and after an ICE restart: the transport's remote side must be set from it.
    mutating func accept(answer sdp: String, version answered: Int) throws(AnswerError)
        -> (session: NegotiatedSubscriberSession, remoteChanged: Bool) {
        guard let outstanding, outstanding.version == answered else {
            throw .unexpected(version: answered, outstanding: outstanding?.version)
        }
        let answer: SessionDescription
        do {
            answer = try SessionDescription.parse(sdp)
        } catch {
            throw .invalidSDP("\(error)")
        }
        let session: NegotiatedSubscriberSession
        do {
            session = try SDPSubscriberAnswerReader.read(answer, offer: outstanding.offer)
        } catch {
            throw .mismatch(error)
        }
        let remoteChanged = negotiated?.remoteICECredentials != session.remoteICECredentials
        negotiated = session
        self.outstanding = nil
        return (session, remoteChanged)
    }
}
