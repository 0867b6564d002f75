import API
import Foundation
import HummingbirdTesting
import SDP
import Signaling
import Testing

/// The signaling WebSocket against a real in-process server: real sockets, a real media
/// worker, a real SQLite file; the client side speaks the protocol from docs/signaling.md.
@Suite(.serialized) struct SignalingSessionTests {
    static let chromiumOffer: String = {
        let url = Bundle.module.url(forResource: "chromium-offer", withExtension: "sdp", subdirectory: "Fixtures")
        return url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
    }()

    static let join = ClientMessage.join(JoinRequest(client: ClientInfo(sdk: "test", sdkVersion: "1")))

    /// The offer's two tracks (audio, simulcast camera) as the page describes them.
    static var publishRequest: PublishOffer {
        let description = try? SessionDescription.parse(chromiumOffer)
        let cids = description?.mediaSections.compactMap { $0.mediaStreamIDs.first?.trackID } ?? []
        let layers = [SimulcastLayer(rid: "q", width: 320, height: 180, maxBitrate: 150_000),
                      SimulcastLayer(rid: "h", width: 640, height: 360, maxBitrate: 500_000),
                      SimulcastLayer(rid: "f", width: 1280, height: 720, maxBitrate: 1_500_000)]
        return PublishOffer(sdp: chromiumOffer, tracks: [
            PublishTrackRequest(cid: cids.first ?? "a", kind: .audio, source: .microphone, name: "mic", layers: [], muted: false),
            PublishTrackRequest(cid: cids.last ?? "v", kind: .video, source: .camera, name: "cam", layers: layers, muted: false),
        ])
    }

    @Test func joinedListsWhoIsThereAndOthersHearOfTheNewcomer() async throws {
        try await SignalingTestServer.run { server, _ in
            try await server.connect("alice") { alice in
                alice.send(Self.join, id: 1)
                let aliceJoined = try await alice.next("joined")
                #expect(aliceJoined.id == 1)
                guard case .joined(let first) = aliceJoined.message else { return }
                #expect(first.room.name == "standup" && first.participants.isEmpty)
                #expect(first.participant.identity == "alice" && first.participant.sid.hasPrefix("PA_"))

                try await server.connect("bob") { bob in
                    bob.send(Self.join, id: 1)
                    guard case .joined(let second) = try await bob.next("joined").message else { return }
                    #expect(second.participants.map(\.identity) == ["alice"])
                    guard case .participantJoined(let news) = try await alice.next("participant_joined").message else { return }
                    #expect(news.participant.identity == "bob" && news.participant.sid == second.participant.sid)
                    #expect(await server.meetings.participants(inRoom: "standup") == ["alice", "bob"])
                    let stored = try server.store.participants(inRoom: "standup")
                    #expect(Set(stored.map(\.identity)) == ["alice", "bob"], "joins are recorded in SQLite")

                    bob.send(.leave(ClientLeave()))
                    guard case .participantLeft(let left) = try await alice.next("participant_left").message else { return }
                    #expect(left.sid == second.participant.sid && left.reason == .clientLeft)
                }
            }
        }
    }

    @Test func aPublishedSimulcastTrackReachesAnotherParticipantsSubscriberOffer() async throws {
        try await SignalingTestServer.run { server, _ in
            try await server.connect("bob") { bob in
                bob.send(Self.join, id: 1)
                _ = try await bob.next("joined")
                try await server.connect("alice") { alice in
                    alice.send(Self.join, id: 1)
                    guard case .joined(let joined) = try await alice.next("joined").message else { return }
                    let request = Self.publishRequest
                    alice.send(.publishOffer(request), id: 2)
                    let answer = try await alice.next("publish_answer")
                    #expect(answer.id == 2)
                    guard case .publishAnswer(let publishAnswer) = answer.message else { return }
                    let answerSDP = try SessionDescription.parse(publishAnswer.sdp)
                    let video = try #require(answerSDP.mediaSections.first { $0.kind == .video })
                    #expect(video.simulcastLayers(.recv).count == 3, "simulcast accepted")
                    #expect(answerSDP.isICELite)

                    // The publisher learns the sids of its tracks by cid.
                    var published: [TrackPublished] = []
                    for _ in 0..<2 {
                        guard case .trackPublished(let track) = try await alice.next("track_published").message else { return }
                        published.append(track)
                    }
                    #expect(Set(published.compactMap(\.cid)) == Set(request.tracks.map(\.cid)))
                    let camera = try #require(published.first { $0.track.kind == .video })
                    #expect(camera.track.layers.map(\.rid) == ["q", "h", "f"])

                    // Bob hears of both tracks and gets an offer carrying them, named by Alice's sid.
                    guard case .subscribeOffer(let offer) = try await bob.next("subscribe_offer").message else { return }
                    let offerSDP = try SessionDescription.parse(offer.sdp)
                    #expect(offer.version >= 1)
                    #expect(offerSDP.isICELite)
                    let sections = offerSDP.mediaSections.filter { $0.effectiveDirection == .sendonly }
                    #expect(!sections.isEmpty)
                    #expect(sections.allSatisfy { $0.mediaStreamIDs.first?.streamID == joined.participant.sid })

                    // A stale answer version is refused, and the session carries on.
                    bob.send(.subscribeAnswer(SubscribeAnswer(sdp: "v=0", version: offer.version + 7)), id: 9)
                    guard case .error(let error) = try await bob.next("error").message else { return }
                    #expect(error.code == .invalidState && error.requestId == 9)

                    // Rows for both tracks in the store.
                    let tracks = try server.store.tracks(inRoom: "standup")
                    #expect(Set(tracks.map(\.trackID)) == Set(published.map(\.track.sid)))
                }
            }
        }
    }

