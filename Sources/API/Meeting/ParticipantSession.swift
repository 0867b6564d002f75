import Auth
import Foundation
import Logging
import SDP
import SFU
import Signaling
import WebRTC

/// One participant's signaling session: the state machine behind its WebSocket.
///
/// Everything it reacts to — the client's messages and what the meeting posts to its mailbox —
/// arrives through one queue and is handled in order by `run`, so its state needs no locks and
/// no message can overtake another. It owns the offer/answer state of both of the participant's
/// connections: on the publisher connection the client offers and the server answers; on the
/// subscriber connection the server offers (see `SubscriberNegotiation`).
final class ParticipantSession {
    /// What a session needs from the server.
    struct Environment: Sendable {
        let meetings: MeetingRegistry
        let media: MediaServer
        let limits: SignalingLimits
        let logger: Logger
    }

    private let token: VerifiedToken
    private let roomName: String
    private let environment: Environment
    private let mailbox: SessionMailbox
    /// Writes one text frame to the client; false once the socket is gone.
    private let write: @Sendable (Data) async -> Bool

    private var meeting: MeetingRoom?
    private var admission: MeetingRoom.Admission?
    /// The server's candidates for both connections: its room's worker's, fixed for the session.
    private var serverCandidates: [SDPCandidate] = []
    private var autoSubscribe = true
    private var rateLimiter: MessageRateLimiter
    private var finished = false
    /// From the token's grants, until the application changes them (REST).
    private var canPublish: Bool
    private var canSubscribe: Bool

    // Publisher connection: the client offers, the server answers.
    private var publisherConnected = false
    /// Mid → sid of what the client publishes.
    private var publishedByMid: [String: String] = [:]

    // Subscriber connection: the server offers.
    private var subscriber = SubscriberNegotiation()
    private var subscriberPreferences: [String: SubscriptionPreferences] = [:]
    private var subscribedTracks: [String: MeetingTrack] = [:]

    private var identity: String { token.identity }
    private var logger: Logger { environment.logger }

    init(token: VerifiedToken, room: String, environment: Environment, mailbox: SessionMailbox,
         write: @escaping @Sendable (Data) async -> Bool) {
        self.token = token
        self.roomName = room
        self.environment = environment
        self.mailbox = mailbox
        self.write = write
        self.rateLimiter = MessageRateLimiter(limits: environment.limits, now: .now)
        self.canPublish = token.grants.canPublish
        self.canSubscribe = token.grants.canSubscribe
    }

    /// Handles inputs until the session ends; then the participant is out of the meeting.
    func run(_ inputs: AsyncStream<SessionInput>) async {
        for await input in inputs {
            switch input {
            case .client(let data): await receive(data)
            case .deliver(let message): await send(message)
            case .trackAvailable(let track): if autoSubscribe { await subscribe(to: track) }
            case .trackGone(let sid): await unsubscribe(from: sid)
            case .applySubscription(let update):
                if let meeting { try? await updateSubscription(update, in: meeting) }
            case .permissionsChanged(let permissions):
                canPublish = permissions.canPublish
                canSubscribe = permissions.canSubscribe
            case .end(let reason):
                // The meeting already took the participant out.
                admission = nil
                await send(.leave(ServerLeave(reason: reason, canReconnect: reason == .serverShutdown)))
                finished = true
            case .socketClosed:
                finished = true
            }
            if finished { break }
        }
        await leaveMeeting(reason: .connectionLost)
    }

    private func leaveMeeting(reason: SignalingLeaveReason) async {
        guard let meeting, let admission else { return }
        self.admission = nil
        await meeting.remove(identity, sid: admission.participant.sid, reason: reason)
    }

    // MARK: Client messages

    private func receive(_ data: Data) async {
        guard rateLimiter.allowMessage(at: .now) else {
            await sendError(.rateLimited, "more than \(environment.limits.maxMessagesPerSecond) messages per second",
                            requestID: SignalingCodec.requestID(in: data))
            return
        }
        let envelope: SignalingEnvelope<ClientMessage>
        do {
            envelope = try SignalingCodec.decodeClientEnvelope(data, limits: environment.limits)
        } catch {
            await send(SignalingCodec.errorReply(for: error, in: data))
            return
        }
        let id = envelope.id
        do {
            try await handle(envelope.message, id: id)
        } catch {
            await sendError(error.code, error.message, requestID: id)
        }
    }

