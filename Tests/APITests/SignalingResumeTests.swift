import API
import DTLS
import Foundation
import SDP
import SFU
import Signaling
import Testing

/// Dropped sockets, resume within the grace period, ICE restarts, timeouts and revoked
/// permissions, against a real in-process server (docs/signaling.md, "Reconnecting and resuming").
@Suite(.serialized) struct SignalingResumeTests {
    typealias Session = SignalingSessionTests

    static func resume(_ joined: JoinedPayload) -> ClientMessage {
        .join(JoinRequest(client: ClientInfo(sdk: "test", sdkVersion: "1"),
                          resume: ResumeRequest(participantSid: joined.participant.sid,
                                                reconnectToken: joined.reconnectToken)))
    }

    /// The ICE credentials every section of `sdp` carries (they are bundled, so one pair).
    static func iceCredentials(_ sdp: String) throws -> String {
        let description = try SessionDescription.parse(sdp)
        let section = try #require(description.mediaSections.first)
        let credentials = try #require(description.effectiveICECredentials(of: section))
        return credentials.usernameFragment + ":" + credentials.password
    }

    /// What a browser would answer to a subscriber offer, with the given ICE credentials.
    static func subscriberAnswer(to offer: SubscribeOffer, ufrag: String) throws -> ClientMessage {
        let options = SDPAnswerOptions(
            iceCredentials: SDPICECredentials(usernameFragment: ufrag, password: "browserPasswordIs22char"),
            fingerprint: SDPFingerprint(try DTLSCertificate.generateSelfSigned().fingerprint), candidates: [],
            codecs: [.opus, .vp8], acceptSimulcast: false)
        let answer = try SDPAnswerer.answer(to: try SessionDescription.parse(offer.sdp), options: options).answer
        return .subscribeAnswer(SubscribeAnswer(sdp: answer.serialized(), version: offer.version))
    }

    /// Alice publishes; Bob is subscribed to her tracks and answered the first offer.
    private static func meeting(_ server: SignalingTestServer, body: @Sendable (SignalingTestSocket, JoinedPayload, SubscribeOffer) async throws -> Void) async throws {
        try await server.connect("alice") { alice in
            alice.send(Session.join, id: 1)
            _ = try await alice.next("joined")
            alice.send(.publishOffer(Session.publishRequest), id: 2)
            _ = try await alice.next("publish_answer")
            let bob = try await server.open("bob")
            bob.send(Session.join, id: 1)
            guard case .joined(let joined) = try await bob.next("joined").message,
                  case .subscribeOffer(let offer) = try await bob.next("subscribe_offer").message else {
                Issue.record("bob did not join")
                return
            }
            bob.send(try subscriberAnswer(to: offer, ufrag: "bob1"), id: 2)
            try await body(alice, joined, offer)
        }
    }

    @Test func aDroppedSocketResumesAsTheSameParticipantAndTheServerRestartsICE() async throws {
        try await SignalingTestServer.run { server, _ in
            try await Self.meeting(server) { alice, bobJoined, firstOffer in
                // Bob's socket drops without `leave`: he stays in the meeting, suspended.
                try await server.closeSocket(of: "bob")
                try await Task.sleep(for: .milliseconds(1500))
                #expect(await server.meetings.participants(inRoom: "standup") == ["alice", "bob"])

                let bob = try await server.open("bob")
                bob.send(Self.resume(bobJoined), id: 5)
                let reply = try await bob.next("joined")
                guard case .joined(let resumed) = reply.message else { return }
                #expect(reply.id == 5)
                #expect(resumed.resumed)
                #expect(resumed.participant.sid == bobJoined.participant.sid, "the same participant")
                #expect(resumed.reconnectToken != bobJoined.reconnectToken, "a reconnect token works once")
                #expect(resumed.participants.map(\.identity) == ["alice"])
                #expect(resumed.participants.first?.tracks.count == 2, "Alice's tracks are still published")

                // The subscriber connection restarts ICE: every section again, new server credentials.
                guard case .subscribeOffer(let restart) = try await bob.next("subscribe_offer").message else { return }
                #expect(restart.version > firstOffer.version)
                #expect(try Self.iceCredentials(restart.sdp) != Self.iceCredentials(firstOffer.sdp))
                let sections = try SessionDescription.parse(restart.sdp).mediaSections
                #expect(sections.filter { $0.effectiveDirection == .sendonly }.count == 2)
                bob.send(try Self.subscriberAnswer(to: restart, ufrag: "bob2"), id: 6)

                // The session is live on the new socket.
                bob.send(.ping(PingPayload(timestamp: 42)), id: 7)
                #expect(try await bob.next("pong").id == 7)

                // The old reconnect token is spent.
                let replay = try await server.open("bob", key: "bob-replay")
                replay.send(Self.resume(bobJoined), id: 1)
                guard case .error(let refused) = try await replay.next("error").message else { return }
                #expect(refused.code == .resumeFailed && refused.requestId == 1)

                // Another identity cannot take Bob's session over, even with his current token.
                let mallory = try await server.open("mallory")
                mallory.send(Self.resume(resumed), id: 1)
                guard case .error(let stolen) = try await mallory.next("error").message else { return }
                #expect(stolen.code == .resumeFailed)

                // Nobody saw Bob leave.
                alice.send(.ping(PingPayload(timestamp: 1)), id: 9)
                _ = try await alice.next("pong")
                #expect(await server.meetings.participants(inRoom: "standup") == ["alice", "bob"])
            }
        }
    }