    @Test func badMessagesGetTypedErrorsAndTheSessionGoesOn() async throws {
        try await SignalingTestServer.run { server, _ in
            try await server.connect("carol", canPublish: false) { carol in
                carol.sendRaw("this is not json")
                guard case .error(let notJSON) = try await carol.next("error").message else { return }
                #expect(notJSON.code == .badMessage)

                carol.send(.publishOffer(Self.publishRequest), id: 3)
                guard case .error(let early) = try await carol.next("error").message else { return }
                #expect(early.code == .invalidState && early.requestId == 3, "nothing but join before join")

                carol.send(Self.join, id: 4)
                _ = try await carol.next("joined")
                carol.send(Self.join, id: 5)
                guard case .error(let twice) = try await carol.next("error").message else { return }
                #expect(twice.code == .invalidState)

                carol.send(.publishOffer(Self.publishRequest), id: 6)
                guard case .error(let forbidden) = try await carol.next("error").message else { return }
                #expect(forbidden.code == .forbidden, "the token has no canPublish")

                carol.send(.publishOffer(PublishOffer(sdp: "garbage", tracks: [])), id: 7)
                guard case .error(let badSDP) = try await carol.next("error").message else { return }
                #expect(badSDP.code == .negotiationFailed && badSDP.requestId == 7)

                carol.send(.updateSubscription(SubscriptionUpdate(trackSid: "TR_nothing", subscribe: true)), id: 8)
                guard case .error(let unknown) = try await carol.next("error").message else { return }
                #expect(unknown.code == .notFound)

                carol.send(.ping(PingPayload(timestamp: 42)), id: 10)
                guard case .pong(let pong) = try await carol.next("pong").message else { return }
                #expect(pong.timestamp == 42)
            }
        }
    }

    @Test func oversizedAndTooFrequentMessagesAreRefused() async throws {
        let limits = SignalingLimits(maxMessageBytes: 1024, maxMessagesPerSecond: 1, messageBurst: 3)
        try await SignalingTestServer.run(limits: limits) { server, _ in
            try await server.connect("dave") { dave in
                dave.sendRaw(#"{"v":1,"type":"ping","data":{"timestamp":1},"pad":""# + String(repeating: "x", count: 2000) + #""}"#)
                guard case .error(let tooLarge) = try await dave.next("error").message else { return }
                #expect(tooLarge.code == .messageTooLarge)
                for stamp in 0..<6 { dave.send(.ping(PingPayload(timestamp: Int64(stamp)))) }
                guard case .error(let limited) = try await dave.next("error").message else { return }
                #expect(limited.code == .rateLimited)
            }
        }
    }

    @Test func aRESTKickEndsTheSessionWithLeaveKicked() async throws {
        try await SignalingTestServer.run { server, client in
            try await server.connect("erin") { erin in
                erin.send(Self.join, id: 1)
                _ = try await erin.next("joined")
                let admin = try await TestKeys.token(TestKeys.admin)
                try await client.call("/v1/rooms/standup/participants", .get, token: admin) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""identity":"erin""#))
                }
                try await client.call("/v1/rooms/standup/participants/erin", .delete, token: admin) { response in
                    #expect(response.status == .noContent)
                }
                guard case .leave(let leave) = try await erin.next("leave").message else { return }
                #expect(leave.reason == .kicked && !leave.canReconnect)
                try await client.call("/v1/rooms/standup/participants/erin", .delete, token: admin) { response in
                    #expect(response.status == .notFound)
                }
                let record = try #require(try server.store.participant(room: "standup", identity: "erin"))
                #expect(record.state == .left && record.leaveReason == "kicked")
            }
        }
    }
}

