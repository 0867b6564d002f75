import Auth
import Foundation
import JWTKit
import Testing

private func mintForA(now: Date = testNow, validFor: Duration = .seconds(600)) async throws -> String {
    try await TokenIssuer(key: keyA).mint(identity: "alice", grants: .join(room: "A"), validFor: validFor, now: now, tokenID: "fixed")
}

@Test func tokenWhoseExpiryHasPassedIsExpired() async throws {
    let token = try await mintForA(now: testNow.addingTimeInterval(-3600))
    #expect(await rejection(token, by: try verifier()) == .expired)
}

@Test func tokenWhoseNotBeforeIsInTheFutureIsNotYetValid() async throws {
    let token = try await mintForA(now: testNow.addingTimeInterval(3600))
    #expect(await rejection(token, by: try verifier()) == .notYetValid)
}

@Test func tokenSignedWithAnotherSecretForTheSameKeyIDHasABadSignature() async throws {
    let impostor = try APIKeyPair(keyID: keyA.keyID, secret: keyB.secret)
    let token = try await TokenIssuer(key: impostor).mint(identity: "mallory", grants: .join(room: "A"), validFor: .seconds(60), now: testNow)
    #expect(await rejection(token, by: try verifier([keyA])) == .badSignature)
}

@Test func tokenFromAnUnconfiguredKeyIsUnknownKey() async throws {
    let token = try await TokenIssuer(key: keyB).mint(identity: "bob", grants: .join(room: "A"), validFor: .seconds(60), now: testNow)
    #expect(await rejection(token, by: try verifier([keyA])) == .unknownKey(keyB.keyID))
}

@Test func kidHeaderCannotRedirectVerificationToAnotherKey() async throws {
    // Holder of key B signs a token claiming to be from A and points `kid` at B.
    var header = JWTHeader()
    header.kid = keyB.keyID
    let token = try await signed(LooseClaims.valid(iss: keyA.keyID), secret: keyB.secret, header: header)
    #expect(await rejection(token, by: try verifier([keyA, keyB])) == .badSignature)
}

@Test func flippingTheMiddleCharacterOfThePayloadIsRejected() async throws {
    let token = try await mintForA()
    var segments = token.split(separator: ".", omittingEmptySubsequences: false).map { Array($0) }
    let middle = segments[1].count / 2
    segments[1][middle] = segments[1][middle] == "A" ? "B" : "A"
    let tampered = segments.map { String($0) }.joined(separator: ".")
    #expect(tampered != token)
    let error = await rejection(tampered, by: try verifier())
    #expect(error == .badSignature || error == .malformed)
}

@Test func noSingleCharacterChangeAnywhereInTheTokenIsAccepted() async throws {
    let token = Array(try await mintForA())
    let check = try verifier()
    for index in token.indices where token[index] != "." {
        var tampered = token
        tampered[index] = token[index] == "A" ? "B" : "A"
        let error = await rejection(String(tampered), by: check)
        #expect(error != nil, "change at \(index) was accepted")
    }
}

@Test func everyTruncationOfAValidTokenIsRejected() async throws {
    let token = Array(try await mintForA())
    let check = try verifier()
    for length in 0..<token.count {
        #expect(await rejection(String(token[..<length]), by: check) != nil, "prefix of \(length) accepted")
    }
}

