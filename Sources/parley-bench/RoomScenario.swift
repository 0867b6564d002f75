import Auth
import DTLS
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ICE
import NIOConcurrencyHelpers
import NIOCore
import SDP
import Signaling
import WebRTC

/// The scenarios that go through a room, as browsers do: each participant joins over the
/// signaling WebSocket, publishes on one transport (`publish_offer`) and receives everyone
/// else's tracks on a second (`subscribe_offer`, autoSubscribe), with real ICE, DTLS and SRTP.
///
/// - `meeting`: everyone publishes Opus and simulcast VP8 and receives everyone else.
/// - `webinar`: the first `--publishers` (1) publish; everyone receives the others.
/// - `audio`: everyone publishes Opus only and receives everyone else.
/// - `data`: everyone opens a reliable data channel and sends 1 KiB messages that the room
///   relays to everyone else.
/// - `qoe`: one simulcast publisher and one subscriber behind the link emulator; reports each
///   second what the subscriber got (`RoomScenario+QoE.swift`).
///
/// Subscribers ask for a simulcast layer per video track (`update_subscription`, as a browser
/// does for the size it renders at): the top layer, or the one below for every other
/// subscriber. Halfway through the run they swap, timing the wait for the new layer's key frame.
struct RoomScenario {
    enum Kind: String, CaseIterable {
        case meeting, webinar, audio, data, qoe
    }

    let kind: Kind
    let server: URL
    let room: String
    /// Signs join tokens; nil for a server started with `--dev` (tokens from `/v1/dev/token`).
    let apiKey: APIKeyPair?
    /// This process's participants: `firstIndex ..< firstIndex + participantCount`, of
    /// `totalParticipants` across every bench process.
    let participantCount: Int
    var firstIndex = 0
    var totalParticipants: Int
    let duration: Duration
    let workerCount: Int
    let settings: BenchParticipant.Settings
    let serverUsage: ServerUsageSource
    /// Webinar: how many participants (the first ones) publish.
    var publisherCount = 1
    /// `--ramp`: participants added per step, each step measured for `duration`.
    var rampStep: Int?
    /// Several bench processes: how this one lines up with the others.
    var coordination: BenchCoordination = .alone
    /// The emulated link in front of one participant's receiving transport, if any.
    var link: LinkConditions?
    var linkParticipant = 1

    func publishes(_ index: Int) -> Bool {
        switch kind {
        case .webinar: index < publisherCount
        case .qoe: index == 0
        default: true
        }
    }

    var videoLayerCount: Int {
        kind == .meeting || kind == .webinar || kind == .qoe
            ? min(settings.videoBitrates.count, SyntheticVideoLayer.rids.count) : 0
    }

    /// The layer subscriber `index` asks for first; it swaps to the other one halfway (the qoe
    /// subscriber asks for the top layer and keeps asking for it: bandwidth decides).
    func initialLayer(of index: Int) -> Int {
        let top = max(0, videoLayerCount - 1)
        return index % 2 == 0 || top == 0 || kind == .qoe ? top : top - 1
    }

    func swappedLayer(of index: Int) -> Int {
        let top = max(0, videoLayerCount - 1)
        return initialLayer(of: index) == top ? max(0, top - 1) : top
    }

    /// (receiver, sender, kind) combinations that should carry media among participants
    /// `0..<count` (in every bench process).
    func expectedTracks(among count: Int) -> Int {
        let kinds = videoLayerCount > 0 ? 2 : 1
        let senders = (0..<count).filter(publishes)
        return (0..<count).reduce(0) { total, receiver in
            total + senders.filter { $0 != receiver }.count * kinds
        }
    }

    /// A participant that joined: its signaling, and the task that runs it.
    struct JoinedMember {
        let member: RoomMember
        let connection: SignalingConnection
        let session: Task<Void, Never>
    }

