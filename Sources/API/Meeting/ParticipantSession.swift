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
///
/// A session outlives its socket: when the socket drops without `leave`, the participant stays
/// in the meeting, suspended, for the resume grace period. A `join` with `resume` on a new
/// socket first lands in that socket's own fresh session, which hands the socket over and from
/// then on only relays its frames, in order, to the suspended session (docs/signaling.md).
final class ParticipantSession {
    /// What a session needs from the server.
    struct Environment: Sendable {
        let meetings: MeetingRegistry
        let media: MediaServer
        let limits: SignalingLimits
        let logger: Logger
    }

    let token: VerifiedToken
    let roomName: String
    let environment: Environment
    let mailbox: SessionMailbox

    /// Where messages to the client go; nil while suspended.
    var socket: SessionSocket?
    /// After this socket was handed to a resumed session: where its frames go now.
    var relay: SessionMailbox?
    let startedAt = ContinuousClock.now
    var lastHeardFromClient = ContinuousClock.now
    var suspendedAt: ContinuousClock.Instant?
    /// Why the participant leaves the meeting when `run` ends without a `leave` or an `end`.
    var endReason = SignalingLeaveReason.connectionLost

    var meeting: MeetingRoom?
    var admission: MeetingRoom.Admission?
    /// The server's candidates for both connections: its room's worker's, fixed for the session.
    var serverCandidates: [SDPCandidate] = []
    var autoSubscribe = true
    var rateLimiter: MessageRateLimiter
    var finished = false
    /// From the token's grants, until the application changes them (REST).
    var canPublish: Bool
    var canSubscribe: Bool

    // Publisher connection: the client offers, the server answers.
    var publisherICE = SDPICECredentials(usernameFragment: "", password: "")
    /// The client's ICE credentials from its last offer: new ones mean it restarted ICE.
    var publisherRemoteICE: SDPICECredentials?
    /// Mid → sid of what the client publishes.
    var publishedByMid: [String: String] = [:]

    // Subscriber connection: the server offers.
    var subscriberICE = SDPICECredentials(usernameFragment: "", password: "")
    var subscriber = SubscriberNegotiation()
    var subscriberPreferences: [String: SubscriptionPreferences] = [:]
    var subscribedTracks: [String: MeetingTrack] = [:]

    var identity: String { token.identity }
    var logger: Logger { environment.logger }

    init(token: VerifiedToken, room: String, environment: Environment, mailbox: SessionMailbox, socket: SessionSocket) {
        self.token = token
        self.roomName = room
        self.environment = environment
        self.mailbox = mailbox
        self.socket = socket
        self.rateLimiter = MessageRateLimiter(limits: environment.limits, now: .now)
        self.canPublish = token.grants.canPublish
        self.canSubscribe = token.grants.canSubscribe
    }