    private func handle(_ message: ClientMessage, id: Int?) async throws(MeetingError) {
        if case .join(let request) = message { return try await join(request, id: id) }
        if case .ping(let ping) = message {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            return await send(.pong(PongPayload(timestamp: ping.timestamp, serverTime: now)), id: id)
        }
        guard let meeting, let admission else {
            throw MeetingError(code: .invalidState, message: "send 'join' first")
        }
        switch message {
        case .join, .ping:
            break
        case .publishOffer(let offer):
            try await publish(offer, in: meeting, admission: admission, id: id)
        case .subscribeAnswer(let answer):
            try await applySubscriberAnswer(answer, in: meeting)
        case .trickle:
            // An ICE-lite server learns the client's addresses from its connectivity checks
            // (RFC 8445 §2.5); trickled candidates add nothing.
            break
        case .updateSubscription(let update):
            try await updateSubscription(update, in: meeting)
        case .mute(let request):
            try await meeting.setMuted(sid: request.trackSid, muted: request.muted, by: identity)
        case .leave:
            self.admission = nil
            await meeting.remove(identity, sid: admission.participant.sid, reason: .clientLeft)
            finished = true
        }
    }

    // MARK: Join

    private func join(_ request: JoinRequest, id: Int?) async throws(MeetingError) {
        guard admission == nil, !finished else {
            throw MeetingError(code: .invalidState, message: "already joined")
        }
        if request.resume != nil {
            // Resuming needs the old session's state, which does not outlive its socket yet.
            throw MeetingError(code: .resumeFailed, message: "this server cannot resume sessions; join afresh")
        }
        autoSubscribe = request.autoSubscribe
        let meeting = await environment.meetings.meeting(named: roomName)
        let grants = token.grants
        let permissions = ParticipantPermissions(canPublish: grants.canPublish, canSubscribe: grants.canSubscribe,
                                                 canUpdateMetadata: false)
        let admission = try await meeting.admit(identity: identity, name: token.name ?? identity,
                                                metadata: token.metadata ?? "", permissions: permissions,
                                                hidden: grants.hidden, mailbox: mailbox)
        self.meeting = meeting
        self.admission = admission
        serverCandidates = environment.media.hostCandidates(on: meeting.sfu.worker).sdpCandidates
        let limits = environment.limits
        await send(.joined(JoinedPayload(room: admission.room, participant: admission.participant,
                                         participants: admission.others, iceServers: [],
                                         reconnectToken: RandomID.make(length: 24),
                                         pingInterval: limits.pingIntervalSeconds,
                                         pingTimeout: limits.pingTimeoutSeconds)), id: id)
        if autoSubscribe {
            for track in admission.tracks { await subscribe(to: track) }
        }
    }

    // MARK: Publisher connection