    func run(progress: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        let clock = BenchClock()
        let clients = try await ClientWorkers.start(count: workerCount)
        let context = try DTLSContext(certificate: .generateSelfSigned())
        if let apiKey, coordination.createsRoom { try await createRoom(signedBy: apiKey) }
        let ticks = try await clients.startSending(clock: clock, tickMicroseconds: settings.sendTickMicroseconds)
        var members: [JoinedMember] = []
        let outcome: Result<BenchReport, any Error>
        do {
            if let rampStep {
                outcome = .success(try await ramp(step: rampStep, members: &members, clients: clients, clock: clock,
                                                  context: context, progress: progress))
            } else {
                try await join(firstIndex..<(firstIndex + participantCount), among: totalParticipants, members: &members,
                               clients: clients, clock: clock, context: context, progress: progress)
                try await coordination.lineUp(progress: progress)
                try await settle(members: members, among: totalParticipants, clients: clients)
                var window = try await clients.measure(for: duration, serverUsage: serverUsage, progress: progress,
                                                       atHalf: videoLayerCount > 1 ? { try await swapLayers(members) } : nil)
                try await coordination.finish(&window)
                var report = BenchReport(scenario: kind.rawValue, participants: totalParticipants,
                                         expectedTracks: expectedTracks(among: totalParticipants), window: window)
                report.processes = coordination.processCount
                outcome = .success(report)
            }
        } catch {
            outcome = .failure(error)
        }
        try await tearDown(members: members, ticks: ticks, clients: clients)
        return try outcome.get()
    }

    /// Leaves first, as a browser does, so the server sees leaves and not lost connections;
    /// then the clients, their workers and any link emulator stop.
    func tearDown(members: [JoinedMember], ticks: [RepeatedTask], clients: ClientWorkers) async throws {
        for tick in ticks { tick.cancel() }
        for joined in members { joined.connection.close() }
        for joined in members { await joined.session.value }
        for joined in members { joined.member.link?.stop() }
        _ = try? await clients.collect(distributions: false, closing: true)
        try await clients.shutdown()
    }

    /// Adds `step` participants at a time, measuring each step for `duration`, until one misses
    /// < 1 % loss and p99 < 50 ms or all have joined.
    private func ramp(step: Int, members: inout [JoinedMember], clients: ClientWorkers, clock: BenchClock,
                      context: DTLSContext, progress: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        var steps: [BenchReport.RampStep] = []
        var last: BenchReport?
        var held: Int?
        var count = 0
        while count < participantCount {
            let next = min(participantCount, count + step)
            try await join(count..<next, among: next, members: &members, clients: clients, clock: clock,
                           context: context, progress: progress)
            count = next
            try await settle(members: members, among: count, clients: clients)
            let window = try await clients.measure(for: duration, serverUsage: serverUsage, progress: progress)
            let report = BenchReport(scenario: kind.rawValue, participants: count,
                                     expectedTracks: expectedTracks(among: count), window: window)
            steps.append(.init(participants: count, egressPPS: report.egressPPS, lossPercent: report.lossPercent,
                               latencyP99: report.latencyMilliseconds.p99, held: report.held))
            progress(String(format: "ramp: %d participants, %.0f packets/s out, loss %.3f %%, p99 %.2f ms%@", count,
                            report.egressPPS, report.lossPercent, report.latencyMilliseconds.p99 ?? -1,
                            report.held ? "" : " (not held)"))
            last = report
            guard report.held else { break }
            held = count
        }
        guard var report = last else { throw BenchError.server("no participants to ramp") }
        report.ramp = steps
        report.largestLoadHeld = held
        return report
    }

    /// Joins participants `indices` one at a time, as people arrive (so join times are not a
    /// thundering herd's); `count` participants are in the room once they are in.
    func join(_ indices: Range<Int>, among count: Int, members: inout [JoinedMember], clients: ClientWorkers,
                      clock: BenchClock, context: DTLSContext,
                      progress: @escaping @Sendable (String) -> Void) async throws {
        var settings = self.settings
        settings.sendsVideo = videoLayerCount > 0
        settings.videoBitrates = Array(settings.videoBitrates.prefix(max(1, videoLayerCount)))
        settings.sendsData = kind == .data
        for index in indices {
            let connection = SignalingConnection(server: server, token: try await token(for: "bench-\(index)"))
            let emulated = link.flatMap { index == linkParticipant ? LinkAttachment(conditions: $0, clock: clock) : nil }
            let member = RoomMember(index: index, publishes: publishes(index), layer: initialLayer(of: index),
                                    settings: settings, clock: clock, context: context, clients: clients,
                                    connection: connection, link: emulated)
            members.append(JoinedMember(member: member, connection: connection,
                                        session: Task { await member.run(progress: progress) }))
            try await clients.waitUntil(members.count, timeout: .seconds(10)) { $0.joinMilliseconds != nil }
        }
    }

