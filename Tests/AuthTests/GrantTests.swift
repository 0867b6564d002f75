import Auth
import Foundation
import Testing

private func token(_ grants: VideoGrants) -> VerifiedToken {
    VerifiedToken(keyID: keyA.keyID, identity: "alice", grants: grants, expiresAt: testNow.addingTimeInterval(60))
}

@Test func joinGrantForRoomAIsForbiddenInRoomB() async throws {
    let minted = try await TokenIssuer(key: keyA).mint(identity: "alice", grants: .join(room: "A"), validFor: .seconds(60), now: testNow)
    let verified = try await verifier().verify(minted, now: testNow)
    #expect(throws: Never.self) { try verified.require(.roomJoin, room: "A") }
    #expect(throws: AuthError.forbidden(grant: "roomJoin", room: "B")) {
        try verified.require(.roomJoin, room: "B")
    }
    #expect(throws: AuthError.forbidden(grant: "roomJoin", room: "a")) {
        try verified.require(.roomJoin, room: "a")
    }
}

@Test func joinGrantDefaultsToPublishSubscribeAndDataAsLiveKitDoes() throws {
    let joined = VideoGrants(roomJoin: true, room: "A")
    #expect(joined.canPublish && joined.canSubscribe && joined.canPublishData)
    #expect(!joined.hidden && !joined.roomAdmin && !joined.roomCreate && !joined.roomList)
    let notJoined = VideoGrants(roomList: true)
    #expect(!notJoined.canPublish && !notJoined.canSubscribe && !notJoined.canPublishData)
    let viewer = VideoGrants(roomJoin: true, room: "A", canPublish: false)
    #expect(!viewer.canPublish && viewer.canSubscribe && viewer.canPublishData)
}

@Test func absentFlagsInTheVideoClaimFollowTheSameDefaults() throws {
    let decoder = JSONDecoder()
    let joined = try decoder.decode(VideoGrants.self, from: Data(#"{"roomJoin":true,"room":"A"}"#.utf8))
    #expect(joined == VideoGrants(roomJoin: true, room: "A", canPublish: true, canSubscribe: true, canPublishData: true))
    let viewer = try decoder.decode(VideoGrants.self, from: Data(#"{"roomJoin":true,"room":"A","canPublish":false}"#.utf8))
    #expect(!viewer.canPublish && viewer.canSubscribe)
    let empty = try decoder.decode(VideoGrants.self, from: Data("{}".utf8))
    #expect(empty == VideoGrants())
    #expect(!empty.canPublish)
}

@Test(arguments: [
    VideoGrants(),
    VideoGrants(roomJoin: true, room: "A"),
    VideoGrants(roomCreate: true, roomList: true, roomAdmin: true, roomJoin: false, room: "A",
                canPublish: true, canSubscribe: false, canPublishData: true, hidden: true),
])
func videoGrantsSurviveJSONRoundTrip(grants: VideoGrants) throws {
    let data = try JSONEncoder().encode(grants)
    #expect(try JSONDecoder().decode(VideoGrants.self, from: data) == grants)
}

@Test func viewerTokenMayJoinAndSubscribeButNotPublish() throws {
    let viewer = token(VideoGrants(roomJoin: true, room: "A", canPublish: false, canPublishData: false))
    #expect(throws: Never.self) {
        try viewer.require(.roomJoin, room: "A")
        try viewer.require(.canSubscribe, room: "A")
    }
    #expect(throws: AuthError.forbidden(grant: "canPublish", room: "A")) { try viewer.require(.canPublish, room: "A") }
    #expect(throws: AuthError.forbidden(grant: "canPublishData", room: "A")) { try viewer.require(.canPublishData, room: "A") }
}

@Test func publishFlagsNeedTheJoinGrant() {
    // Flags set explicitly but without roomJoin: publishing happens inside a joined room.
    let admin = token(VideoGrants(roomAdmin: true, room: "A", canPublish: true, canSubscribe: true))
    #expect(throws: AuthError.forbidden(grant: "canPublish", room: "A")) { try admin.require(.canPublish, room: "A") }
    #expect(throws: AuthError.forbidden(grant: "roomJoin", room: "A")) { try admin.require(.roomJoin, room: "A") }
    #expect(throws: Never.self) { try admin.require(.roomAdmin, room: "A") }
    #expect(throws: AuthError.forbidden(grant: "roomAdmin", room: "B")) { try admin.require(.roomAdmin, room: "B") }
}

@Test func roomScopedGrantWithoutARoomHoldsForNoRoom() {
    let unscoped = token(VideoGrants(roomAdmin: true, roomJoin: true))
    for grant in RoomGrant.allCases {
        #expect(throws: AuthError.forbidden(grant: grant.rawValue, room: "A")) { try unscoped.require(grant, room: "A") }
    }
}

@Test func serverGrantsAreCheckedWithoutARoom() {
    let lister = token(VideoGrants(roomList: true))
    #expect(throws: Never.self) { try lister.require(.roomList) }
    #expect(throws: AuthError.forbidden(grant: "roomCreate", room: nil)) { try lister.require(.roomCreate) }
    let joiner = token(.join(room: "A"))
    for grant in ServerGrant.allCases {
        #expect(throws: AuthError.forbidden(grant: grant.rawValue, room: nil)) { try joiner.require(grant) }
    }
}

@Test func tokenWithoutVideoClaimHasNoGrants() async throws {
    var claims = LooseClaims.valid()
    claims.video = nil
    let verified = try await verifier().verify(try await signed(claims), now: testNow)
    #expect(verified.grants == VideoGrants())
    #expect(throws: AuthError.forbidden(grant: "roomJoin", room: "A")) { try verified.require(.roomJoin, room: "A") }
}
