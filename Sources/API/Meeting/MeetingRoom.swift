import Foundation
import Logging
import SFU
import Signaling
import Store

/// Why the meeting refused a participant or a change; the session turns it into an `error`.
struct MeetingError: Error, Sendable {
    let code: SignalingErrorCode
    let message: String
    /// The meeting closed (its last member left) just as someone joined: join the next one.
    var isClosing = false

    static let closing = MeetingError(code: .internal, message: "the meeting is closing", isClosing: true)
}

/// The signaling side of one room: who is in it, what they publish, and a mailbox to each
/// participant's session. Everything that concerns more than one participant happens here, one
/// change at a time, so every member sees the same order of joins, tracks and leaves.
///
/// Media never passes through here: the SFU `Room` forwards it on its worker. This actor keeps
/// the names, sids and SDP-level facts that the router does not need, and the durable record in
/// the store.
actor MeetingRoom {
    struct Member {
        var info: SignalingParticipantInfo
        let hidden: Bool
        let mailbox: SessionMailbox
        /// The secret a `join` with `resume` must present; nil once used, until the resumed
        /// session sets the next one.
        var reconnectToken: String?
    }

    /// What a participant gets when it is admitted.
    struct Admission: Sendable {
        let room: SignalingRoomInfo
        let participant: SignalingParticipantInfo
        let others: [SignalingParticipantInfo]
        let publisherTransport: Room.TransportParameters
        let subscriberTransport: Room.TransportParameters
        /// Every track published now, to subscribe to.
        let tracks: [MeetingTrack]
    }

    let name: String
    let sid: String
    let sfu: Room
    private let store: RoomStore
    private let logger: Logger
    private let maxParticipants: Int
    private var members: [String: Member] = [:]
    /// Join order, so participant lists read the same everywhere.
    private var order: [String] = []
    private var tracks: [String: MeetingTrack] = [:]
    private var eventsTask: Task<Void, Never>?
    /// Set when the meeting starts closing; nobody is admitted after that.
    private(set) var isClosing = false
    /// Admissions waiting for the router: the meeting is not empty while one is under way, even
    /// though the newcomer is not a member yet.
    private var admissionsInProgress = 0
    /// Called when the last member leaves, so the registry can let the room go.
    private let onEmpty: @Sendable (String) async -> Void

    init(name: String, sfu: Room, store: RoomStore, maxParticipants: Int, logger: Logger,
         onEmpty: @escaping @Sendable (String) async -> Void) {
        self.name = name
        self.sid = "RM_" + RandomID.make()
        self.sfu = sfu
        self.store = store
        self.maxParticipants = maxParticipants
        self.logger = logger
        self.onEmpty = onEmpty
    }

    /// Follows the router's events (active speakers; transports that died) until the room closes.
    func start() {
        guard eventsTask == nil else { return }
        let events = sfu.events
        eventsTask = Task { [weak self] in
            for await event in events {
                await self?.handle(event)
            }
        }
    }

    private func handle(_ event: SFU.RoomEvent) async {
        switch event {
        case .activeSpeakerChanged(let speaker):
            let speakers = speaker.flatMap { members[$0] }.map { [SpeakerLevel(participantSid: $0.info.sid, level: 1)] } ?? []
            broadcast(.activeSpeakers(ActiveSpeakers(speakers: speakers)))
        case .participantLeft(let identity):
            // The router dropped it on its own (ICE consent lost, DTLS closed): end the session.
            if let member = members[identity] {
                member.mailbox.post(.end(.connectionLost))
                await remove(identity, reason: .connectionLost)
            }
        case .connectionQualityChanged(let identity, let quality):
            guard let member = members[identity], !member.hidden else { return }
            let rating: SignalingConnectionQuality = switch quality {
            case .excellent: .excellent
            case .good: .good
            case .poor: .poor
            case .lost: .lost
            }
            broadcast(.connectionQuality(ConnectionQualityUpdate(
                updates: [ConnectionQualityInfo(participantSid: member.info.sid, quality: rating)])))
        case .subscriptionPausedForBandwidth(let identity, let trackSid, let paused):
            members[identity]?.mailbox.post(.deliver(.subscriptionPaused(SubscriptionPaused(
                trackSid: trackSid, paused: paused, reason: paused ? .bandwidth : .none))))
        case .downlinkEstimated(let identity, let available, let allocated):
            members[identity]?.mailbox.post(.deliver(.bandwidthEstimate(BandwidthEstimate(
                availableBitrate: available, allocatedBitrate: allocated))))
        case .publicationLayersWanted(let identity, let trackSid, let layers):
            members[identity]?.mailbox.post(.deliver(.publicationLayers(PublicationLayers(
                trackSid: trackSid, layers: layers.map { EncodingActivity(rid: $0.rid, active: $0.active) }))))
        case .participantJoined, .trackPublished, .trackUnpublished:
            break
        }
    }

    var participantCount: Int { members.count }
    var identities: [String] { order }

    // MARK: Membership

    func admit(identity: String, name displayName: String, metadata: String, permissions: Signaling.ParticipantPermissions,
               hidden: Bool, reconnectToken: String, mailbox: SessionMailbox) async throws(MeetingError) -> Admission {
        guard !isClosing else { throw MeetingError.closing }
        admissionsInProgress += 1
        let transports: (publisher: Room.TransportParameters, subscriber: Room.TransportParameters)
        do {
            transports = try await enter(identity: identity, name: displayName, metadata: metadata,
                                         permissions: permissions)
            admissionsInProgress -= 1
        } catch {
            admissionsInProgress -= 1
            if members.isEmpty, admissionsInProgress == 0 { await onEmpty(name) }
            throw error
        }
        if isClosing {
            // Ended (room deleted) while the router was adding the newcomer.
            await sfu.leave(identity)
            recordLeave(identity, reason: .unknown)
            throw MeetingError.closing
        }
        let info = SignalingParticipantInfo(sid: "PA_" + RandomID.make(), identity: identity, name: displayName,
                                            metadata: metadata, permissions: permissions)
        let others = visibleMembers(except: identity)
        members[identity] = Member(info: info, hidden: hidden, mailbox: mailbox, reconnectToken: reconnectToken)
        order.append(identity)
        if !hidden { broadcast(.participantJoined(ParticipantPayload(participant: info)), except: identity) }
        logger.info("participant joined", metadata: ["room": "\(name)", "identity": "\(identity)"])
        return Admission(room: SignalingRoomInfo(name: name, sid: sid), participant: info, others: others,
                         publisherTransport: transports.publisher, subscriberTransport: transports.subscriber,
                         tracks: allTracks())
    }

    /// The awaited part of an admission: the older session of the identity out, the store
    /// record, the router's transports.
    private func enter(identity: String, name displayName: String, metadata: String,
                       permissions: Signaling.ParticipantPermissions) async throws(MeetingError)
        -> (publisher: Room.TransportParameters, subscriber: Room.TransportParameters) {
        if let previous = members[identity] {
            // The same identity again (a second tab, a client that lost its socket): the newer
            // session wins, as the person is evidently there now.
            previous.mailbox.post(.end(.duplicateIdentity))
            await remove(identity, reason: .duplicateIdentity)
        }
        if maxParticipants > 0, members.count >= maxParticipants {
            throw MeetingError(code: .roomFull, message: "room '\(name)' is full (\(maxParticipants) participants)")
        }
        try recordJoin(identity: identity, name: displayName, metadata: metadata, permissions: permissions)
        do {
            return try await sfu.joinWithSeparateTransports(identity)
        } catch {
            recordLeave(identity, reason: .unknown)
            throw MeetingError(code: .internal, message: "could not join the router: \(error)")
        }
    }

    private func visibleMembers(except identity: String) -> [SignalingParticipantInfo] {
        order.filter { $0 != identity }.compactMap { members[$0] }.filter { !$0.hidden }.map(\.info)
    }

    /// The session to hand a new socket to, if `sid` is this identity's current session and
    /// `reconnectToken` is its unused secret. The token is spent here (single use).
    func claimResume(identity: String, sid: String, reconnectToken: String) -> SessionMailbox? {
        guard var member = members[identity], member.info.sid == sid,
              let expected = member.reconnectToken, Self.constantTimeEqual(expected, reconnectToken) else { return nil }
        member.reconnectToken = nil
        members[identity] = member
        return member.mailbox
    }

    /// The resumed session's next secret, and the meeting as it is now for its `joined`.
    func resumed(_ identity: String, sid: String, reconnectToken: String)
        -> (participant: SignalingParticipantInfo, others: [SignalingParticipantInfo])? {
        guard var member = members[identity], member.info.sid == sid else { return nil }
        member.reconnectToken = reconnectToken
        members[identity] = member
        return (member.info, visibleMembers(except: identity))
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Takes a participant out: its tracks end for everyone, the router drops its transports.
    /// With `sid`, only if the member is still that session (not a newer one of the identity).
    func remove(_ identity: String, sid: String? = nil, reason: SignalingLeaveReason) async {
        guard let member = members[identity], sid == nil || member.info.sid == sid else { return }
        members[identity] = nil
        order.removeAll { $0 == identity }
        for track in tracks.values where track.owner == identity {
            tracks[track.sid] = nil
            announceUnpublished(track)
        }
        await sfu.leave(identity)
        recordLeave(identity, reason: reason)
        if !member.hidden {
            broadcast(.participantLeft(ParticipantLeft(sid: member.info.sid, reason: reason)))
        }
        logger.info("participant left", metadata: ["room": "\(name)", "identity": "\(identity)",
                                                   "reason": "\(reason)"])
        if members.isEmpty { await onEmpty(name) }
    }

    /// Ends a participant's session from outside (REST kick): its session says goodbye.
    func kick(_ identity: String, reason: SignalingLeaveReason) async -> Bool {
        guard let member = members[identity] else { return false }
        member.mailbox.post(.end(reason))
        await remove(identity, reason: reason)
        return true
    }

    /// Starts closing if nobody is here: from now on nobody is admitted. False if someone is.
    func closeIfEmpty() -> Bool {
        guard members.isEmpty, admissionsInProgress == 0 else { return false }
        isClosing = true
        eventsTask?.cancel()
        return true
    }

    /// Ends every session (room deleted, server stopping).
    func closeAll(reason: SignalingLeaveReason) async {
        isClosing = true
        for identity in order.reversed() {
            members[identity]?.mailbox.post(.end(reason))
            await remove(identity, reason: reason)
        }
        eventsTask?.cancel()
    }

    // MARK: Tracks

    /// A track the router now forwards: everyone learns of it; the others may subscribe.
    func published(_ track: MeetingTrack) {
        guard members[track.owner] != nil else { return }
        tracks[track.sid] = track
        members[track.owner]?.info.tracks.append(track.info)
        do {
            try store.recordTrackPublished(room: name, participant: track.owner, trackID: track.sid,
                                           kind: track.info.kind == .audio ? .audio : .video,
                                           source: Self.storeSource(track.info.source), muted: track.info.muted)
        } catch {
            logger.warning("could not record a track", metadata: ["room": "\(name)", "error": "\(error)"])
        }
        broadcast(.trackPublished(TrackPublished(participantSid: track.ownerSid, cid: track.cid, track: track.info)),
                  except: track.owner)
        members[track.owner]?.mailbox.post(.deliver(.trackPublished(
            TrackPublished(participantSid: track.ownerSid, cid: track.cid, track: track.info))))
        for (identity, member) in members where identity != track.owner {
            member.mailbox.post(.trackAvailable(track))
        }
    }

    func unpublished(sid: String, by identity: String) {
        guard let track = tracks[sid], track.owner == identity else { return }
        tracks[sid] = nil
        announceUnpublished(track)
    }

    private func announceUnpublished(_ track: MeetingTrack) {
        members[track.owner]?.info.tracks.removeAll { $0.sid == track.sid }
        do {
            try store.recordTrackUnpublished(room: name, trackID: track.sid)
        } catch {
            logger.warning("could not record an unpublish", metadata: ["room": "\(name)", "error": "\(error)"])
        }
        broadcast(.trackUnpublished(TrackUnpublished(participantSid: track.ownerSid, trackSid: track.sid)))
        for (identity, member) in members where identity != track.owner {
            member.mailbox.post(.trackGone(sid: track.sid))
        }
    }

    func setMuted(sid: String, muted: Bool, by identity: String?) async throws(MeetingError) {
        guard var track = tracks[sid], identity == nil || track.owner == identity else {
            throw MeetingError(code: .notFound, message: "no track '\(sid)'" + (identity.map { " of \($0)" } ?? ""))
        }
        try? await sfu.setMuted(sid, muted)
        track.info.muted = muted
        tracks[sid] = track
        if let index = members[track.owner]?.info.tracks.firstIndex(where: { $0.sid == sid }) {
            members[track.owner]?.info.tracks[index].muted = muted
        }
        _ = try? store.setTrackMuted(room: name, trackID: sid, muted: muted)
        broadcast(.trackMuted(TrackMuted(participantSid: track.ownerSid, trackSid: sid, muted: muted)))
    }

    func track(sid: String) -> MeetingTrack? { tracks[sid] }

    /// Every published track, owners in join order.
    func allTracks() -> [MeetingTrack] {
        order.flatMap { owner in tracks.values.filter { $0.owner == owner } }
    }

    func trackCount(of identity: String) -> Int { tracks.values.filter { $0.owner == identity }.count }

    // MARK: Changes from the application (REST)

    /// New name, metadata or permissions for a member: stored, told to everyone, and applied
    /// to its session. False if it is not in the meeting.
    func update(_ identity: String, name newName: String?, metadata: String?,
                permissions: Signaling.ParticipantPermissions?) -> Bool {
        guard var member = members[identity] else { return false }
        if let newName { member.info.name = newName }
        if let metadata { member.info.metadata = metadata }
        if let permissions {
            member.info.permissions = permissions
            member.mailbox.post(.permissionsChanged(permissions))
        }
        members[identity] = member
        do {
            try store.updateParticipant(
                room: name, identity: identity, name: newName, metadata: metadata,
                permissions: permissions.map { Store.ParticipantPermissions(canPublish: $0.canPublish,
                                                                            canSubscribe: $0.canSubscribe) })
        } catch {
            logger.warning("could not record a participant update", metadata: ["room": "\(name)", "error": "\(error)"])
        }
        if !member.hidden { broadcast(.participantUpdated(ParticipantPayload(participant: member.info))) }
        return true
    }

    func isMember(_ identity: String) -> Bool { members[identity] != nil }

    /// Subscription settings for a member, applied by its session. False if it is not here.
    func applySubscription(_ update: SubscriptionUpdate, for identity: String) -> Bool {
        guard let member = members[identity] else { return false }
        member.mailbox.post(.applySubscription(update))
        return true
    }

    // MARK: Messages

    /// Sends a message to every member but `excluded`.
    func broadcast(_ message: ServerMessage, except excluded: String? = nil) {
        for (identity, member) in members where identity != excluded {
            member.mailbox.post(.deliver(message))
        }
    }

    /// Sends a message to the given identities (all when nil); returns how many got it.
    func sendData(_ data: DataReceived, to identities: [String]?) async -> Int {
        let targets = (identities ?? order).filter { members[$0] != nil }
        let overChannels = Set(await sfu.sendServerData(Array(data.payload.utf8), topic: data.topic, to: targets))
        return overChannels.count + send(.data(data), to: targets.filter { !overChannels.contains($0) })
    }

    func send(_ message: ServerMessage, to identities: [String]?) -> Int {
        let targets = identities ?? order
        var delivered = 0
        for identity in targets {
            guard let member = members[identity] else { continue }
            member.mailbox.post(.deliver(message))
            delivered += 1
        }
        return delivered
    }

    // MARK: Store

    private func recordJoin(identity: String, name displayName: String, metadata: String,
                            permissions: Signaling.ParticipantPermissions) throws(MeetingError) {
        let stored = Store.ParticipantPermissions(canPublish: permissions.canPublish,
                                                  canSubscribe: permissions.canSubscribe)
        func join() throws(StoreError) {
            try store.recordParticipantJoined(room: name, identity: identity, name: displayName, metadata: metadata,
                                              permissions: stored)
        }
        do {
            do {
                try join()
            } catch .unknownRoom, .roomClosed {
                // Joining a room nobody created opens it with default settings.
                try store.createRoom(NewRoom(name: name))
                try join()
            } catch .participantAlreadyJoined {
                // A stale row (the previous session of this identity ended without a record).
                try store.recordParticipantLeft(room: name, identity: identity, reason: SignalingLeaveReason.unknown.rawValue)
                try join()
            }
        } catch .roomFull(_, let maximum) {
            throw MeetingError(code: .roomFull, message: "room '\(name)' is full (\(maximum) participants)")
        } catch {
            throw MeetingError(code: .internal, message: "could not record the join: \(error)")
        }
    }

    private func recordLeave(_ identity: String, reason: SignalingLeaveReason) {
        do {
            try store.recordParticipantLeft(room: name, identity: identity, reason: reason.rawValue)
        } catch {
            logger.warning("could not record a leave", metadata: ["room": "\(name)", "error": "\(error)"])
        }
    }

    private static func storeSource(_ source: SignalingTrackSource) -> Store.TrackSource {
        switch source {
        case .camera: .camera
        case .microphone: .microphone
        case .screenShare: .screenShare
        case .screenShareAudio: .screenShareAudio
        case .unknown: .unknown
        }
    }
}

/// Short random ids for sids and reconnect tokens.
enum RandomID {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func make(length: Int = 12) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "0" })
    }
}
