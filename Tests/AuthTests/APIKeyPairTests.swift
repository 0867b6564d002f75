import Auth
import Foundation
import Testing

@Test func generatedKeyIDsAreAPIFollowedByTwelveBase62Characters() throws {
    for _ in 0..<200 {
        let pair = APIKeyPair.generate()
        let id = Array(pair.keyID.unicodeScalars)
        #expect(id.count == 15)
        #expect(String(String.UnicodeScalarView(id.prefix(3))) == "API")
        #expect(id.dropFirst(3).allSatisfy { ("0"..."9").contains($0) || ("A"..."Z").contains($0) || ("a"..."z").contains($0) })
    }
}

@Test func generatedSecretsAre32RandomBytesAsUnpaddedBase64URL() throws {
    let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    for _ in 0..<200 {
        let secret = APIKeyPair.generate().secret
        #expect(secret.count == 43)
        #expect(secret.allSatisfy { alphabet.contains($0) })
        let decoded = try #require(base64URLDecode(secret))
        #expect(decoded.count == 32)
        // Re-encoding gives the same text: canonical base64url, no stray bits in the last character.
        #expect(base64URL(decoded) == secret)
    }
}

@Test func generatedKeysAreUnique() {
    let pairs = (0..<1000).map { _ in APIKeyPair.generate() }
    #expect(Set(pairs.map(\.keyID)).count == 1000)
    #expect(Set(pairs.map(\.secret)).count == 1000)
}

@Test func generatedKeysPassTheConfigurationChecks() throws {
    let pair = APIKeyPair.generate()
    let reparsed = try APIKeyPair(keyID: pair.keyID, secret: pair.secret)
    #expect(reparsed.keyID == pair.keyID)
    #expect(reparsed.secret == pair.secret)
}

/// A generator that always yields the same word: shows rejection sampling skips bytes ≥ 248
/// instead of folding them onto the first symbols.
struct ConstantGenerator: RandomNumberGenerator {
    var word: UInt64
    var calls = 0
    mutating func next() -> UInt64 {
        calls += 1
        // After 50 biased draws, switch to a byte that maps to "z" (61).
        return calls > 50 ? 0x3D3D_3D3D_3D3D_3D3D : word
    }
}

@Test func keyIDDrawsSkipBytesThatWouldBiasTheAlphabet() {
    var generator = ConstantGenerator(word: 0xFFFF_FFFF_FFFF_FFFF)
    let pair = APIKeyPair.generate(using: &generator)
    #expect(pair.keyID == "API" + String(repeating: "z", count: 12))
}

/// Twelve bytes 0x41 for the key id, then 0xF8 (which starts a secret with `-`) for the
/// secret's 32 bytes and six redraws of its first byte, then 0x41 again.
struct LeadingDashGenerator: RandomNumberGenerator {
    var calls = 0
    mutating func next() -> UInt64 {
        calls += 1
        return (13...50).contains(calls) ? 0xF8F8_F8F8_F8F8_F8F8 : 0x4141_4141_4141_4141
    }
}

@Test func generatedSecretsNeverStartWithADashSoTheyPassAsCommandLineValues() {
    var generator = LeadingDashGenerator()
    let pair = APIKeyPair.generate(using: &generator)
    // Only the first byte was redrawn, until it no longer encoded to `-`.
    #expect(pair.secret == base64URL(Data([0x41] + [UInt8](repeating: 0xF8, count: 31))))
    #expect(generator.calls == 51)
    for _ in 0..<2000 { #expect(!APIKeyPair.generate().secret.hasPrefix("-")) }
}

@Test func secretShorterThan32BytesIsRefused() {
    #expect(throws: APIKeyPairError.secretTooShort(bytes: 31, minimum: 32)) {
        try APIKeyPair(keyID: "APIkey", secret: String(repeating: "x", count: 31))
    }
    #expect(throws: Never.self) {
        try APIKeyPair(keyID: "APIkey", secret: String(repeating: "x", count: 32))
    }
}

@Test(arguments: ["", "API key", "API\tkey", "API\u{7F}", String(repeating: "k", count: 129)])
func badKeyIDsAreRefused(keyID: String) {
    #expect(throws: APIKeyPairError.self) {
        try APIKeyPair(keyID: keyID, secret: String(repeating: "x", count: 32))
    }
}

@Test func descriptionNeverShowsTheSecret() {
    let pair = APIKeyPair.generate()
    #expect(!pair.description.contains(pair.secret))
    #expect(!"\(pair)".contains(pair.secret))
    #expect(pair.description.contains(pair.keyID))
}

@Test func storeLooksUpPairsByKeyID() throws {
    let store = try APIKeyStore([keyA, keyB])
    #expect(store.pair(forKeyID: keyA.keyID)?.secret == keyA.secret)
    #expect(store.pair(forKeyID: keyB.keyID)?.secret == keyB.secret)
    #expect(store.pair(forKeyID: "APIcccccccccccc") == nil)
    #expect(store.keyIDs == [keyA.keyID, keyB.keyID])
    #expect(try APIKeyStore([]).isEmpty)
}

@Test func storeRefusesTwoPairsWithOneKeyID() throws {
    let twin = try APIKeyPair(keyID: keyA.keyID, secret: keyB.secret)
    #expect(throws: APIKeyPairError.duplicateKeyID(keyA.keyID)) {
        try APIKeyStore([keyA, twin])
    }
}