    /// Waits until this process's receivers are connected, starts everyone sending, and lets a
    /// second pass for key frames and subscriptions to settle.
    func settle(members: [JoinedMember], among count: Int, clients: ClientWorkers) async throws {
        if kind == .data {
            try await clients.waitUntil(members.count, timeout: .seconds(20)) { $0.dataReady }
        } else {
            let receivers = members.filter { joined in
                (0..<count).contains { publishes($0) && $0 != joined.member.index }
            }.count
            try await clients.waitUntil(receivers, timeout: .seconds(20)) { $0.receiveConnected }
        }
        try await clients.startParticipants()
        try await Task.sleep(for: .seconds(1))
    }

    /// Every subscriber asks for its other layer and times the key frame it waits for.
    private func swapLayers(_ members: [JoinedMember]) async throws {
        for joined in members {
            try await joined.member.switchLayer(to: swappedLayer(of: joined.member.index))
        }
    }

    /// A join token: signed here with the API key, or from the dev endpoint.
    private func token(for identity: String) async throws -> String {
        if let apiKey {
            return try await TokenIssuer(key: apiKey).mint(identity: identity, grants: .join(room: room),
                                                           validFor: .seconds(3600))
        }
        var url = server.appendingPathComponent("v1/dev/token")
        url.append(queryItems: [URLQueryItem(name: "room", value: room), URLQueryItem(name: "name", value: identity)])
        let (body, response) = try await URLSession.shared.data(from: url)
        guard (response as? HTTPURLResponse)?.statusCode == 200,
              let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
              let token = object["token"] as? String else {
            throw BenchError.server("GET /v1/dev/token failed (is the server running with --dev, or pass --api-key "
                                    + "and --api-secret): \(String(decoding: body, as: UTF8.self))")
        }
        return token
    }

    /// `POST /v1/rooms`; a room that already exists is fine.
    func createRoom(signedBy key: APIKeyPair) async throws {
        let admin = try await TokenIssuer(key: key).mint(identity: "parley-bench", grants: VideoGrants(roomCreate: true),
                                                         validFor: .seconds(60))
        var request = URLRequest(url: server.appendingPathComponent("v1/rooms"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(admin)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["name": room])
        request.timeoutInterval = 10
        let (body, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) || status == 409 else {
            throw BenchError.server("POST /v1/rooms failed (\(status)): \(String(decoding: body, as: UTF8.self))")
        }
    }
}

/// What `bandwidth_estimate` and `subscription_paused` told a subscriber.
struct DownlinkReports: Sendable {
    var availableBitrate: Int?
    var allocatedBitrate: Int?
    var pauses = 0
}

/// The link emulator a member's receiving transport goes through, made when it connects.
final class LinkAttachment: Sendable {
    let conditions: LinkConditions
    let clock: BenchClock
    private let emulator = NIOLockedValueBox<LinkEmulator?>(nil)

    init(conditions: LinkConditions, clock: BenchClock) {
        self.conditions = conditions
        self.clock = clock
    }

    var current: LinkEmulator? { emulator.withLockedValue { $0 } }

    /// Starts the emulator (once) and returns the address to use in place of the server's.
    func start(forwardingTo server: SocketAddress) throws -> SocketAddress {
        try emulator.withLockedValue { existing in
            if let existing { return existing.clientFacingAddress }
            let started = try LinkEmulator(forwardingTo: server, conditions: conditions, clock: clock)
            existing = started
            return started.clientFacingAddress
        }
    }

    func stop() { emulator.withLockedValue { $0?.stop() } }
}

/// One participant's signaling: join, publish, answer subscribe offers, ask for simulcast
/// layers, ping.
struct RoomMember: Sendable {
    let participant: UncheckedParticipant
    let publishes: Bool
    let context: DTLSContext
    let worker: MediaWorker
    let box: WorkerParticipants
    let connection: SignalingConnection
    let sendCredentials = ICECredentials.random()
    let receiveCredentials = ICECredentials.random()
    /// Other participants' video tracks, and the layer asked for on them.
    private let video = NIOLockedValueBox<(tracks: Set<String>, layer: Int)>(([], 0))
    /// The link emulator its receiving transport goes through, if it has one.
    let link: LinkAttachment?
    /// What the server said about its downlink.
    let downlink = NIOLockedValueBox(DownlinkReports())