    @Test func afterTheGracePeriodTheParticipantIsGoneAndResumeFails() async throws {
        var limits = SignalingLimits.default
        limits.resumeGracePeriodSeconds = 1
        try await SignalingTestServer.run(limits: limits) { server, _ in
            try await server.connect("alice") { alice in
                alice.send(Session.join, id: 1)
                _ = try await alice.next("joined")
                let bob = try await server.open("bob")
                bob.send(Session.join, id: 1)
                guard case .joined(let bobJoined) = try await bob.next("joined").message else { return }
                try await server.closeSocket(of: "bob")

                guard case .participantLeft(let left) = try await alice.next("participant_left", timeout: .seconds(5)).message
                else { return }
                #expect(left.sid == bobJoined.participant.sid && left.reason == .connectionLost)

                let late = try await server.open("bob")
                late.send(Self.resume(bobJoined), id: 3)
                guard case .error(let refused) = try await late.next("error").message else { return }
                #expect(refused.code == .resumeFailed && refused.requestId == 3)
                // The refused socket is still usable for a fresh join, with a new sid.
                late.send(Session.join, id: 4)
                guard case .joined(let fresh) = try await late.next("joined").message else { return }
                #expect(!fresh.resumed && fresh.participant.sid != bobJoined.participant.sid)
            }
        }
    }

    @Test func aPublisherICERestartGetsNewServerCredentialsAndKeepsTheTracks() async throws {
        try await SignalingTestServer.run { server, _ in
            try await Self.meeting(server) { alice, _, _ in
                // Alice answered nothing yet on her subscriber side; her publisher restarts ICE.
                let first = try await server.open("carol")
                first.send(Session.join, id: 1)
                _ = try await first.next("joined")
                first.send(.publishOffer(Session.publishRequest), id: 2)
                guard case .publishAnswer(let before) = try await first.next("publish_answer").message else { return }
                let restartedSDP = Session.chromiumOffer
                    .replacingOccurrences(of: "a=ice-ufrag:cGBx", with: "a=ice-ufrag:rst9")
                    .replacingOccurrences(of: "a=ice-pwd:0JgBQUPlRi1Wmfdaa+9KzaDu", with: "a=ice-pwd:restartedPasswordFor22ch")
                first.send(.publishOffer(PublishOffer(sdp: restartedSDP, tracks: [])), id: 3)
                let reply = try await first.next("publish_answer")
                guard case .publishAnswer(let after) = reply.message else { return }
                #expect(reply.id == 3)
                #expect(try Self.iceCredentials(after.sdp) != Self.iceCredentials(before.sdp))
                // The same offer again is no restart: the credentials stay.
                first.send(.publishOffer(PublishOffer(sdp: restartedSDP, tracks: [])), id: 4)
                guard case .publishAnswer(let again) = try await first.next("publish_answer").message else { return }
                #expect(try Self.iceCredentials(again.sdp) == Self.iceCredentials(after.sdp))

                // Carol's tracks survived the restart: Alice still sees them, none unpublished.
                alice.send(.ping(PingPayload(timestamp: 1)), id: 8)
                _ = try await alice.next("pong")
                let tracks = try server.store.tracks(inRoom: "standup").filter { $0.participantIdentity == "carol" }
                #expect(tracks.count == 2 && tracks.allSatisfy { $0.unpublishedAt == nil })
            }
        }
    }

    @Test func aSocketThatNeverJoinsIsClosedAfterTheJoinTimeout() async throws {
        var limits = SignalingLimits.default
        limits.joinTimeoutSeconds = 1
        try await SignalingTestServer.run(limits: limits) { server, _ in
            let idle = try await server.open("idle")
            guard case .error(let error) = try await idle.next("error", timeout: .seconds(5)).message else { return }
            #expect(error.code == .invalidState && error.message.contains("join"))
            #expect(try await idle.waitUntilClosed(timeout: .seconds(5)), "the server closes the socket")
        }
    }

