import ICE
import Testing

private let iceChars = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

@Test func randomCredentialsHaveTheRFC8445LengthsAndAlphabet() {
    for _ in 0..<200 {
        let credentials = ICECredentials.random()
        #expect(credentials.usernameFragment.utf8.count == 8)
        #expect(credentials.password.utf8.count == 24)
        #expect(credentials.usernameFragment.utf8.allSatisfy { iceChars.contains($0) })
        #expect(credentials.password.utf8.allSatisfy { iceChars.contains($0) })
        #expect(credentials.isValid)
    }
}

@Test func randomCredentialsDifferAndUseTheWholeAlphabet() {
    let batch = (0..<1000).map { _ in ICECredentials.random() }
    #expect(Set(batch).count == 1000)
    #expect(Set(batch.map(\.usernameFragment)).count == 1000)
    // 24 000 draws from 64 characters: each should appear about 375 times.
    var counts: [UInt8: Int] = [:]
    for credentials in batch {
        for unit in credentials.password.utf8 { counts[unit, default: 0] += 1 }
    }
    #expect(Set(counts.keys) == iceChars)
    #expect(counts.values.allSatisfy { (250...500).contains($0) })
}

@Test(arguments: [
    ("abcd", "abcdefghijklmnopqrstuv", true),  // minimum lengths
    ("abc", "abcdefghijklmnopqrstuv", false),  // ufrag too short
    ("abcd", "abcdefghijklmnopqrstu", false),  // password too short
    ("ab:d", "abcdefghijklmnopqrstuv", false),  // ':' would break USERNAME
    ("abcd", "abcdefghijklmnopqrstu=", false),  // not an ice-char
    ("a+/9", "ABCDEFGHIJKLMNOPQRSTU/", true),
])
func credentialValidityFollowsRFC8445(ufrag: String, password: String, valid: Bool) {
    #expect(ICECredentials(usernameFragment: ufrag, password: password).isValid == valid)
}