/// What the room's application changes over REST reaches the sessions.
@Suite(.serialized) struct SignalingRESTControlTests {
    @Test func renameMuteDataAndSubscriptionsFromTheApplication() async throws {
        try await SignalingTestServer.run { server, client in
            try await server.connect("bob") { bob in
                bob.send(SignalingSessionTests.join, id: 1)
                _ = try await bob.next("joined")
                try await server.connect("alice") { alice in
                    alice.send(SignalingSessionTests.join, id: 1)
                    _ = try await alice.next("joined")
                    alice.send(.publishOffer(SignalingSessionTests.publishRequest), id: 2)
                    _ = try await alice.next("publish_answer")
                    guard case .trackPublished(let published) = try await bob.next("track_published").message else { return }
                    let admin = try await TestKeys.token(TestKeys.admin)

                    try await client.call("/v1/rooms/standup/participants/alice", .patch, token: admin,
                                          json: #"{"name":"Alice B.","metadata":"{\"hand\":true}"}"#) { response in
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body).contains(#""name":"Alice B.""#))
                    }
                    guard case .participantUpdated(let updated) = try await bob.next("participant_updated").message else { return }
                    #expect(updated.participant.name == "Alice B." && updated.participant.metadata == #"{"hand":true}"#)
                    try await client.call("/v1/rooms/standup/participants/alice", .patch, token: admin,
                                          json: #"{"name":""}"#) { response in
                        #expect(response.status == .badRequest)
                    }

                    let sid = published.track.sid
                    try await client.call("/v1/rooms/standup/participants/alice/tracks/\(sid)/mute", .post, token: admin,
                                          json: #"{"muted":true}"#) { response in
                        #expect(response.status == .noContent)
                    }
                    guard case .trackMuted(let muted) = try await bob.next("track_muted").message else { return }
                    #expect(muted.trackSid == sid && muted.muted)
                    try await client.call("/v1/rooms/standup/participants/alice/tracks/TR_none/mute", .post, token: admin,
                                          json: #"{"muted":true}"#) { response in
                        #expect(response.status == .notFound)
                    }

                    try await client.call("/v1/rooms/standup/data", .post, token: admin,
                                          json: #"{"topic":"chat","payload":"hi","destinationIdentities":["bob"]}"#) { response in
                        #expect(response.status == .ok && String(buffer: response.body) == #"{"delivered":1}"#)
                    }
                    guard case .data(let data) = try await bob.next("data").message else { return }
                    #expect(data.topic == "chat" && data.payload == "hi")

                    try await client.call("/v1/rooms/standup/participants/bob/subscriptions", .post, token: admin,
                                          json: #"{"trackSids":["\#(sid)"],"subscribe":false}"#) { response in
                        #expect(response.status == .noContent)
                    }
                    try await client.call("/v1/rooms/standup/participants/nobody/subscriptions", .post, token: admin,
                                          json: #"{"trackSids":["\#(sid)"],"subscribe":false}"#) { response in
                        #expect(response.status == .notFound)
                    }
                    try await client.call("/v1/rooms/standup/participants/bob/subscriptions", .post, token: admin,
                                          json: #"{"trackSids":[],"subscribe":false}"#) { response in
                        #expect(response.status == .badRequest)
                    }

                    // A downlink cap for a present participant, lifted with null; a nonsense value
                    // or an absent participant is refused.
                    try await client.call("/v1/rooms/standup/participants/bob/downlink", .put, token: admin,
                                          json: #"{"maxBitrate":250000}"#) { response in
                        #expect(response.status == .noContent)
                    }
                    try await client.call("/v1/rooms/standup/participants/bob/downlink", .put, token: admin,
                                          json: #"{"maxBitrate":null}"#) { response in
                        #expect(response.status == .noContent)
                    }
                    try await client.call("/v1/rooms/standup/participants/bob/downlink", .put, token: admin,
                                          json: #"{"maxBitrate":5}"#) { response in
                        #expect(response.status == .badRequest)
                    }
                    try await client.call("/v1/rooms/standup/participants/nobody/downlink", .put, token: admin,
                                          json: #"{"maxBitrate":250000}"#) { response in
                        #expect(response.status == .notFound)
                    }
                }
            }
        }
    }
}
