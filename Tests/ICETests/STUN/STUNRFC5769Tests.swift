import ICE
import Testing

@Test func rfc5769VectorsAreTheLengthsTheRFCStates() {
    #expect(RFC5769.sampleRequest.count == 108)
    #expect(RFC5769.ipv4Response.count == 80)
    #expect(RFC5769.ipv6Response.count == 92)
}

@Test func sampleRequestParsesIntoItsICEAttributes() throws {
    let bytes = RFC5769.sampleRequest
    let message = try STUNMessage(parsing: bytes)
    #expect(message.type == .bindingRequest)
    #expect(message.type.method == .binding)
    #expect(message.type.messageClass == .request)
    #expect(message.length == 0x58)
    #expect(message.transactionID.bytes == RFC5769.transactionID)
    #expect(message.attributeCount == 6)
    #expect(message.priority == 0x6e00_01ff)
    #expect(message.iceControlled == 0x932f_f9b1_5126_3b36)
    #expect(message.iceControlling == nil)
    #expect(message.useCandidate == false)
    #expect(message.messageIntegrityOffset == 76)
    #expect(message.fingerprintOffset == 100)
    #expect(message.xorMappedAddress == nil)
    #expect(message.unknownComprehensionRequired.isEmpty)
    bytes.withUnsafeBytes { raw in
        #expect(message.usernameString(in: raw) == "evtj:h6vY")
        #expect(message.softwareString(in: raw) == "STUN test client")
        let fragments = message.usernameFragments(in: raw)
        #expect(fragments.map { STUNMessage.bytes($0.local, in: raw, equal: "evtj") } == true)
        #expect(fragments.map { STUNMessage.bytes($0.remote, in: raw, equal: "h6vY") } == true)
        #expect(fragments.map { STUNMessage.bytes($0.remote, in: raw, equal: "h6vZ") } == false)
        #expect(fragments.map { STUNMessage.bytes($0.local, in: raw, equal: "evtj:") } == false)
    }
}

@Test(arguments: RFC5769.all)
func rfc5769VectorPassesIntegrityAndFingerprint(bytes: [UInt8]) throws {
    let message = try STUNMessage(parsing: bytes)
    #expect(message.verifyMessageIntegrity(key: RFC5769.password.utf8, in: bytes))
    #expect(message.verifyMessageIntegrity(key: Array(RFC5769.password.utf8), in: bytes))
    #expect(message.verifyFingerprint(in: bytes))
    #expect(STUNMessage.looksLikeSTUN(bytes))
}

@Test(arguments: RFC5769.all)
func rfc5769VectorFailsIntegrityWithAWrongKey(bytes: [UInt8]) throws {
    let message = try STUNMessage(parsing: bytes)
    #expect(!message.verifyMessageIntegrity(key: "VOkJxbRl1RmTxUk/WvJxBu".utf8, in: bytes))
    #expect(!message.verifyMessageIntegrity(key: "".utf8, in: bytes))
    #expect(!message.verifyMessageIntegrity(key: (RFC5769.password + "x").utf8, in: bytes))
}

@Test func ipv4ResponseDecodesXORMappedAddress() throws {
    let bytes = RFC5769.ipv4Response
    let message = try STUNMessage(parsing: bytes)
    #expect(message.type == .bindingSuccessResponse)
    let address = try #require(message.xorMappedAddress)
    #expect(address == STUNTransportAddress(ipv4: 192, 0, 2, 1, port: 32853))
    #expect(address.family == .ipv4)
    #expect(address.ipv4Address == 0xC000_0201)
    #expect(address.port == 32853)
    #expect(address.addressString == "192.0.2.1")
    #expect(address.description == "192.0.2.1:32853")
    bytes.withUnsafeBytes { raw in
        #expect(message.softwareString(in: raw) == "test vector")
    }
}

@Test func ipv6ResponseDecodesXORMappedAddress() throws {
    let bytes = RFC5769.ipv6Response
    let message = try STUNMessage(parsing: bytes)
    #expect(message.type == .bindingSuccessResponse)
    let address = try #require(message.xorMappedAddress)
    #expect(address.family == .ipv6)
    #expect(address.port == 32853)
    #expect(address == STUNTransportAddress(ipv6: [0x2001, 0xdb8, 0x1234, 0x5678, 0x11, 0x2233, 0x4455, 0x6677], port: 32853))
    #expect(address.addressString == "2001:db8:1234:5678:11:2233:4455:6677")
    #expect(address.description == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
    #expect(address.ipv4Address == nil)
}

/// Flipping any single bit either makes the message unparseable or breaks a check: inside the
/// HMAC-covered part MESSAGE-INTEGRITY fails, after it FINGERPRINT fails.
@Test(arguments: RFC5769.all)
func everySingleBitFlipIsDetected(original: [UInt8]) throws {
    let parsed = try STUNMessage(parsing: original)
    let integrityEnd = try #require(parsed.messageIntegrityOffset) + 24
    var detected = 0
    for bit in 0..<(original.count * 8) {
        var bytes = original
        bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        guard let message = try? STUNMessage(parsing: bytes) else {
            detected += 1
            continue
        }
        let integrityOK = message.verifyMessageIntegrity(key: RFC5769.password.utf8, in: bytes)
        let fingerprintOK = message.verifyFingerprint(in: bytes)
        #expect(!fingerprintOK, "bit \(bit) flipped but FINGERPRINT still matches")
        if bit / 8 < integrityEnd {
            #expect(!integrityOK, "bit \(bit) flipped but MESSAGE-INTEGRITY still matches")
        }
        if !integrityOK || !fingerprintOK { detected += 1 }
    }
    #expect(detected == original.count * 8)
}

@Test(arguments: RFC5769.all)
func everyTruncationThrows(original: [UInt8]) {
    for length in 0..<original.count {
        let prefix = Array(original[0..<length])
        #expect(throws: STUNParseError.self, "length \(length)") { try STUNMessage(parsing: prefix) }
    }
}

@Test func attributeCursorWalksTheSampleRequestInWireOrder() throws {
    let bytes = RFC5769.sampleRequest
    let message = try STUNMessage(parsing: bytes)
    var types: [UInt16] = []
    var values: [Range<Int>] = []
    try bytes.withUnsafeBytes { raw in
        var cursor = message.attributeCursor()
        while let attribute = try cursor.next(in: raw) {
            types.append(attribute.type.rawValue)
            values.append(attribute.value)
        }
    }
    #expect(types == [0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028])
    #expect(values == [24..<40, 44..<48, 52..<60, 64..<73, 80..<100, 104..<108])
}

/// Many verifications at once (Swift Testing also runs tests in parallel) share the one
/// OpenSSL HMAC template context; every answer must still be right.
@Test func concurrentVerificationGivesConsistentAnswers() async throws {
    let bytes = RFC5769.sampleRequest
    let message = try STUNMessage(parsing: bytes)
    let results = await withTaskGroup(of: Bool.self) { group in
        for index in 0..<400 {
            group.addTask {
                let key = index % 2 == 0 ? RFC5769.password : "wrong password"
                return message.verifyMessageIntegrity(key: key.utf8, in: bytes) == (index % 2 == 0)
            }
        }
        var all: [Bool] = []
        for await result in group { all.append(result) }
        return all
    }
    #expect(results.count == 400)
    #expect(results.allSatisfy { $0 })
}
