import Signaling

/// One example of every message, used both by the round-trip tests and to check that every
/// JSON block in docs/signaling.md is exactly one of these (so the doc cannot drift).
enum SignalingExamples {
    static let offerSDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n…"
    static let answerSDP = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=parley\r\nt=0 0\r\na=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n…"

    static let cameraLayers = [
        SimulcastLayer(rid: "q", width: 320, height: 180, maxBitrate: 150_000),
        SimulcastLayer(rid: "h", width: 640, height: 360, maxBitrate: 500_000),
        SimulcastLayer(rid: "f", width: 1280, height: 720, maxBitrate: 1_500_000),
    ]
    static let aliceMic = SignalingTrackInfo(sid: "TR_AMk2pQ", kind: .audio, source: .microphone, name: "mic", mid: "0")
    static let aliceCamera = SignalingTrackInfo(sid: "TR_VCx81z", kind: .video, source: .camera, name: "camera",
                                                layers: cameraLayers, mid: "1")
    static let alice = SignalingParticipantInfo(sid: "PA_7fQ2mZ", identity: "alice", name: "Alice",
                                                metadata: #"{"role":"host"}"#, tracks: [aliceMic, aliceCamera])
    static let bob = SignalingParticipantInfo(sid: "PA_k3Jd9W", identity: "bob", name: "Bob", tracks: [],
                                              permissions: ParticipantPermissions(canPublish: true, canSubscribe: true, canUpdateMetadata: false))

    static let client: [SignalingEnvelope<ClientMessage>] = [
        .init(id: 1, message: .join(JoinRequest(client: ClientInfo(sdk: "parley-js", sdkVersion: "0.4.0", os: "macOS", browser: "Chrome 131")))),
        .init(id: 1, message: .join(JoinRequest(client: ClientInfo(sdk: "parley-js", sdkVersion: "0.4.0"),
                                                resume: ResumeRequest(participantSid: "PA_k3Jd9W", reconnectToken: "rt_5Jx0c2Lq9VbN")))),
        .init(id: 2, message: .publishOffer(PublishOffer(sdp: offerSDP, tracks: [
            PublishTrackRequest(cid: "mic-1", kind: .audio, source: .microphone, name: "mic"),
            PublishTrackRequest(cid: "cam-1", kind: .video, source: .camera, name: "camera", layers: cameraLayers),
        ]))),
        .init(message: .subscribeAnswer(SubscribeAnswer(sdp: answerSDP, version: 3))),
        .init(message: .trickle(TrickleCandidate(target: .publisher, candidate: ICECandidateInit(
            candidate: "candidate:842163049 1 udp 1677729535 203.0.113.7 50123 typ srflx raddr 192.168.1.20 rport 50123 generation 0",
            sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "Hx3e")))),
        .init(id: 3, message: .updateSubscription(SubscriptionUpdate(trackSid: "TR_VCx81z", subscribe: true, width: 640, height: 360, pinned: true))),
        .init(id: 4, message: .mute(MuteRequest(trackSid: "TR_AMk2pQ", muted: true))),
        .init(message: .leave(ClientLeave())),
        .init(id: 5, message: .ping(PingPayload(timestamp: 1_763_771_000_000))),
    ]

    static let server: [SignalingEnvelope<ServerMessage>] = [
        .init(id: 1, message: .joined(JoinedPayload(
            room: SignalingRoomInfo(name: "standup", sid: "RM_Qw8rT2", metadata: ""),
            participant: bob,
            participants: [alice],
            iceServers: [ICEServerInfo(urls: ["stun:stun.parley.example:3478"]),
                         ICEServerInfo(urls: ["turn:turn.parley.example:3478?transport=udp", "turns:turn.parley.example:443?transport=tcp"],
                                       username: "1763774600:PA_k3Jd9W", credential: "q1w2e3r4t5y6")],
            reconnectToken: "rt_5Jx0c2Lq9VbN", pingInterval: 10, pingTimeout: 30))),
        .init(id: 2, message: .publishAnswer(PublishAnswer(sdp: answerSDP))),
        .init(message: .subscribeOffer(SubscribeOffer(sdp: offerSDP, version: 3))),
        .init(message: .trickle(TrickleCandidate(target: .subscriber, candidate: ICECandidateInit(
            candidate: "candidate:1 1 udp 2130706431 198.51.100.10 40000 typ host", sdpMid: "0", sdpMLineIndex: 0)))),
        .init(message: .participantJoined(ParticipantPayload(participant: SignalingParticipantInfo(
            sid: "PA_Zp04Ls", identity: "carol", name: "Carol")))),
        .init(message: .participantUpdated(ParticipantPayload(participant: SignalingParticipantInfo(
            sid: "PA_Zp04Ls", identity: "carol", name: "Carol (away)", metadata: #"{"status":"away"}"#)))),
        .init(message: .participantLeft(ParticipantLeft(sid: "PA_Zp04Ls", reason: .clientLeft))),
        .init(message: .trackPublished(TrackPublished(participantSid: "PA_k3Jd9W", cid: "cam-1", track: SignalingTrackInfo(
            sid: "TR_Bb62Hq", kind: .video, source: .camera, name: "camera", layers: cameraLayers, mid: "1")))),
        .init(message: .trackUnpublished(TrackUnpublished(participantSid: "PA_7fQ2mZ", trackSid: "TR_VCx81z"))),
        .init(message: .trackMuted(TrackMuted(participantSid: "PA_7fQ2mZ", trackSid: "TR_AMk2pQ", muted: true))),
        .init(message: .activeSpeakers(ActiveSpeakers(speakers: [SpeakerLevel(participantSid: "PA_7fQ2mZ", level: 0.82),
                                                                 SpeakerLevel(participantSid: "PA_k3Jd9W", level: 0.25)]))),
        .init(message: .connectionQuality(ConnectionQualityUpdate(updates: [
            ConnectionQualityInfo(participantSid: "PA_k3Jd9W", quality: .good),
            ConnectionQualityInfo(participantSid: "PA_7fQ2mZ", quality: .poor)]))),
        .init(message: .subscriptionPaused(SubscriptionPaused(trackSid: "TR_VCx81z", paused: true, reason: .bandwidth))),
        .init(message: .bandwidthEstimate(BandwidthEstimate(availableBitrate: 1_850_000, allocatedBitrate: 1_630_000))),
        .init(message: .publicationLayers(PublicationLayers(trackSid: "TR_VCx81z", layers: [
            EncodingActivity(rid: "q", active: true), EncodingActivity(rid: "h", active: true),
            EncodingActivity(rid: "f", active: false),
        ]))),
        .init(message: .error(SignalingErrorPayload(code: .tooManyTracks, message: "a participant may publish at most 16 tracks", requestId: 2))),
        .init(message: .leave(ServerLeave(reason: .serverShutdown, canReconnect: true))),
        .init(id: 5, message: .pong(PongPayload(timestamp: 1_763_771_000_000, serverTime: 1_763_771_000_012))),
        .init(message: .data(DataReceived(topic: "chat", payload: #"{"text":"The meeting ends in 5 minutes"}"#))),
    ]
}