    private func publish(_ offer: PublishOffer, in meeting: MeetingRoom, admission: MeetingRoom.Admission,
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
        let transport = admission.publisherTransport
        let options = SDPAnswerOptions(
            iceCredentials: SDPICECredentials(transport.iceCredentials), fingerprint: SDPFingerprint(transport.fingerprint),
            candidates: serverCandidates, codecs: [.opus, .vp8], acceptSimulcast: true)
        let negotiated: (answer: SessionDescription, session: NegotiatedSession)
        do {
            negotiated = try SDPAnswerer.answer(to: description, options: options)
        } catch {
            throw MeetingError(code: .negotiationFailed, message: "cannot answer the offer: \(error)")
        }
        let session = negotiated.session
        let tracks: [PublishedSections.Track]
        do {
            tracks = try PublishedSections.tracks(offer: description, session: session, requests: offer.tracks,
                                                  known: Set(publishedByMid.keys))
        } catch {
            throw MeetingError(code: .negotiationFailed, message: "\(error)")
        }
        if !publisherConnected {
            publisherConnected = true
            try? await meeting.sfu.connect(identity, transport: .publisher, remote: .init(
                ice: session.remoteICECredentials, fingerprints: session.remoteFingerprints, localSetup: session.localSetup))
        }
        // Sections the client stopped sending on, or tracks it names for removal.
        let stillReceiving = Set(session.media.filter(\.isReceiving).map(\.mid))
        for (mid, sid) in publishedByMid where !stillReceiving.contains(mid) || offer.unpublish.contains(sid) {
            publishedByMid[mid] = nil
            try? await meeting.sfu.unpublish(identity, trackID: sid)
            await meeting.unpublished(sid: sid, by: identity)
        }
        await send(.publishAnswer(PublishAnswer(sdp: negotiated.answer.serialized())), id: id)

        for track in tracks {
            let sid = "TR_" + RandomID.make()
            guard let subscriberCodec = SubscriberCodec.matching(track.publisherCodec) else { continue }
            do {
                try await meeting.sfu.publish(identity, trackID: sid, description: track.description)
            } catch {
                logger.warning("router refused a track", metadata: ["identity": "\(identity)", "error": "\(error)"])
                continue
            }
            publishedByMid[track.mid] = sid
            let kind: SignalingTrackKind = track.description.kind == .audio ? .audio : .video
            let request = track.request
            let info = SignalingTrackInfo(sid: sid, kind: kind,
                                          source: request?.source ?? (kind == .audio ? .microphone : .camera),
                                          name: request?.name ?? "", muted: request?.muted ?? false,
                                          layers: track.layers, mid: track.mid)
            if info.muted { try? await meeting.sfu.setMuted(sid, true) }
            await meeting.published(MeetingTrack(owner: identity, ownerSid: admission.participant.sid, cid: track.cid,
                                                 info: info, subscriberCodec: subscriberCodec))
        }
    }

    // MARK: Subscriber connection

    private func subscribe(to track: MeetingTrack) async {
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

    private func unsubscribe(from sid: String) async {
        subscriberPreferences[sid] = nil
        subscribedTracks[sid] = nil
        if subscriber.remove(trackSid: sid) { await offerIfNeeded() }
    }

    private func offerIfNeeded() async {
        guard let admission else { return }
        let transport = admission.subscriberTransport
        do {
            guard let offer = try subscriber.nextOffer(
                iceCredentials: SDPICECredentials(transport.iceCredentials),
                fingerprint: SDPFingerprint(transport.fingerprint), candidates: serverCandidates) else { return }
            await send(.subscribeOffer(SubscribeOffer(sdp: offer.sdp, version: offer.version)))
        } catch {
            logger.error("cannot build a subscriber offer", metadata: ["identity": "\(identity)", "error": "\(error)"])
            await sendError(.internal, "the server could not build an offer", requestID: nil)
        }
    }

    private func applySubscriberAnswer(_ answer: SubscribeAnswer, in meeting: MeetingRoom) async throws(MeetingError) {
        let result: (session: NegotiatedSubscriberSession, first: Bool)
        do {
            result = try subscriber.accept(answer: answer.sdp, version: answer.version)
        } catch .unexpected(let version, let outstanding) {
            throw MeetingError(code: .invalidState,
                               message: "no offer \(version) is outstanding" + (outstanding.map { " (offer \($0) is)" } ?? ""))
        } catch {
            throw MeetingError(code: .negotiationFailed, message: "the answer does not fit the offer: \(error)")
        }
        if result.first {
            let session = result.session
            try? await meeting.sfu.connect(identity, transport: .subscriber, remote: .init(
                ice: session.remoteICECredentials, fingerprints: session.remoteFingerprints, localSetup: session.localSetup))
        }
        await offerIfNeeded()
    }

    private func updateSubscription(_ update: SubscriptionUpdate, in meeting: MeetingRoom) async throws(MeetingError) {
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
        subscriberPreferences[update.trackSid] = preferences
        try? await meeting.sfu.updatePreferences(identity, trackID: update.trackSid, preferences)
    }

    // MARK: Sending

    private func send(_ message: ServerMessage, id: Int? = nil) async {
        guard await write(SignalingCodec.encode(message, id: id)) else {
            finished = true
            return
        }
    }

    private func sendError(_ code: SignalingErrorCode, _ message: String, requestID: Int?) async {
        await send(.error(SignalingErrorPayload(code: code, message: message, requestId: requestID)))
    }
}
