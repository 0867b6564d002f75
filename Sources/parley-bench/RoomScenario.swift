import Auth
import DTLS
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ICE
import SDP
import Signaling
import WebRTC

/// The scenarios that go through a room, as browsers do: each participant joins over the
/// signaling WebSocket, publishes on one transport (`publish_offer`) and receives everyone
/// else's tracks on a second (`subscribe_offer`, autoSubscribe), with real ICE, DTLS and SRTP.
///
/// - `meeting`: everyone publishes Opus and VP8 and receives everyone else.
/// - `webinar`: participant 0 publishes Opus and VP8; the others only receive.
/// - `audio`: everyone publishes Opus only and receives everyone else.
/// - `data`: everyone opens a reliable data channel and sends 1 KiB messages that the room
///   relays to everyone else.
struct RoomScenario {
    enum Kind: String, CaseIterable {
        case meeting, webinar, audio, data
    }

    let kind: Kind
    let server: URL
    let room: String
    /// Signs join tokens; nil for a server started with `--dev` (tokens from `/v1/dev/token`).
    let apiKey: APIKeyPair?
    let participantCount: Int
    let duration: Duration
    let workerCount: Int
    let settings: BenchParticipant.Settings
    let serverPID: Int32?

    func publishes(_ index: Int) -> Bool { kind != .webinar || index == 0 }

    func run(progress: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        let clock = BenchClock()
        let clients = try await ClientWorkers.start(count: workerCount)
        let context = try DTLSContext(certificate: .generateSelfSigned())
        if let apiKey { try await createRoom(signedBy: apiKey) }

        var connections: [SignalingConnection] = []
        var sessions: [Task<Void, Never>] = []
        for index in 0..<participantCount {
            var settings = self.settings
            settings.sendsVideo = settings.sendsVideo && kind != .audio && kind != .data
            settings.sendsData = kind == .data
            let member = RoomMember(index: index, publishes: publishes(index), settings: settings, clock: clock,
                                    context: context, clients: clients)
            let connection = SignalingConnection(server: server, token: try await token(for: "bench-\(index)"))
            connections.append(connection)
            sessions.append(Task { await member.run(on: connection, progress: progress) })
            // Joins one at a time, as people arrive, so join times are not a thundering herd's.
            try await clients.waitUntil(index + 1, timeout: .seconds(10)) { $0.joinMilliseconds != nil }
        }
        // Everyone who should receive is connected for receiving, and has been offered the tracks.
        if kind == .data {
            try await clients.waitUntil(participantCount, timeout: .seconds(20)) { $0.dataReady }
        } else {
            let receivers = kind == .webinar ? participantCount - 1 : participantCount
            try await clients.waitUntil(receivers, timeout: .seconds(20)) { $0.receiveConnected }
        }
        try await Task.sleep(for: .milliseconds(500))

        let usage = LoadUsage(serverPID: serverPID)
        let seconds = try await clients.send(for: duration, clock: clock, progress: progress)
        let measured = usage.finish()
        try await Task.sleep(for: .milliseconds(300)) // the last packets in flight
        // Leave first, as a browser does, so the server sees leaves and not lost connections.
        for connection in connections { connection.close() }
        for session in sessions { await session.value }
        let totals = try await clients.collect(closing: true)
        try await clients.shutdown()
        return BenchReport(scenario: kind.rawValue, participants: participantCount,
                           expectedPerSent: max(1, participantCount - 1), totals: totals, seconds: seconds,
                           usage: measured, serverPID: serverPID)
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
    private func createRoom(signedBy key: APIKeyPair) async throws {
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

/// One participant's signaling: join, publish, answer subscribe offers, ping.
struct RoomMember: Sendable {
    let participant: UncheckedParticipant
    let publishes: Bool
    let context: DTLSContext
    let worker: MediaWorker
    let box: WorkerParticipants
    let sendCredentials = ICECredentials.random()
    let receiveCredentials = ICECredentials.random()

    init(index: Int, publishes: Bool, settings: BenchParticipant.Settings, clock: BenchClock,
         context: DTLSContext, clients: ClientWorkers) {
        participant = UncheckedParticipant(BenchParticipant(index: index, settings: settings, clock: clock))
        self.publishes = publishes
        self.context = context
        (worker, box) = clients.worker(for: index)
    }

    var index: Int { participant.participant.index }

    func run(on connection: SignalingConnection, progress: @escaping @Sendable (String) -> Void) async {
        let box = self.box, participant = self.participant
        try? await worker.submit { box.participants.append(participant.participant) }
        connection.send(.join(JoinRequest(client: ClientInfo(sdk: "parley-bench", sdkVersion: "1"))))
        var pings: Task<Void, Never>?
        defer { pings?.cancel() }
        for await message in connection.messages {
            do {
                switch message {
                case .joined(let joined):
                    pings = Task {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: .seconds(max(1, joined.pingInterval)))
                            connection.send(.ping(PingPayload(timestamp: Int64(Date().timeIntervalSince1970 * 1000))))
                        }
                    }
                    if publishes { connection.send(.publishOffer(publishOffer())) }
                    if !publishes { try await markJoined() }
                case .publishAnswer(let answer):
                    try await connect(BenchAnswer(sdp: answer.sdp), credentials: sendCredentials, receiving: false)
                case .subscribeOffer(let offer):
                    connection.send(.subscribeAnswer(try await answer(offer)))
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

    private func publishOffer() -> PublishOffer {
        let sendsVideo = participant.participant.settings.sendsVideo
        var offer = BenchOffer(credentials: sendCredentials, fingerprint: context.certificate.fingerprint,
                               sessionID: UInt64(index + 1))
        offer.direction = "sendonly"
        offer.includesVideo = sendsVideo
        if participant.participant.settings.sendsData {
            offer.dataOnly = true
            return PublishOffer(sdp: offer.sdp, tracks: [])
        }
        var tracks = [PublishTrackRequest(cid: "bench-audio", kind: .audio, source: .microphone, name: "audio")]
        if sendsVideo {
            tracks.append(PublishTrackRequest(cid: "bench-video", kind: .video, source: .camera, name: "video"))
        }
        return PublishOffer(sdp: offer.sdp, tracks: tracks)
    }

    /// The answer to a subscribe offer; the first one also makes the receiving transport.
    private func answer(_ offer: SubscribeOffer) async throws -> SubscribeAnswer {
        let description = try SessionDescription.parse(offer.sdp)
        let hasTransport = try await worker.submit { participant.participant.receiveTransport != nil }
        if !hasTransport, description.mediaSections.contains(where: { $0.port != 0 }) {
            try await connect(BenchAnswer(sdp: offer.sdp), credentials: receiveCredentials, receiving: true)
        }
        let sdp = SubscriberAnswer.sdp(answering: description, credentials: receiveCredentials,
                                       fingerprint: context.certificate.fingerprint,
                                       sessionID: UInt64(1_000 + index))
        return SubscribeAnswer(sdp: sdp, version: offer.version)
    }

    private func connect(_ server: BenchAnswer, credentials: ICECredentials, receiving: Bool) async throws {
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
