import ICE
import Testing

private typealias F = ICEAgentFixtures

private func makePair(remoteKnown: Bool = true, now: ContinuousClock.Instant) -> (ICEControllingAgent, ICELiteAgent) {
    let client = ICEControllingAgent(local: F.client, remote: F.server, tieBreaker: 0x0102_0304_0506_0708)
    let lite = ICELiteAgent(local: F.server, remote: remoteKnown ? F.client : nil, now: now)
    return (client, lite)
}

/// Writes a Binding request by hand, for the cases the controlling agent never produces.
private func handmadeRequest(
    username: String?, key: String?, role: STUNICERole = .controlling(tieBreaker: 7),
    extraAttribute: STUNAttributeType? = nil, transactionID: STUNTransactionID = .random()
) throws -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 512)
    let length = try buffer.withUnsafeMutableBytes { raw throws(STUNBuildError) -> Int in
        var writer = try STUNMessageWriter(into: raw, type: .bindingRequest, transactionID: transactionID)
        if let username { try writer.appendUsername(username) }
        try writer.appendPriority(0x6E00_1EFF)
        try writer.appendRole(role)
        if let extraAttribute {
            try writer.appendAttribute(extraAttribute, valueLength: 4) { $0.storeBytes(of: UInt32(0xDEAD_BEEF), as: UInt32.self) }
        }
        if let key { try writer.appendMessageIntegrity(key: Array(key.utf8)) }
        try writer.appendFingerprint()
        return writer.count
    }
    return Array(buffer[0..<length])
}

@Test func nominatingCheckSelectsTheSourceAddressAndTheClientLearnsItsMappedAddress() throws {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    let result = exchangeCheck(client, against: lite, nominate: true, at: start)
    guard case .respond(let length, let changed) = result.liteOutcome else {
        Issue.record("expected a success response, got \(result.liteOutcome)")
        return
    }
    #expect(changed)
    #expect(lite.selectedAddress == F.clientAddress)
    #expect(lite.isValidated(F.clientAddress))

    let response = try #require(result.response)
    #expect(response.count == length)
    let parsed = try STUNMessage(parsing: response)
    #expect(parsed.type == .bindingSuccessResponse)
    #expect(parsed.transactionID == (try STUNMessage(parsing: result.request)).transactionID)
    #expect(parsed.xorMappedAddress == F.clientAddress)
    #expect(parsed.verifyMessageIntegrity(key: Array(F.server.password.utf8), in: response))
    #expect(parsed.verifyFingerprint(in: response))

    #expect(!client.isNominated)
    #expect(client.handleResponse(response, now: start) == .success(mappedAddress: F.clientAddress))
    #expect(client.isNominated)
}

@Test func repeatedNominationFromTheSameAddressDoesNotReportAChange() {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    _ = exchangeCheck(client, against: lite, nominate: true, at: start)
    let again = exchangeCheck(client, against: lite, nominate: true, at: start.addingSeconds(1))
    guard case .respond(_, let changed) = again.liteOutcome else {
        Issue.record("expected a success response, got \(again.liteOutcome)")
        return
    }
    #expect(!changed)
    #expect(lite.selectedAddress == F.clientAddress)
}

@Test func nominationFromAnotherAddressMovesTheSelectedAddress() throws {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    _ = exchangeCheck(client, against: lite, nominate: true, from: F.clientAddress, at: start)
    // Network change: the same client now checks from a new address.
    let moved = exchangeCheck(client, against: lite, nominate: true, from: F.otherAddress, at: start.addingSeconds(2))
    guard case .respond(_, let changed) = moved.liteOutcome else {
        Issue.record("expected a success response, got \(moved.liteOutcome)")
        return
    }
    #expect(changed)
    #expect(lite.selectedAddress == F.otherAddress)
    let response = try #require(moved.response)
    #expect(try STUNMessage(parsing: response).xorMappedAddress == F.otherAddress)
    #expect(client.handleResponse(response, now: start.addingSeconds(2)) == .success(mappedAddress: F.otherAddress))
}