    init(index: Int, publishes: Bool, layer: Int, settings: BenchParticipant.Settings, clock: BenchClock,
         context: DTLSContext, clients: ClientWorkers, connection: SignalingConnection, link: LinkAttachment? = nil) {
        self.link = link
        participant = UncheckedParticipant(BenchParticipant(index: index, settings: settings, clock: clock))
        self.publishes = publishes
        self.context = context
        self.connection = connection
        (worker, box) = clients.worker(for: index)
        video.withLockedValue { $0.layer = layer }
    }

    var index: Int { participant.participant.index }

    func run(progress: @escaping @Sendable (String) -> Void) async {
        let box = self.box, participant = self.participant
        try? await worker.submit { box.participants.append(participant.participant) }
        connection.send(.join(JoinRequest(client: ClientInfo(sdk: "parley-bench", sdkVersion: "1"))))
        var pings: Task<Void, Never>?
        defer { pings?.cancel() }
        var ownSid = ""
        for await message in connection.messages {
            do {
                switch message {
                case .joined(let joined):
                    ownSid = joined.participant.sid
                    pings = Task { [connection] in
                        while !Task.isCancelled {
                            try? await Task.sleep(for: .seconds(max(1, joined.pingInterval)))
                            connection.send(.ping(PingPayload(timestamp: Int64(Date().timeIntervalSince1970 * 1000))))
                        }
                    }
                    for other in joined.participants { found(other.tracks) }
                    if publishes { connection.send(.publishOffer(publishOffer())) }
                    if !publishes { try await markJoined() }
                case .participantJoined(let payload), .participantUpdated(let payload):
                    found(payload.participant.tracks)
                case .trackPublished(let published) where published.participantSid != ownSid:
                    found([published.track])
                case .publishAnswer(let answer):
                    try await connect(BenchAnswer(sdp: answer.sdp), credentials: sendCredentials, receiving: false)
                case .subscribeOffer(let offer):
                    connection.send(.subscribeAnswer(try await answer(offer)))
                case .bandwidthEstimate(let estimate):
                    downlink.withLockedValue {
                        $0.availableBitrate = estimate.availableBitrate
                        $0.allocatedBitrate = estimate.allocatedBitrate
                    }
                case .subscriptionPaused(let paused):
                    downlink.withLockedValue { $0.pauses += paused.paused ? 1 : 0 }
                case .error(let error):
                    progress("participant \(index): server error \(error.code.rawValue): \(error.message)")
                case .leave(let leave):
                    progress("participant \(index): left (\(leave.reason.rawValue))")
                default:
                    continue
                }
            } catch {
                progress("participant \(index): \(error)")
            }
        }
    }

    /// New video tracks get the layer this subscriber renders at, as a browser asks for the
    /// size of its tile.
    private func found(_ tracks: [SignalingTrackInfo]) {
        let (new, layer) = video.withLockedValue { state -> ([String], Int) in
            let new = tracks.filter { $0.kind == .video && !state.tracks.contains($0.sid) }.map(\.sid)
            state.tracks.formUnion(new)
            return (new, state.layer)
        }
        for sid in new {
            connection.send(.updateSubscription(SubscriptionUpdate(trackSid: sid, subscribe: true, maxLayer: layer)))
        }
    }

    /// Asks for `layer` on every video track and times how long the new layer takes to arrive.
    func switchLayer(to layer: Int) async throws {
        let tracks = video.withLockedValue { state -> Set<String> in
            state.layer = layer
            return state.tracks
        }
        guard !tracks.isEmpty else { return }
        let participant = self.participant
        try await worker.submit { participant.participant.timeLayerSwitch(to: layer) }
        for sid in tracks.sorted() {
            connection.send(.updateSubscription(SubscriptionUpdate(trackSid: sid, subscribe: true, maxLayer: layer)))
        }
    }