@Test(arguments: ["none", "None", "NONE", "nOnE"])
func unsignedAlgNoneTokenIsRejected(alg: String) async throws {
    let now = Int(testNow.timeIntervalSince1970)
    let header = base64URL(#"{"alg":"\#(alg)","typ":"JWT"}"#)
    let payload = base64URL(#"{"iss":"\#(keyA.keyID)","sub":"mallory","exp":\#(now + 600),"video":{"roomJoin":true,"room":"A"}}"#)
    let check = try verifier()
    // RFC 7519 §6.1: an unsecured JWT has an empty signature; try with and without one.
    #expect(await rejection("\(header).\(payload).", by: check) == .unsupportedAlgorithm(alg))
    #expect(await rejection("\(header).\(payload).c2ln", by: check) == .unsupportedAlgorithm(alg))
}

@Test func tokenSignedWithHS512IsUnsupportedAlgorithm() async throws {
    // jwt-kit asserts an HS512 key is at least 64 bytes, hence the doubled secret.
    let token = try await signed(LooseClaims.valid(), secret: keyA.secret + keyA.secret, digest: .sha512)
    #expect(await rejection(token, by: try verifier()) == .unsupportedAlgorithm("HS512"))
}

@Test(arguments: ["RS256", "ES256", "PS256", "EdDSA", "HS384", "hs256", "HS256 ", ""])
func headerNamingAnyOtherAlgorithmIsUnsupported(alg: String) async throws {
    // Signed with the right HS256 secret; only the header's claim about the algorithm differs
    // (the classic RS256→HS256 key-confusion shape).
    var header = JWTHeader()
    header.alg = alg
    let token = try await signed(LooseClaims.valid(), header: header)
    #expect(await rejection(token, by: try verifier()) == .unsupportedAlgorithm(alg))
}

@Test func headerWithoutAlgIsMalformed() async throws {
    let good = try await mintForA()
    let parts = good.split(separator: ".", omittingEmptySubsequences: false)
    let token = base64URL(#"{"typ":"JWT"}"#) + "." + parts[1] + "." + parts[2]
    #expect(await rejection(token, by: try verifier()) == .malformed)
}

@Test func critHeaderIsMalformed() async throws {
    var header = JWTHeader()
    header.crit = ["exp"]
    let token = try await signed(LooseClaims.valid(), header: header)
    #expect(await rejection(token, by: try verifier()) == .malformed)
}

@Test func tokenWithoutSubIsMissingClaim() async throws {
    var claims = LooseClaims.valid()
    claims.sub = nil
    #expect(await rejection(try await signed(claims), by: try verifier()) == .missingClaim("sub"))
    claims.sub = ""
    #expect(await rejection(try await signed(claims), by: try verifier()) == .missingClaim("sub"))
}

@Test func tokenWithoutIssOrExpIsMissingClaim() async throws {
    var noIssuer = LooseClaims.valid()
    noIssuer.iss = nil
    #expect(await rejection(try await signed(noIssuer), by: try verifier()) == .missingClaim("iss"))
    var noExpiry = LooseClaims.valid()
    noExpiry.exp = nil
    #expect(await rejection(try await signed(noExpiry), by: try verifier()) == .missingClaim("exp"))
}

@Test func claimOfTheWrongJSONTypeIsMalformed() async throws {
    struct NumericSubject: JWTPayload {
        var iss = keyA.keyID
        var sub = 42
        var exp = Int(testNow.timeIntervalSince1970) + 600
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
    struct StringGrant: JWTPayload {
        var iss = keyA.keyID
        var sub = "alice"
        var exp = Int(testNow.timeIntervalSince1970) + 600
        var video = ["roomJoin": "yes"]
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
    #expect(await rejection(try await signed(NumericSubject()), by: try verifier()) == .malformed)
    #expect(await rejection(try await signed(StringGrant()), by: try verifier()) == .malformed)
}

@Test(arguments: [
    "", ".", "..", "...", "a.b", "a.b.c.d", "not a token", "eyJ.eyJ.sig",
    "!!!.!!!.!!!", "e30.e30.", "W10.e30.", "e30.W10.",
])
func garbageIsMalformed(token: String) async throws {
    #expect(await rejection(token, by: try verifier()) == .malformed)
}

@Test func tokenLongerThanTheCapIsMalformedBeforeDecoding() async throws {
    var claims = LooseClaims.valid()
    claims.name = String(repeating: "n", count: TokenVerifier.maximumTokenBytes)
    #expect(await rejection(try await signed(claims), by: try verifier()) == .malformed)
}

@Test func expiryIsHonouredUpToTheLeewayAndNotAtIt() async throws {
    let token = try await mintForA(validFor: .seconds(600))
    let expiry = testNow.addingTimeInterval(600)
    let check = try verifier(leeway: .seconds(10))
    #expect(await rejection(token, by: check, at: expiry.addingTimeInterval(9.999)) == nil)
    #expect(await rejection(token, by: check, at: expiry.addingTimeInterval(10)) == .expired)
    // Without leeway, RFC 7519 §4.1.4: "on or after" the expiry it is refused.
    let strict = try verifier(leeway: .zero)
    #expect(await rejection(token, by: strict, at: expiry.addingTimeInterval(-0.001)) == nil)
    #expect(await rejection(token, by: strict, at: expiry) == .expired)
}

@Test func notBeforeIsHonouredDownToTheLeeway() async throws {
    let token = try await mintForA(now: testNow, validFor: .seconds(600))
    let check = try verifier(leeway: .seconds(10))
    #expect(await rejection(token, by: check, at: testNow.addingTimeInterval(-10)) == nil)
    #expect(await rejection(token, by: check, at: testNow.addingTimeInterval(-10.001)) == .notYetValid)
    let strict = try verifier(leeway: .zero)
    #expect(await rejection(token, by: strict, at: testNow) == nil)
    #expect(await rejection(token, by: strict, at: testNow.addingTimeInterval(-0.001)) == .notYetValid)
}

@Test func everyVerificationFailureIs401() {
    let failures: [AuthError] = [
        .malformed, .unknownKey("k"), .badSignature, .expired, .notYetValid,
        .missingClaim("sub"), .unsupportedAlgorithm("none"),
    ]
    #expect(failures.allSatisfy { $0.httpStatus == 401 })
    #expect(AuthError.forbidden(grant: "roomJoin", room: "A").httpStatus == 403)
}

@Test func signatureWithNonZeroPaddingBitsIsRejected() async throws {
    // The 43rd character of an HS256 signature carries 2 unused bits; setting one gives a
    // different token string that a lenient base64 decoder would read as the same bytes.
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    var token = Array(try await mintForA())
    let last = try #require(token.last)
    let value = try #require(alphabet.firstIndex(of: last))
    #expect(value % 4 == 0, "issuer must write canonical base64url")
    token[token.count - 1] = alphabet[value | 1]
    #expect(await rejection(String(token), by: try verifier()) == .malformed)
}