@Test func nonNominatingCheckValidatesButDoesNotSelect() {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    let result = exchangeCheck(client, against: lite, nominate: false, from: F.ipv6Address, at: start)
    #expect(result.liteOutcome == .respond(length: result.response?.count ?? -1, selectedAddressChanged: false))
    #expect(lite.selectedAddress == nil)
    #expect(lite.isValidated(F.ipv6Address))
    #expect(!lite.isValidated(F.clientAddress))
    if let response = result.response {
        #expect(client.handleResponse(response, now: start) == .success(mappedAddress: F.ipv6Address))
    }
    #expect(!client.isNominated)
}

@Test func checkWithWrongPasswordIsDroppedSilently() {
    let start = ContinuousClock.now
    let wrongServer = ICECredentials(usernameFragment: F.server.usernameFragment, password: "notTheServerPassword1234")
    let client = ICEControllingAgent(local: F.client, remote: wrongServer)
    let lite = ICELiteAgent(local: F.server, remote: F.client, now: start)
    let result = exchangeCheck(client, against: lite, nominate: true, at: start)
    #expect(result.liteOutcome == .drop(.badMessageIntegrity))
    #expect(result.response == nil)
    #expect(lite.selectedAddress == nil)
    #expect(!lite.isValidated(F.clientAddress))
}

@Test(arguments: [
    ("otherUfr", F.client.usernameFragment),  // addressed to another agent
    (F.server.usernameFragment, "intruder"),  // from someone other than the signalled peer
])
func checkWithWrongUsernameIsDropped(localPart: String, remotePart: String) throws {
    let start = ContinuousClock.now
    let lite = ICELiteAgent(local: F.server, remote: F.client, now: start)
    let request = try handmadeRequest(username: "\(localPart):\(remotePart)", key: F.server.password)
    #expect(lite.handle(request, from: F.clientAddress, now: start).0 == .drop(.wrongUsername))
    #expect(!lite.isValidated(F.clientAddress))
}

@Test func controllingAgentWithWrongRemoteUfragIsDropped() {
    let start = ContinuousClock.now
    let wrongServer = ICECredentials(usernameFragment: "wrongUfr", password: F.server.password)
    let client = ICEControllingAgent(local: F.client, remote: wrongServer)
    let lite = ICELiteAgent(local: F.server, remote: F.client, now: start)
    #expect(exchangeCheck(client, against: lite, nominate: true, at: start).liteOutcome == .drop(.wrongUsername))
}

@Test func usernameWithoutColonIsDropped() throws {
    let lite = ICELiteAgent(local: F.server, remote: nil)
    let request = try handmadeRequest(username: F.server.usernameFragment, key: F.server.password)
    #expect(lite.handle(request, from: F.clientAddress, now: .now).0 == .drop(.wrongUsername))
}

@Test(arguments: [
    (Optional(F.server.usernameFragment + ":" + F.client.usernameFragment), String?.none),  // no MESSAGE-INTEGRITY
    (String?.none, Optional(F.server.password)),  // no USERNAME
])
func requestMissingUsernameOrIntegrityGets400(username: String?, key: String?) throws {
    let lite = ICELiteAgent(local: F.server, remote: F.client)
    let id = STUNTransactionID(word0: 1, word1: 2, word2: 3)
    let request = try handmadeRequest(username: username, key: key, transactionID: id)
    let (outcome, response) = lite.handle(request, from: F.clientAddress, now: .now)
    let bytes = try #require(response)
    #expect(outcome == .respondWithError(length: bytes.count))
    let parsed = try STUNMessage(parsing: bytes)
    #expect(parsed.type == .bindingErrorResponse)
    #expect(parsed.transactionID == id)
    #expect(parsed.errorCode?.code == 400)
    // RFC 8489 §9.1.3: no key to sign with.
    #expect(parsed.messageIntegrityOffset == nil)
    #expect(parsed.verifyFingerprint(in: bytes))
    #expect(!lite.isValidated(F.clientAddress))
}

