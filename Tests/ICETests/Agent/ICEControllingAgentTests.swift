import ICE
import Testing

private typealias F = ICEAgentFixtures

@Test func bindingRequestCarriesWhatRFC8445Requires() throws {
    let client = ICEControllingAgent(local: F.client, remote: F.server, tieBreaker: 0xAABB_CCDD_EEFF_0011)
    let request = client.makeRequest(nominate: true, now: .now)
    #expect(request.count == client.maximumRequestLength)
    let parsed = try STUNMessage(parsing: request)
    #expect(parsed.type == .bindingRequest)
    request.withUnsafeBytes { raw in
        #expect(parsed.usernameString(in: raw) == "srvUfrag:cli1")
    }
    #expect(parsed.priority == client.priority)
    #expect(parsed.iceControlling == 0xAABB_CCDD_EEFF_0011)
    #expect(parsed.iceControlled == nil)
    #expect(parsed.useCandidate)
    #expect(parsed.verifyMessageIntegrity(key: Array(F.server.password.utf8), in: request))
    #expect(!parsed.verifyMessageIntegrity(key: Array(F.client.password.utf8), in: request))
    #expect(parsed.verifyFingerprint(in: request))

    let plain = try STUNMessage(parsing: client.makeRequest(nominate: false, now: .now))
    #expect(!plain.useCandidate)
    #expect(plain.transactionID != parsed.transactionID)
}

@Test func requestThatDoesNotFitReturnsZero() {
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    var small = [UInt8](repeating: 0, count: 60)
    let length = small.withUnsafeMutableBytes { client.makeBindingRequest(nominate: true, now: .now, into: $0) }
    #expect(length == 0)
    #expect(client.nextCheckDeadline == nil)
}

@Test func responseToUnknownTransactionIsIgnored() throws {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    _ = client.makeRequest(nominate: true, now: start)
    let stray = try STUNMessageBuilder.bindingSuccessResponse(
        transactionID: STUNTransactionID(word0: 9, word1: 9, word2: 9), mappedAddress: F.clientAddress,
        key: Array(F.server.password.utf8))
    #expect(client.handleResponse(stray, now: start) == .ignored)
    #expect(!client.isNominated)
    #expect(client.lastSuccess == nil)
}

@Test func responseWithBadIntegrityIsIgnoredAndTheTransactionStaysOpen() throws {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    let request = client.makeRequest(nominate: true, now: start)
    let id = try STUNMessage(parsing: request).transactionID

    let forged = try STUNMessageBuilder.bindingSuccessResponse(
        transactionID: id, mappedAddress: F.otherAddress, key: Array("attackerGuessedPassword1".utf8))
    #expect(client.handleResponse(forged, now: start) == .ignored)
    let unsigned = try STUNMessageBuilder.bindingSuccessResponse(
        transactionID: id, mappedAddress: F.otherAddress, key: nil)
    #expect(client.handleResponse(unsigned, now: start) == .ignored)
    let unsignedError = try STUNMessageBuilder.bindingErrorResponse(
        transactionID: id, errorCode: 487, reason: "Role Conflict", key: nil)
    #expect(client.handleResponse(unsignedError, now: start) == .ignored)
    #expect(!client.isNominated)

    let genuine = try STUNMessageBuilder.bindingSuccessResponse(
        transactionID: id, mappedAddress: F.clientAddress, key: Array(F.server.password.utf8))
    var damaged = genuine
    damaged[damaged.count - 1] ^= 0x80
    #expect(client.handleResponse(damaged, now: start) == .ignored)
    #expect(client.handleResponse(genuine, now: start) == .success(mappedAddress: F.clientAddress))
    #expect(client.isNominated)
}

@Test func requestsEchoedBackOrGarbageAreIgnored() {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    let request = client.makeRequest(nominate: true, now: start)
    // Its own request (same transaction ID, valid integrity) is not a response.
    #expect(client.handleResponse(request, now: start) == .ignored)
    #expect(client.handleResponse([0xDE, 0xAD], now: start) == .ignored)
    for length in 0..<request.count {
        #expect(client.handleResponse(Array(request[0..<length]), now: start) == .ignored)
    }
}

@Test func responseToAnEarlierCheckIsStillAccepted() throws {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    let first = client.makeRequest(nominate: true, now: start)
    _ = client.makeRequest(nominate: true, now: start.addingSeconds(0.1))
    let lite = ICELiteAgent(local: F.server, remote: F.client, now: start)
    let (_, response) = lite.handle(first, from: F.clientAddress, now: start.addingSeconds(0.15))
    #expect(client.handleResponse(try #require(response), now: start.addingSeconds(0.15)) == .success(mappedAddress: F.clientAddress))
    #expect(client.isNominated)
}

@Test func successForANonNominatingCheckDoesNotNominate() throws {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    let lite = ICELiteAgent(local: F.server, remote: F.client, now: start)
    let result = exchangeCheck(client, against: lite, nominate: false, at: start)
    #expect(client.handleResponse(try #require(result.response), now: start) == .success(mappedAddress: F.clientAddress))
    #expect(!client.isNominated)
    #expect(client.lastSuccess == start)
}

@Test func retransmissionIntervalDoublesUpToTheCapUntilSuccessThenConsentPacing() throws {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    #expect(client.nextCheckDeadline == nil)

    var now = start
    var intervals: [Duration] = []
    for _ in 0..<7 {
        _ = client.makeRequest(nominate: true, now: now)
        let deadline = try #require(client.nextCheckDeadline)
        intervals.append(now.duration(to: deadline))
        now = deadline
    }
    #expect(intervals == [100, 200, 400, 800, 1600, 1600, 1600].map { Duration.milliseconds($0) })

    // The server answers the last check: from now on checks are consent checks, 4-6 s apart.
    let lite = ICELiteAgent(local: F.server, remote: F.client, now: start)
    let result = exchangeCheck(client, against: lite, nominate: true, at: now)
    #expect(client.handleResponse(try #require(result.response), now: now) == .success(mappedAddress: F.clientAddress))
    var deadlines: Set<Duration> = []
    for _ in 0..<20 {
        let deadline = try #require(client.nextCheckDeadline)
        let interval = now.duration(to: deadline)
        #expect(interval >= .seconds(4) && interval <= .seconds(6))
        deadlines.insert(interval)
        now = deadline
        _ = client.makeRequest(nominate: false, now: now)
    }
    // RFC 7675 §5.1: randomized, not a fixed period.
    #expect(deadlines.count > 1)
}

@Test func successResetsTheRetransmissionInterval() throws {
    let start = ContinuousClock.now
    let client = ICEControllingAgent(local: F.client, remote: F.server)
    let lite = ICELiteAgent(local: F.server, remote: F.client, now: start)
    _ = client.makeRequest(nominate: true, now: start)
    _ = client.makeRequest(nominate: true, now: start.addingSeconds(0.1))
    let result = exchangeCheck(client, against: lite, nominate: true, at: start.addingSeconds(0.3))
    #expect(client.handleResponse(try #require(result.response), now: start.addingSeconds(0.3)) == .success(mappedAddress: F.clientAddress))
    let deadline = try #require(client.nextCheckDeadline)
    let interval = start.addingSeconds(0.3).duration(to: deadline)
    #expect(interval >= .seconds(4) && interval <= .seconds(6))
}
