import Foundation
import SDP
import SFU
import Signaling

/// The subscriber connection: the server offers what the participant receives.
extension ParticipantSession {
    func subscribe(to track: MeetingTrack) async {
        guard let meeting, canSubscribe, track.owner != identity,
              !subscriber.isActive(trackSid: track.sid) else { return }
        let codec = track.subscriberCodec
        let preferences = SubscriptionPreferences(rtxPayloadType: codec.retransmissionPayloadType,
                                                  payloadType: codec.payloadType)
        let info: SubscriptionInfo
        do {
            info = try await meeting.sfu.subscribe(identity, to: track.sid, preferences: preferences)
        } catch {
            return // unpublished meanwhile
        }
        subscriberPreferences[track.sid] = preferences
        subscribedTracks[track.sid] = track
        // The stream id is the publisher's sid, so the page can group a participant's tracks.
        subscriber.add(trackSid: track.sid, kind: track.info.kind == .audio ? .audio : .video, codec: codec,
                       stream: SDPOutgoingStream(ssrc: info.ssrc, rtxSSRC: info.rtxSSRC, cname: track.ownerSid,
                                                 streamID: track.ownerSid, trackID: track.sid))
        await offerIfNeeded()
    }

    /// The track was unpublished (the router already dropped its subscriptions).
    func trackGone(_ sid: String) async {
        if forgetSubscription(sid) { await offerIfNeeded() }
    }

    /// The application took away `canSubscribe`: every subscription ends.
    func unsubscribeAll(in meeting: MeetingRoom) async {
        for sid in Array(subscribedTracks.keys) {
            try? await meeting.sfu.unsubscribe(identity, from: sid)
            forgetSubscription(sid)
        }
        await offerIfNeeded()
    }

    /// Drops what the session knows of a subscription; true if its section went inactive.
    @discardableResult
    private func forgetSubscription(_ sid: String) -> Bool {
        subscriberPreferences[sid] = nil
        subscribedTracks[sid] = nil
        return subscriber.remove(trackSid: sid)
    }

    /// ICE restart of the subscriber connection: new server credentials in a new offer (the
    /// browser's answer brings its own, see `applySubscriberAnswer`).
    func restartSubscriberICE(in meeting: MeetingRoom) async {
        guard let parameters = try? await meeting.sfu.restartICE(identity, transport: .subscriber) else { return }
        subscriberICE = SDPICECredentials(parameters.iceCredentials)
        subscriber.restart()
        await offerIfNeeded()
    }

    func offerIfNeeded() async {
        // While suspended the offer would be lost; the resume sends a fresh one.
        guard let admission, socket != nil else { return }
        do {
            guard let offer = try subscriber.nextOffer(
                iceCredentials: subscriberICE, fingerprint: SDPFingerprint(admission.subscriberTransport.fingerprint),
                candidates: serverCandidates) else { return }
            await send(.subscribeOffer(SubscribeOffer(sdp: offer.sdp, version: offer.version)))
        } catch {
            logger.error("cannot build a subscriber offer", metadata: ["identity": "\(identity)", "error": "\(error)"])
            await sendError(.internal, "the server could not build an offer", requestID: nil)
        }
    }

    func applySubscriberAnswer(_ answer: SubscribeAnswer, in meeting: MeetingRoom) async throws(MeetingError) {
        let result: (session: NegotiatedSubscriberSession, remoteChanged: Bool)
        do {
            result = try subscriber.accept(answer: answer.sdp, version: answer.version)
        } catch .unexpected(let version, let outstanding) {
            throw MeetingError(code: .invalidState,
                               message: "no offer \(version) is outstanding" + (outstanding.map { " (offer \($0) is)" } ?? ""))
        } catch {
            throw MeetingError(code: .negotiationFailed, message: "the answer does not fit the offer: \(error)")
        }
        if result.remoteChanged {
            let session = result.session
            try? await meeting.sfu.connect(identity, transport: .subscriber, remote: .init(
                ice: session.remoteICECredentials, fingerprints: session.remoteFingerprints, localSetup: session.localSetup))
        }
        // transport-cc: the extension id and the feedback, both kept by the answer (one id per
        // BUNDLE transport, so any section that has it says it for all).
        if let extensionID = result.session.media.lazy.compactMap({ media -> UInt8? in
            guard media.isReceiving, media.acceptsFeedback("transport-cc") else { return nil }
            return media.headerExtensionIDs[SDPOfferHeaderExtension.transportWideCCURI]
        }).first {
            try? await meeting.sfu.enableTransportWideCongestionControl(identity, extensionID: extensionID)
        }
        await offerIfNeeded()
    }

    func updateSubscription(_ update: SubscriptionUpdate, in meeting: MeetingRoom) async throws(MeetingError) {
        guard var preferences = subscriberPreferences[update.trackSid], let track = subscribedTracks[update.trackSid] else {
            if update.subscribe, let track = await meeting.track(sid: update.trackSid) {
                await subscribe(to: track)
                return
            }
            throw MeetingError(code: .notFound, message: "not subscribed to track '\(update.trackSid)'")
        }
        preferences.paused = !update.subscribe
        if let maxLayer = update.maxLayer {
            preferences.maxSpatialLayer = max(0, maxLayer)
        } else if let width = update.width, let height = update.height {
            preferences.maxSpatialLayer = track.layer(fitting: width, height)
        }
        if let pinned = update.pinned { preferences.pinned = pinned }
        subscriberPreferences[update.trackSid] = preferences
        try? await meeting.sfu.updatePreferences(identity, trackID: update.trackSid, preferences)
    }
}