@Test func unknownComprehensionRequiredAttributeGets420ListingIt() throws {
    let lite = ICELiteAgent(local: F.server, remote: F.client)
    let unknown = STUNAttributeType(rawValue: 0x7F31)
    let request = try handmadeRequest(
        username: "srvUfrag:cli1", key: F.server.password, extraAttribute: unknown)
    let (outcome, response) = lite.handle(request, from: F.clientAddress, now: .now)
    let bytes = try #require(response)
    #expect(outcome == .respondWithError(length: bytes.count))
    let parsed = try STUNMessage(parsing: bytes)
    #expect(parsed.errorCode?.code == 420)
    bytes.withUnsafeBytes { raw in
        #expect(Array(parsed.unknownAttributeTypes(in: raw)) == [unknown])
    }
    #expect(parsed.verifyMessageIntegrity(key: Array(F.server.password.utf8), in: bytes))
    #expect(parsed.verifyFingerprint(in: bytes))
    #expect(lite.selectedAddress == nil)
}

@Test func unknownComprehensionOptionalAttributeIsIgnored() throws {
    let lite = ICELiteAgent(local: F.server, remote: F.client)
    let request = try handmadeRequest(
        username: "srvUfrag:cli1", key: F.server.password, extraAttribute: STUNAttributeType(rawValue: 0xC057))
    guard case .respond = lite.handle(request, from: F.clientAddress, now: .now).0 else {
        Issue.record("comprehension-optional attributes must not cause an error")
        return
    }
}

@Test func controlledPeerGets487RoleConflictSignedWithTheLocalPassword() throws {
    let lite = ICELiteAgent(local: F.server, remote: F.client)
    let request = try handmadeRequest(
        username: "srvUfrag:cli1", key: F.server.password, role: .controlled(tieBreaker: .max))
    let (outcome, response) = lite.handle(request, from: F.clientAddress, now: .now)
    let bytes = try #require(response)
    #expect(outcome == .respondWithError(length: bytes.count))
    let parsed = try STUNMessage(parsing: bytes)
    #expect(parsed.errorCode?.code == 487)
    #expect(parsed.verifyMessageIntegrity(key: Array(F.server.password.utf8), in: bytes))
    #expect(lite.selectedAddress == nil)
}

/// RFC 5769 §2.1: the sample request (USERNAME "evtj:h6vY", ICE-CONTROLLED) is a real,
/// correctly signed check from a controlled agent: a lite agent must answer 487.
@Test func rfc5769SampleRequestFromAControlledAgentGets487() throws {
    let lite = ICELiteAgent(
        local: ICECredentials(usernameFragment: "evtj", password: RFC5769.password), remote: nil)
    let (outcome, response) = lite.handle(RFC5769.sampleRequest, from: F.clientAddress, now: .now)
    let bytes = try #require(response)
    #expect(outcome == .respondWithError(length: bytes.count))
    let parsed = try STUNMessage(parsing: bytes)
    #expect(parsed.errorCode?.code == 487)
    #expect(parsed.transactionID == STUNTransactionID(bytes: RFC5769.transactionID))
    #expect(parsed.verifyMessageIntegrity(key: Array(RFC5769.password.utf8), in: bytes))
    #expect(ICELiteAgent.localUsernameFragment(of: RFC5769.sampleRequest) == "evtj")
}

@Test func clientReceives487AsFailure() throws {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    let request = client.makeRequest(nominate: true, now: start)
    let id = try STUNMessage(parsing: request).transactionID
    let error = try STUNMessageBuilder.bindingErrorResponse(
        transactionID: id, errorCode: 487, reason: "Role Conflict", key: Array(F.server.password.utf8))
    #expect(client.handleResponse(error, now: start) == .failure(errorCode: 487))
    // The transaction is finished: a duplicate is ignored.
    #expect(client.handleResponse(error, now: start) == .ignored)
    #expect(!client.isNominated)
}

@Test func consentExpiresThirtySecondsAfterTheLastRequestFromTheSelectedAddress() {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    // Before nomination, consent runs from init.
    #expect(lite.consentState(now: start.addingSeconds(29.9)) == .fresh)
    #expect(lite.consentState(now: start.addingSeconds(30)) == .expired)

    _ = exchangeCheck(client, against: lite, nominate: true, at: start.addingSeconds(10))
    #expect(lite.consentState(now: start.addingSeconds(39.9)) == .fresh)
    #expect(lite.consentState(now: start.addingSeconds(40)) == .expired)
}

