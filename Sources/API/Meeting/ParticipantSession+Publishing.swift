import Foundation
import SDP
import SFU
import Signaling

/// The publisher connection: the client offers what it sends, the server answers.
extension ParticipantSession {
    func publish(_ offer: PublishOffer, in meeting: MeetingRoom, admission: MeetingRoom.Admission,
                 id: Int?) async throws(MeetingError) {
        guard canPublish || offer.tracks.isEmpty else {
            throw MeetingError(code: .forbidden, message: "the token does not allow publishing")
        }
        if let code = environment.limits.admitsPublish(offer, publishedTracks: publishedByMid.count) {
            throw MeetingError(code: code, message: "at most \(environment.limits.maxTracksPerParticipant) tracks")
        }
        let description: SessionDescription
        do {
            description = try SessionDescription.parse(offer.sdp)
        } catch {
            throw MeetingError(code: .negotiationFailed, message: "the offer is not valid SDP: \(error)")
        }
        var negotiated = try answer(description, with: publisherICE)
        let remoteICE = negotiated.session.remoteICECredentials
        if let previous = publisherRemoteICE, previous != remoteICE {
            // The client restarted ICE (RFC 8445 §9: new credentials in its offer), after a
            // resume or because its network changed: new credentials here too, and the
            // subscriber connection, which shares the client's network, restarts with it.
            do {
                publisherICE = SDPICECredentials(try await meeting.sfu.restartICE(identity, transport: .publisher)
                    .iceCredentials)
            } catch {
                throw MeetingError(code: .invalidState, message: "the participant's transports are gone")
            }
            negotiated = try answer(description, with: publisherICE)
            await restartSubscriberICE(in: meeting)
        }
        let session = negotiated.session
        let tracks: [PublishedSections.Track]
        do {
            tracks = try PublishedSections.tracks(offer: description, session: session, requests: offer.tracks,
                                                  known: Set(publishedByMid.keys))
        } catch {
            throw MeetingError(code: .negotiationFailed, message: "\(error)")
        }
        if publisherRemoteICE != remoteICE {
            publisherRemoteICE = remoteICE
            try? await meeting.sfu.connect(identity, transport: .publisher, remote: .init(
                ice: remoteICE, fingerprints: session.remoteFingerprints, localSetup: session.localSetup))
        }
        if let data = session.dataChannel, let port = UInt16(exactly: data.sctpPort) {
            // RFC 8841: the offer's application section; the association starts with DTLS.
            try? await meeting.sfu.enableDataChannels(identity, transport: .publisher, configuration: .init(
                remotePort: port, remoteMaxMessageSize: data.maxMessageSize))
        }
        // Sections the client stopped sending on, or tracks it names for removal.
        let stillReceiving = Set(session.media.filter(\.isReceiving).map(\.mid))
        for (mid, sid) in publishedByMid where !stillReceiving.contains(mid) || offer.unpublish.contains(sid) {
            await unpublish(mid: mid, sid: sid, in: meeting)
        }
        await send(.publishAnswer(PublishAnswer(sdp: negotiated.answer.serialized())), id: id)

        // Without `canPublish` (revoked while the client still sends) nothing new is published.
        for track in tracks where canPublish {
            await publish(track, in: meeting, ownerSid: admission.participant.sid)
        }
    }

    private func answer(_ offer: SessionDescription, with credentials: SDPICECredentials) throws(MeetingError)
        -> (answer: SessionDescription, session: NegotiatedSession) {
        guard let admission else { throw MeetingError(code: .invalidState, message: "send 'join' first") }
        let options = SDPAnswerOptions(
            iceCredentials: credentials, fingerprint: SDPFingerprint(admission.publisherTransport.fingerprint),
            candidates: serverCandidates, codecs: [.opus, .vp8], acceptSimulcast: true)
        do {
            return try SDPAnswerer.answer(to: offer, options: options)
        } catch {
            throw MeetingError(code: .negotiationFailed, message: "cannot answer the offer: \(error)")
        }
    }

    private func publish(_ track: PublishedSections.Track, in meeting: MeetingRoom, ownerSid: String) async {
        let sid = "TR_" + RandomID.make()
        guard let subscriberCodec = SubscriberCodec.matching(track.publisherCodec) else { return }
        do {
            try await meeting.sfu.publish(identity, trackID: sid, description: track.description)
        } catch {
            logger.warning("router refused a track", metadata: ["identity": "\(identity)", "error": "\(error)"])
            return
        }
        publishedByMid[track.mid] = sid
        let kind: SignalingTrackKind = track.description.kind == .audio ? .audio : .video
        let request = track.request
        let info = SignalingTrackInfo(sid: sid, kind: kind,
                                      source: request?.source ?? (kind == .audio ? .microphone : .camera),
                                      name: request?.name ?? "", muted: request?.muted ?? false,
                                      layers: track.layers, mid: track.mid)
        if info.muted { try? await meeting.sfu.setMuted(sid, true) }
        await meeting.published(MeetingTrack(owner: identity, ownerSid: ownerSid, cid: track.cid,
                                             info: info, subscriberCodec: subscriberCodec))
    }

    /// The application took away `canPublish`: everything this participant publishes ends
    /// (its packets are dropped from now on; a later grant lets it publish again).
    func unpublishAll(in meeting: MeetingRoom) async {
        for (mid, sid) in publishedByMid { await unpublish(mid: mid, sid: sid, in: meeting) }
    }

    private func unpublish(mid: String, sid: String, in meeting: MeetingRoom) async {
        publishedByMid[mid] = nil
        try? await meeting.sfu.unpublish(identity, trackID: sid)
        await meeting.unpublished(sid: sid, by: identity)
    }
}