    private func publishOffer() -> PublishOffer {
        let settings = participant.participant.settings
        var offer = BenchOffer(credentials: sendCredentials, fingerprint: context.certificate.fingerprint,
                               sessionID: UInt64(index + 1))
        offer.direction = "sendonly"
        offer.includesVideo = settings.sendsVideo
        offer.videoLayers = settings.videoBitrates.count
        if settings.sendsData {
            offer.dataOnly = true
            return PublishOffer(sdp: offer.sdp, tracks: [])
        }
        var tracks = [PublishTrackRequest(cid: "bench-audio", kind: .audio, source: .microphone, name: "audio")]
        if settings.sendsVideo {
            let layers: [SimulcastLayer] = settings.videoBitrates.count > 1
                ? settings.videoBitrates.enumerated().map { layer, bitrate in
                    let (width, height) = SyntheticVideoLayer.sizes[layer]
                    return SimulcastLayer(rid: SyntheticVideoLayer.rids[layer], width: width, height: height,
                                          maxBitrate: bitrate)
                }
                : []
            tracks.append(PublishTrackRequest(cid: "bench-video", kind: .video, source: .camera, name: "video",
                                              layers: layers))
        }
        return PublishOffer(sdp: offer.sdp, tracks: tracks)
    }

    /// The answer to a subscribe offer; the first one also makes the receiving transport.
    private func answer(_ offer: SubscribeOffer) async throws -> SubscribeAnswer {
        let description = try SessionDescription.parse(offer.sdp)
        let participant = self.participant
        let remb = description.mediaSections.contains { section in
            section.codecs.contains { $0.feedback.contains { $0.type == "goog-remb" } }
        }
        // transport-cc as a browser answers it: the offered id, when the codec offers the feedback.
        let transportWideID: UInt8? = participant.participant.settings.transportCC
            ? description.mediaSections.lazy.compactMap { section -> UInt8? in
                guard section.codecs.contains(where: { $0.feedback.contains { $0.type == "transport-cc" } }),
                      let map = section.extensionMaps.first(where: { $0.uri == SDPOfferHeaderExtension.transportWideCCURI })
                else { return nil }
                return UInt8(exactly: map.id)
            }.first
            : nil
        // RFC 4588 §8: each FID group pairs a media SSRC with the RTX SSRC that repairs it.
        var repairs: [UInt32: UInt32] = [:]
        for group in description.mediaSections.flatMap(\.sourceGroups) where group.semantics == "FID" && group.ssrcs.count == 2 {
            repairs[group.ssrcs[1]] = group.ssrcs[0]
        }
        let rtxPayloadTypes = Set(description.mediaSections.flatMap(\.codecs).compactMap(\.retransmissionPayloadType))
        let rtxSSRCs = repairs
        let hasTransport = try await worker.submit {
            participant.participant.rtxSSRCs.merge(rtxSSRCs) { $1 }
            participant.participant.rtxPayloadTypes.formUnion(rtxPayloadTypes)
            participant.participant.rembNegotiated = remb
            participant.participant.transportWideExtensionID = transportWideID
            return participant.participant.receiveTransport != nil
        }
        if !hasTransport, description.mediaSections.contains(where: { $0.port != 0 }) {
            try await connect(BenchAnswer(sdp: offer.sdp), credentials: receiveCredentials, receiving: true)
        }
        let sdp = SubscriberAnswer.sdp(answering: description, credentials: receiveCredentials,
                                       fingerprint: context.certificate.fingerprint,
                                       sessionID: UInt64(1_000 + index), transportWideExtensionID: transportWideID)
        return SubscribeAnswer(sdp: sdp, version: offer.version)
    }

    private func connect(_ server: BenchAnswer, credentials: ICECredentials, receiving: Bool) async throws {
        var server = server
        if receiving, let link {
            // The server's media reaches this subscriber through the emulated link.
            server.serverAddress = try link.start(forwardingTo: server.serverAddress)
        }
        let participant = self.participant
        let data = participant.participant.settings.sendsData && !receiving
        try await worker.connectClient(to: server, context: context, credentials: credentials) { transport in
            transport.delegate = participant.participant
            if data {
                transport.enableDataChannels(DataChannelConfiguration(
                    remoteMaxMessageSize: DataChannelConfiguration.advertisedMaxMessageSize))
            }
            if receiving {
                participant.participant.receiveTransport = transport
            } else {
                participant.participant.transport = transport
            }
        }
    }

    /// A participant that only receives has joined when the server accepted it.
    private func markJoined() async throws {
        let participant = self.participant
        try await worker.submit { participant.participant.markJoined() }
    }
}