@Test func periodicChecksKeepConsentFreshAndOnlyFromTheSelectedAddress() {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    _ = exchangeCheck(client, against: lite, nominate: true, at: start)
    // Two minutes of consent checks every 5 s (non-nominating, as RFC 7675 consent checks are).
    var time = 0.0
    while time < 120 {
        time += 5
        _ = exchangeCheck(client, against: lite, nominate: false, at: start.addingSeconds(time))
        #expect(lite.consentState(now: start.addingSeconds(time + 4.9)) == .fresh)
    }
    // Valid checks from some other, non-selected address do not renew consent for the selected one.
    _ = exchangeCheck(client, against: lite, nominate: false, from: F.otherAddress, at: start.addingSeconds(time + 20))
    #expect(lite.consentState(now: start.addingSeconds(time + 29.9)) == .fresh)
    #expect(lite.consentState(now: start.addingSeconds(time + 30)) == .expired)
}

@Test func droppedRequestsDoNotRenewConsent() throws {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    _ = exchangeCheck(client, against: lite, nominate: true, at: start)
    let forged = try handmadeRequest(username: "srvUfrag:cli1", key: "guessedPasswordAbcdefgh1")
    #expect(lite.handle(forged, from: F.clientAddress, now: start.addingSeconds(25)).0 == .drop(.badMessageIntegrity))
    #expect(lite.consentState(now: start.addingSeconds(30)) == .expired)
}

@Test func remoteCredentialsArrivingLateAreEnforcedFromThenOn() {
    let start = ContinuousClock.now
    let (client, lite) = makePair(remoteKnown: false, now: start)
    #expect(lite.remote == nil)
    // Trickle: the browser's checks can arrive before its SDP answer.
    let early = exchangeCheck(client, against: lite, nominate: true, at: start)
    guard case .respond(_, true) = early.liteOutcome else {
        Issue.record("expected an early nomination to be accepted, got \(early.liteOutcome)")
        return
    }
    lite.setRemote(F.client)
    guard case .respond = exchangeCheck(client, against: lite, nominate: false, at: start.addingSeconds(1)).liteOutcome else {
        Issue.record("the matching peer must still be answered")
        return
    }
    // Another peer that happens to know our ufrag and password but not the signalled ufrag.
    let stranger = ICEControllingAgent(
        local: ICECredentials(usernameFragment: "zzzz", password: F.client.password), remote: F.server)
    #expect(exchangeCheck(stranger, against: lite, nominate: true, from: F.otherAddress, at: start.addingSeconds(2)).liteOutcome
        == .drop(.wrongUsername))
    #expect(lite.selectedAddress == F.clientAddress)
}

@Test func emptyRemoteUfragIsRefusedEvenBeforeRemoteCredentialsArrive() throws {
    let lite = ICELiteAgent(local: F.server, remote: nil)
    let request = try handmadeRequest(username: "srvUfrag:", key: F.server.password)
    #expect(lite.handle(request, from: F.clientAddress, now: .now).0 == .drop(.wrongUsername))
}

@Test func nonRequestsAndDamagedMessagesAreDropped() throws {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)

    let indication = try STUNMessageBuilder.bindingIndication(transactionID: .random())
    #expect(lite.handle(indication, from: F.clientAddress, now: start).0 == .drop(.notABindingRequest))

    let success = try STUNMessageBuilder.bindingSuccessResponse(
        transactionID: .random(), mappedAddress: F.clientAddress, key: Array(F.server.password.utf8))
    #expect(lite.handle(success, from: F.clientAddress, now: start).0 == .drop(.notABindingRequest))

    var damaged = client.makeRequest(nominate: true, now: start)
    damaged[damaged.count - 1] ^= 0x01
    #expect(lite.handle(damaged, from: F.clientAddress, now: start).0 == .drop(.badFingerprint))

    let unfingerprinted = try STUNMessageBuilder.bindingRequest(
        transactionID: .random(), username: "srvUfrag:cli1", key: Array(F.server.password.utf8),
        priority: 1, role: .controlling(tieBreaker: 1), fingerprint: false)
    #expect(lite.handle(unfingerprinted, from: F.clientAddress, now: start).0 == .drop(.missingFingerprint))

    #expect(lite.handle([0x80, 0x60, 0, 1], from: F.clientAddress, now: start).0 == .drop(.malformed))
    #expect(lite.selectedAddress == nil)
}

