import Auth
import Foundation
import JWTKit
import Testing

@Test func mintedTokenVerifiesWithEveryClaimAndGrant() async throws {
    let grants = VideoGrants(
        roomCreate: true, roomList: true, roomAdmin: true, roomJoin: true, room: "standup",
        canPublish: false, canSubscribe: true, canPublishData: false, hidden: true
    )
    let token = try await TokenIssuer(key: keyA).mint(
        identity: "alice", name: "Alice Liddell", metadata: #"{"role":"host"}"#, grants: grants,
        validFor: .seconds(3600), now: testNow.addingTimeInterval(0.75), tokenID: "tok-1"
    )
    let verified = try await verifier().verify(token, now: testNow.addingTimeInterval(5))

    #expect(verified.keyID == keyA.keyID)
    #expect(verified.identity == "alice")
    #expect(verified.name == "Alice Liddell")
    #expect(verified.metadata == #"{"role":"host"}"#)
    #expect(verified.grants == grants)
    #expect(verified.tokenID == "tok-1")
    // Whole seconds, rounded down from the minting time.
    #expect(verified.issuedAt == testNow)
    #expect(verified.notBefore == testNow)
    #expect(verified.expiresAt == testNow.addingTimeInterval(3600))
}

@Test func mintedTokenIsThreeSegmentsWithAnHS256HeaderAndNoKid() async throws {
    let token = try await TokenIssuer(key: keyA).mint(identity: "bob", grants: .join(room: "A"), validFor: .seconds(60), now: testNow)
    let segments = token.split(separator: ".", omittingEmptySubsequences: false)
    #expect(segments.count == 3)
    let header = try #require(base64URLDecode(String(segments[0])))
    let json = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
    #expect(json["alg"] as? String == "HS256")
    #expect(json["kid"] == nil)
    let payload = try #require(base64URLDecode(String(segments[1])))
    let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
    #expect(claims["iss"] as? String == keyA.keyID)
    #expect(claims["sub"] as? String == "bob")
    #expect(claims["exp"] as? Int == Int(testNow.timeIntervalSince1970) + 60)
    #expect(claims["name"] == nil)
    let video = try #require(claims["video"] as? [String: Any])
    #expect(video["room"] as? String == "A")
    #expect(video["roomJoin"] as? Bool == true)
}

@Test func mintedTokensGetDistinctRandomTokenIDs() async throws {
    let issuer = TokenIssuer(key: keyA)
    var ids: Set<String> = []
    for _ in 0..<20 {
        let token = try await issuer.mint(identity: "bob", grants: .join(room: "A"), validFor: .seconds(60), now: testNow)
        let verified = try await verifier().verify(token, now: testNow)
        let id = try #require(verified.tokenID)
        #expect(id.count == 16)
        ids.insert(id)
    }
    #expect(ids.count == 20)
}

@Test func eitherOfTwoConfiguredKeysVerifiesItsOwnTokens() async throws {
    let both = try verifier([keyA, keyB])
    for key in [keyA, keyB] {
        let token = try await TokenIssuer(key: key).mint(identity: "carol", grants: VideoGrants(roomList: true), validFor: .seconds(60), now: testNow)
        #expect(try await both.verify(token, now: testNow).keyID == key.keyID)
    }
}

@Test func mintRefusesAnEmptyIdentityAndOutOfRangeLifetimes() async {
    let issuer = TokenIssuer(key: keyA)
    await #expect(throws: TokenMintError.emptyIdentity) {
        try await issuer.mint(identity: "", grants: VideoGrants(), validFor: .seconds(60))
    }
    for lifetime: Duration in [.zero, .seconds(-5), .milliseconds(999), .seconds(367 * 24 * 3600)] {
        await #expect(throws: TokenMintError.lifetimeOutOfRange(lifetime)) {
            try await issuer.mint(identity: "dave", grants: VideoGrants(), validFor: lifetime)
        }
    }
}

@Test func fractionalNumericDatesFromOtherIssuersAreAccepted() async throws {
    // RFC 7519 §2: NumericDate may be non-integer. Hand-built, since Parley writes integers.
    struct FractionalClaims: JWTPayload {
        var iss = keyA.keyID
        var sub = "erin"
        var exp = testNow.timeIntervalSince1970 + 60.5
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
    let token = try await signed(FractionalClaims())
    let verified = try await verifier().verify(token, now: testNow)
    #expect(verified.expiresAt == testNow.addingTimeInterval(60))
    #expect(verified.grants == VideoGrants())
    #expect(verified.notBefore == nil)
}