    /// Handles inputs until the session ends; then the participant is out of the meeting.
    func run(_ inputs: AsyncStream<SessionInput>) async {
        let mailbox = self.mailbox
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                mailbox.post(.tick)
            }
        }
        var queue = inputs.makeAsyncIterator()
        while let input = await queue.next() {
            if let relay {
                // This socket belongs to a resumed session now; pass its frames on in order.
                switch input {
                case .client:
                    // The resumed session ended meanwhile: close, so the client starts over.
                    if !relay.post(input) { await socket?.close() }
                case .socketClosed(let closed) where closed === socket:
                    relay.post(input)
                    finished = true
                default: break
                }
            } else {
                await handle(input)
            }
            if finished { break }
        }
        ticker.cancel()
        await leaveMeeting(reason: endReason)
        if relay == nil { await socket?.close() }
        // A resume that was claimed just as this session ended must not go unanswered.
        mailbox.close()
        while let input = await queue.next() {
            guard case .resume(let orphan, _, let requestID) = input else { continue }
            let refusal = SignalingErrorPayload(code: .resumeFailed, message: "the session ended; join afresh",
                                                requestId: requestID)
            _ = await orphan.write(SignalingCodec.encode(.error(refusal)))
        }
    }

    private func handle(_ input: SessionInput) async {
        switch input {
        case .client(let data):
            lastHeardFromClient = .now
            await receive(data)
        case .deliver(let message): await send(message)
        case .trackAvailable(let track): if autoSubscribe { await subscribe(to: track) }
        case .trackGone(let sid): await trackGone(sid)
        case .applySubscription(let update):
            if let meeting { try? await updateSubscription(update, in: meeting) }
        case .permissionsChanged(let permissions): await apply(permissions)
        case .end(let reason):
            // The meeting already took the participant out.
            admission = nil
            await send(.leave(ServerLeave(reason: reason, canReconnect: reason == .serverShutdown)))
            finished = true
        case .serverStopping:
            await send(.leave(ServerLeave(reason: .serverShutdown, canReconnect: true)))
            endReason = .serverShutdown
            finished = true
        case .resume(let newSocket, let request, let requestID):
            await resume(on: newSocket, request, requestID: requestID)
        case .socketClosed(let closed):
            if closed === socket { socketDropped() }
        case .tick:
            await checkTimers(now: .now)
        }
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
        if case .join(let request) = message {
            return try await (request.resume == nil ? join(request, id: id) : handOver(to: request, id: id))
        }
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
        autoSubscribe = request.autoSubscribe
        let grants = token.grants
        let permissions = ParticipantPermissions(canPublish: grants.canPublish, canSubscribe: grants.canSubscribe,
                                                 canUpdateMetadata: false)
        let reconnectToken = RandomID.make(length: 24)
        let (meeting, admission) = try await environment.meetings.admit(
            toRoom: roomName, identity: identity, name: token.name ?? identity, metadata: token.metadata ?? "",
            permissions: permissions, hidden: grants.hidden, reconnectToken: reconnectToken, mailbox: mailbox)
        self.meeting = meeting
        self.admission = admission
        try? await meeting.sfu.setCanPublishData(identity, grants.canPublishData)
        publisherICE = SDPICECredentials(admission.publisherTransport.iceCredentials)
        subscriberICE = SDPICECredentials(admission.subscriberTransport.iceCredentials)
        serverCandidates = environment.media.hostCandidates(on: meeting.sfu.worker).sdpCandidates
        await sendJoined(room: admission.room, participant: admission.participant, others: admission.others,
                         reconnectToken: reconnectToken, resumed: false, id: id)
        if autoSubscribe {
            for track in admission.tracks { await subscribe(to: track) }
        }
    }

    private func sendJoined(room: SignalingRoomInfo, participant: SignalingParticipantInfo,
                            others: [SignalingParticipantInfo], reconnectToken: String, resumed: Bool, id: Int?) async {
        let limits = environment.limits
        await send(.joined(JoinedPayload(room: room, participant: participant, participants: others, iceServers: [],
                                         reconnectToken: reconnectToken, pingInterval: limits.pingIntervalSeconds,
                                         pingTimeout: limits.pingTimeoutSeconds, resumed: resumed)), id: id)
    }

    // MARK: Resume

    /// `join` with `resume` on a fresh socket: if the named participant may be resumed, give it
    /// this socket and relay from now on; else `resume_failed` and this session stays fresh.
    private func handOver(to request: JoinRequest, id: Int?) async throws(MeetingError) {
        guard admission == nil, relay == nil, !finished, let resume = request.resume, let socket else {
            throw MeetingError(code: .invalidState, message: "already joined")
        }
        guard let meeting = await environment.meetings.existing(named: roomName),
              let target = await meeting.claimResume(identity: identity, sid: resume.participantSid,
                                                     reconnectToken: resume.reconnectToken) else {
            throw MeetingError(code: .resumeFailed,
                               message: "no session to resume (unknown, expired, or the reconnect token was used); join afresh")
        }
        guard target.post(.resume(socket, request, requestID: id)) else {
            throw MeetingError(code: .resumeFailed, message: "the session just ended; join afresh")
        }
        relay = target
    }

    /// The suspended (or not yet suspended) session continues on `newSocket`.
    private func resume(on newSocket: SessionSocket, _ request: JoinRequest, requestID: Int?) async {
        if let old = socket, old !== newSocket { await old.close() } // the client gave up on it
        socket = newSocket
        suspendedAt = nil
        lastHeardFromClient = .now
        guard let meeting, let admission else { return }
        let reconnectToken = RandomID.make(length: 24)
        guard let state = await meeting.resumed(identity, sid: admission.participant.sid,
                                                reconnectToken: reconnectToken) else {
            // Removed in the meantime (kicked, room deleted); its `end` is on the way.
            await sendError(.resumeFailed, "the participant is no longer in the meeting; join afresh",
                            requestID: requestID)
            return
        }
        autoSubscribe = request.autoSubscribe
        logger.info("session resumed", metadata: ["room": "\(roomName)", "identity": "\(identity)"])
        await sendJoined(room: admission.room, participant: state.participant, others: state.others,
                         reconnectToken: reconnectToken, resumed: true, id: requestID)
        // The client ICE-restarts the publisher connection; the server restarts this one.
        await restartSubscriberICE(in: meeting)
    }

    private func socketDropped() {
        socket = nil
        guard admission != nil else {
            finished = true // never joined: nothing to keep
            return
        }
        suspendedAt = .now
        logger.info("signaling socket dropped; participant suspended",
                    metadata: ["room": "\(roomName)", "identity": "\(identity)"])
    }

    private func checkTimers(now: ContinuousClock.Instant) async {
        let limits = environment.limits
        if admission == nil, now - startedAt >= .seconds(limits.joinTimeoutSeconds) {
            await sendError(.invalidState, "no 'join' within \(limits.joinTimeoutSeconds) s", requestID: nil)
            finished = true
        } else if let socket, now - lastHeardFromClient >= .seconds(limits.pingTimeoutSeconds) {
            // Silent past the ping timeout: as good as dropped (the client will reconnect).
            await socket.close()
            socketDropped()
        } else if let suspendedAt, now - suspendedAt >= .seconds(limits.resumeGracePeriodSeconds) {
            finished = true // `run` removes the participant: connection_lost
        }
    }

    // MARK: Permissions

    private func apply(_ permissions: ParticipantPermissions) async {
        let couldSubscribe = canSubscribe
        canPublish = permissions.canPublish
        canSubscribe = permissions.canSubscribe
        guard let meeting else { return }
        if !canPublish { await unpublishAll(in: meeting) }
        if couldSubscribe, !canSubscribe {
            await unsubscribeAll(in: meeting)
        } else if !couldSubscribe, canSubscribe, autoSubscribe {
            for track in await meeting.allTracks() { await subscribe(to: track) }
        }
    }

    // MARK: Sending

    func send(_ message: ServerMessage, id: Int? = nil) async {
        // While suspended messages are dropped: a resume brings the current state in `joined`.
        guard let socket else { return }
        if await socket.write(SignalingCodec.encode(message, id: id)) == false, socket === self.socket {
            socketDropped()
        }
    }

    func sendError(_ code: SignalingErrorCode, _ message: String, requestID: Int?) async {
        await send(.error(SignalingErrorPayload(code: code, message: message, requestId: requestID)))
    }
}
