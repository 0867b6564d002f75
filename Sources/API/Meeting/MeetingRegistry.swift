public import Logging
public import SFU
public import Signaling
public import Store

/// The meetings in progress, by room name. A meeting exists while someone is in it; its router
/// room is placed by `RoomRegistry` (least-loaded worker) and closed with it.
public actor MeetingRegistry {
    private let rooms: RoomRegistry
    private let store: RoomStore
    private let limits: SignalingLimits
    private let logger: Logger
    private var meetings: [String: MeetingRoom] = [:]
    /// Meetings whose router room is being closed; a new meeting of the name waits for it.
    private var closing: [String: Task<Void, Never>] = [:]
    /// Meetings being started (their router room is being placed).
    private var starting: [String: Task<MeetingRoom, Never>] = [:]

    public init(rooms: RoomRegistry, store: RoomStore, limits: SignalingLimits = .default, logger: Logger) {
        self.rooms = rooms
        self.store = store
        self.limits = limits
        self.logger = logger
    }

    /// Admits a participant to the meeting in room `name`, started if nobody is in it yet. A
    /// meeting that closes at that moment (its last member just left) is not joined: the
    /// participant goes into the next one.
    func admit(toRoom name: String, identity: String, name displayName: String, metadata: String,
               permissions: Signaling.ParticipantPermissions, hidden: Bool, reconnectToken: String,
               mailbox: SessionMailbox) async throws(MeetingError) -> (MeetingRoom, MeetingRoom.Admission) {
        var attempt = 0
        while true {
            let meeting = await meeting(named: name)
            do {
                let admission = try await meeting.admit(identity: identity, name: displayName, metadata: metadata,
                                                        permissions: permissions, hidden: hidden,
                                                        reconnectToken: reconnectToken, mailbox: mailbox)
                return (meeting, admission)
            } catch where error.isClosing && attempt < 3 {
                attempt += 1
                await closing[name]?.value
            }
        }
    }

    /// The meeting in room `name`, started if nobody is in it yet.
    private func meeting(named name: String) async -> MeetingRoom {
        while let pending = closing[name] {
            await pending.value
            // Whoever gets here first clears it (the closer may not have run yet); a newer
            // closing of the name is waited for in turn.
            if closing[name] == pending { closing[name] = nil }
        }
        if let meeting = meetings[name] { return meeting }
        // Two first joins at once must not start two meetings: the second waits for the first's.
        let start: Task<MeetingRoom, Never>
        if let pending = starting[name] {
            start = pending
        } else {
            let rooms = self.rooms, store = self.store, logger = self.logger
            let maxParticipants = limits.maxParticipantsPerRoom
            let onEmpty: @Sendable (String) async -> Void = { [weak self] name in await self?.meetingBecameEmpty(name) }
            start = Task {
                let meeting = MeetingRoom(name: name, sfu: await rooms.room(named: name), store: store,
                                          maxParticipants: maxParticipants, logger: logger, onEmpty: onEmpty)
                await meeting.start()
                return meeting
            }
            starting[name] = start
        }
        let meeting = await start.value
        // Whoever resumes first records it; the others find it recorded.
        if starting[name] == start {
            starting[name] = nil
            meetings[name] = meeting
        }
        return meetings[name] ?? meeting
    }

    func existing(named name: String) -> MeetingRoom? { meetings[name] }

    private func meetingBecameEmpty(_ name: String) async {
        guard let meeting = meetings[name], await meeting.closeIfEmpty(), meetings[name] === meeting else { return }
        meetings[name] = nil
        await close(name) {}
    }

    /// Closes the router room of a meeting already taken out of `meetings`, after `ending` it;
    /// a new meeting of the name waits until this is done.
    private func close(_ name: String, after ending: @escaping @Sendable () async -> Void) async {
        let rooms = self.rooms
        let close = Task {
            await ending()
            await rooms.close(named: name)
        }
        closing[name] = close
        await close.value
        if closing[name] == close { closing[name] = nil }
    }

    /// Identities in the meeting now, in join order (empty when nobody is there).
    public func participants(inRoom name: String) async -> [String] {
        await meetings[name]?.identities ?? []
    }

    /// Removes a participant from its meeting (REST kick); false if it is not in it.
    public func kick(_ identity: String, fromRoom name: String) async -> Bool {
        guard let meeting = meetings[name] else { return false }
        return await meeting.kick(identity, reason: .kicked)
    }

    /// Updates a participant in its meeting (REST); false if it is not in it.
    public func updateParticipant(_ identity: String, inRoom name: String, displayName: String?, metadata: String?,
                                  permissions: Signaling.ParticipantPermissions?) async -> Bool {
        await meetings[name]?.update(identity, name: displayName, metadata: metadata, permissions: permissions) ?? false
    }

    /// Mutes or unmutes a participant's published track (REST); false if there is no such track.
    public func setMuted(track sid: String, of identity: String, inRoom name: String, muted: Bool) async -> Bool {
        guard let meeting = meetings[name] else { return false }
        do {
            try await meeting.setMuted(sid: sid, muted: muted, by: identity)
            return true
        } catch {
            return false
        }
    }

    /// Subscribes or unsubscribes a participant to tracks (REST); false if it is not in the meeting.
    public func setSubscribed(_ identity: String, inRoom name: String, trackSids: [String], subscribe: Bool) async -> Bool {
        guard let meeting = meetings[name] else { return false }
        for sid in trackSids {
            guard await meeting.applySubscription(SubscriptionUpdate(trackSid: sid, subscribe: subscribe), for: identity)
            else { return false }
        }
        return true
    }

    /// Caps what a present participant is sent (bits/s; nil lifts the cap). False if it is not
    /// in the room.
    public func capDownlink(_ identity: String, inRoom name: String, maxBitrate: Int?) async -> Bool {
        guard let meeting = meetings[name], await meeting.isMember(identity) else { return false }
        do {
            try await meeting.sfu.capDownlink(identity, maxBitrate: maxBitrate)
            return true
        } catch {
            return false
        }
    }

    /// Sends application data to everyone in a room or to the given identities over their
    /// signaling sockets; returns how many received it.
    /// A server message (REST): over each recipient's reliable data channel, or as a signaling
    /// `data` message to those without data channels. Returns how many it reached.
    public func sendData(_ data: DataReceived, toRoom name: String, identities: [String]?) async -> Int {
        await meetings[name]?.sendData(data, to: identities) ?? 0
    }

    /// Ends a meeting: everyone gets `leave` with `reason`.
    public func end(room name: String, reason: SignalingLeaveReason) async {
        guard let meeting = meetings.removeValue(forKey: name) else { return }
        await close(name) { await meeting.closeAll(reason: reason) }
    }

    /// Ends every meeting (server shutting down).
    public func endAll(reason: SignalingLeaveReason) async {
        for name in Array(meetings.keys) { await end(room: name, reason: reason) }
    }
}