    @Test func revokingPublishAndSubscribeEndsTracksAndSubscriptions() async throws {
        try await SignalingTestServer.run { server, _ in
            try await Self.meeting(server) { alice, _, firstOffer in
                let bob = try server.socket(of: "bob")
                #expect(await server.meetings.updateParticipant(
                    "bob", inRoom: "standup", displayName: nil, metadata: nil,
                    permissions: ParticipantPermissions(canPublish: true, canSubscribe: false, canUpdateMetadata: false)))
                // Bob's subscriber connection drops Alice's tracks.
                guard case .subscribeOffer(let offer) = try await bob.next("subscribe_offer").message else { return }
                #expect(offer.version > firstOffer.version)
                let sections = try SessionDescription.parse(offer.sdp).mediaSections
                #expect(sections.allSatisfy { $0.effectiveDirection == .inactive })

                #expect(await server.meetings.updateParticipant(
                    "alice", inRoom: "standup", displayName: nil, metadata: nil,
                    permissions: ParticipantPermissions(canPublish: false, canSubscribe: true, canUpdateMetadata: false)))
                var unpublished: Set<String> = []
                for _ in 0..<2 {
                    guard case .trackUnpublished(let gone) = try await alice.next("track_unpublished").message else { return }
                    unpublished.insert(gone.trackSid)
                }
                #expect(unpublished.count == 2)
                let tracks = try server.store.tracks(inRoom: "standup", activeOnly: false)
                    .filter { $0.participantIdentity == "alice" }
                #expect(tracks.count == 2 && tracks.allSatisfy { $0.unpublishedAt != nil })
                // Re-offering the same sections does not publish them again.
                alice.send(.publishOffer(PublishOffer(sdp: Session.chromiumOffer, tracks: [])), id: 7)
                _ = try await alice.next("publish_answer")
                #expect(try server.store.tracks(inRoom: "standup").isEmpty)
            }
        }
    }

    @Test func aSilentSocketCountsAsDroppedAfterThePingTimeout() async throws {
        var limits = SignalingLimits.default
        limits.pingTimeoutSeconds = 1
        limits.resumeGracePeriodSeconds = 1
        try await SignalingTestServer.run(limits: limits) { server, _ in
            let alice = try await server.open("alice")
            alice.send(Session.join, id: 1)
            _ = try await alice.next("joined")
            let bob = try await server.open("bob")
            bob.send(Session.join, id: 1)
            guard case .joined(let bobJoined) = try await bob.next("joined").message else { return }
            // Alice keeps pinging; Bob says nothing.
            let pinger = Task {
                for tick in 0..<20 {
                    alice.send(.ping(PingPayload(timestamp: Int64(tick))))
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            defer { pinger.cancel() }
            #expect(try await bob.waitUntilClosed(timeout: .seconds(5)), "the server closes the silent socket")
            guard case .participantLeft(let left) = try await alice.next("participant_left", timeout: .seconds(5)).message
            else { return }
            #expect(left.sid == bobJoined.participant.sid && left.reason == .connectionLost)
            #expect(await server.meetings.participants(inRoom: "standup") == ["alice"], "the pinging one stays")
        }
    }

    @Test func joiningWhileTheLastParticipantLeavesLandsInALiveMeeting() async throws {
        try await SignalingTestServer.run { server, _ in
            for round in 0..<8 {
                let leaving = try await server.open("leaving\(round)")
                leaving.send(Session.join, id: 1)
                _ = try await leaving.next("joined")
                let arriving = try await server.open("arriving\(round)")
                // The room empties (and its meeting closes) while the next participant joins.
                leaving.send(.leave(ClientLeave()))
                arriving.send(Session.join, id: 1)
                _ = try await arriving.next("joined")
                let check = try await server.open("check\(round)")
                check.send(Session.join, id: 1)
                guard case .joined(let joined) = try await check.next("joined").message else { return }
                #expect(joined.participants.map(\.identity) == ["arriving\(round)"],
                        "the newcomer is in the same, live meeting (round \(round))")
                arriving.send(.leave(ClientLeave()))
                check.send(.leave(ClientLeave()))
                #expect(try await arriving.waitUntilClosed(timeout: .seconds(5)))
                #expect(try await check.waitUntilClosed(timeout: .seconds(5)))
            }
        }
    }

    @Test func firstJoinsAtTheSameMomentShareOneMeeting() async throws {
        try await SignalingTestServer.run { server, _ in
            var sockets: [SignalingTestSocket] = []
            for index in 0..<4 { sockets.append(try await server.open("early\(index)")) }
            for socket in sockets { socket.send(Session.join, id: 1) }
            for socket in sockets { _ = try await socket.next("joined") }
            let late = try await server.open("late")
            late.send(Session.join, id: 1)
            guard case .joined(let joined) = try await late.next("joined").message else { return }
            #expect(Set(joined.participants.map(\.identity)) == ["early0", "early1", "early2", "early3"])
        }
    }
}