@Test func everyTruncationOfAValidCheckIsDroppedWithoutEffect() {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    let request = client.makeRequest(nominate: true, now: start)
    for length in 0..<request.count {
        let outcome = lite.handle(Array(request[0..<length]), from: F.clientAddress, now: start).0
        guard case .drop = outcome else {
            Issue.record("truncated to \(length) bytes gave \(outcome)")
            continue
        }
    }
    #expect(lite.selectedAddress == nil)
}

@Test func tooSmallResponseBufferIsReportedNotOverrun() {
    let start = ContinuousClock.now
    let (client, lite) = makePair(now: start)
    let request = client.makeRequest(nominate: true, now: start)
    var small = [UInt8](repeating: 0, count: 40)
    let outcome = request.withUnsafeBytes { message in
        small.withUnsafeMutableBytes { lite.handleBindingRequest(message, from: F.clientAddress, now: start, response: $0) }
    }
    #expect(outcome == .drop(.responseBufferTooSmall))
    #expect(lite.selectedAddress == nil)
}

@Test func localUsernameFragmentExtractsTheUfragBeforeTheColon() {
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    #expect(ICELiteAgent.localUsernameFragment(of: client.makeRequest(nominate: false, now: .now)) == "srvUfrag")
}

@Test(arguments: [
    [UInt8](),
    [0x00, 0x01, 0x00, 0x00],
    [UInt8](repeating: 0xFF, count: 64),
    // An RTP packet (version 2) is never STUN.
    [0x80, 0x6F, 0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0xDE, 0xAD, 0xBE, 0xEF] + [UInt8](repeating: 0, count: 20),
    // A valid STUN header whose length runs past the datagram.
    [0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 7, count: 12),
])
func localUsernameFragmentIsNilForNonSTUN(bytes: [UInt8]) {
    #expect(ICELiteAgent.localUsernameFragment(of: bytes) == nil)
}

@Test func localUsernameFragmentIsNilWithoutAUsableUsername() throws {
    let indication = try STUNMessageBuilder.bindingIndication(transactionID: .random())
    #expect(ICELiteAgent.localUsernameFragment(of: indication) == nil)
    let noColon = try handmadeRequest(username: "srvUfrag", key: nil)
    #expect(ICELiteAgent.localUsernameFragment(of: noColon) == nil)
    let emptyLocal = try handmadeRequest(username: ":cli1", key: nil)
    #expect(ICELiteAgent.localUsernameFragment(of: emptyLocal) == nil)
}

@Test func restartRequiresTheNewCredentialsAndKeepsTheSelectedAddressUntilARenomination() {
    let start = ContinuousClock.now
    let (oldClient, lite) = makePair(now: start)
    _ = exchangeCheck(oldClient, against: lite, nominate: true, at: start)

    let newServer = ICECredentials(usernameFragment: "srv2", password: "restartedServerPassword+")
    let newClient = ICECredentials(usernameFragment: "cli2", password: "restartedClientPasswd/")
    lite.restart(local: newServer, remote: nil, now: start.addingSeconds(20))
    #expect(lite.local == newServer)
    // Media stays on the old pair until the peer nominates with the new credentials.
    #expect(lite.selectedAddress == F.clientAddress)
    // Consent restarts: the peer gets the whole window to come back with the new credentials.
    #expect(lite.consentState(now: start.addingSeconds(49.9)) == .fresh)
    #expect(lite.consentState(now: start.addingSeconds(50)) == .expired)

    // The old credentials no longer pass.
    #expect(exchangeCheck(oldClient, against: lite, nominate: true, at: start.addingSeconds(21)).liteOutcome
        == .drop(.wrongUsername))
    // The new ones do, from a new address (the network changed), which moves the path.
    lite.setRemote(newClient, now: start.addingSeconds(21))
    let restarted = ICEControllingAgent(local: newClient, remote: newServer)
    guard case .respond(_, true) = exchangeCheck(restarted, against: lite, nominate: true, from: F.otherAddress,
                                                 at: start.addingSeconds(22)).liteOutcome else {
        Issue.record("a nomination with the new credentials must be accepted and move the path")
        return
    }
    #expect(lite.selectedAddress == F.otherAddress)
    #expect(lite.isValidated(F.otherAddress))
    #expect(lite.consentState(now: start.addingSeconds(51.9)) == .fresh)
}
