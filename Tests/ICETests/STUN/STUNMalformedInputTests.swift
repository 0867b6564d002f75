import ICE
import Testing

/// A header for a message with `body` as its attributes; the length field is `body.count`
/// unless `length` overrides it.
private func message(type: UInt16 = 0x0001, length: Int? = nil, body: [UInt8]) -> [UInt8] {
    let declared = length ?? body.count
    return [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(declared >> 8), UInt8(declared & 0xFF),
            0x21, 0x12, 0xA4, 0x42] + RFC5769.transactionID + body
}

private func attribute(_ type: UInt16, _ value: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
    let length = declaredLength ?? value.count
    let padding = [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
    return [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF)] + value + padding
}

@Test func attributeLengthPastTheEndThrows() {
    // SOFTWARE claims 0xFF bytes in a 16-byte body.
    var bytes = RFC5769.ipv4Response
    bytes[22] = 0x00
    bytes[23] = 0xFF
    #expect(throws: STUNParseError.attributeTruncated(type: 0x8022, offset: 20, needed: 4 + 256, available: 60)) {
        try STUNMessage(parsing: bytes)
    }
    // Last attribute claims 5 bytes: with padding 8, one word past the end.
    let last = message(body: attribute(0x0024, [0, 0, 0, 1], declaredLength: 5))
    #expect(throws: STUNParseError.attributeTruncated(type: 0x0024, offset: 20, needed: 12, available: 8)) {
        try STUNMessage(parsing: last)
    }
}

@Test func unknownComprehensionRequiredIsReportedAndOptionalIgnored() throws {
    let bytes = message(body:
        attribute(0x7777, [1, 2, 3]) + attribute(0xC057, [0, 1, 0, 2]) + attribute(0x0031, [])
        + attribute(0x7777, [9]) + attribute(0x0024, [0, 0, 0, 5]))
    let parsed = try STUNMessage(parsing: bytes)
    #expect(parsed.attributeCount == 5)
    #expect(Array(parsed.unknownComprehensionRequired) == [STUNAttributeType(rawValue: 0x7777), STUNAttributeType(rawValue: 0x0031)])
    #expect(!parsed.unknownComprehensionRequired.overflowed)
    #expect(parsed.priority == 5)

    let optionalOnly = try STUNMessage(parsing: message(body: attribute(0xC057, [0, 1, 0, 2]) + attribute(0x8023, [])))
    #expect(optionalOnly.unknownComprehensionRequired.isEmpty)
}

@Test func manyUnknownAttributesOverflowTheInlineListWithoutFailing() throws {
    var body: [UInt8] = []
    for type in UInt16(0x4000)..<0x4014 { body += attribute(type, []) }
    let parsed = try STUNMessage(parsing: message(body: body))
    #expect(parsed.unknownComprehensionRequired.count == STUNAttributeTypeList.capacity)
    #expect(parsed.unknownComprehensionRequired.overflowed)
}

@Test func tooManyAttributesThrows() {
    var body: [UInt8] = []
    for _ in 0...STUNAttributeCursor.maximumAttributeCount { body += attribute(0x0025, []) }
    #expect(throws: STUNParseError.tooManyAttributes(limit: STUNAttributeCursor.maximumAttributeCount)) {
        try STUNMessage(parsing: message(body: body))
    }
}

@Test func attributeAfterFingerprintThrows() {
    let bytes = message(body: attribute(0x8028, [0, 0, 0, 0]) + attribute(0x8022, [0x41]))
    #expect(throws: STUNParseError.attributeAfterFingerprint(type: 0x8022)) { try STUNMessage(parsing: bytes) }
}

/// RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored.
@Test func attributesAfterMessageIntegrityAreIgnored() throws {
    let bytes = message(body:
        attribute(0x0024, [0, 0, 0, 1]) + attribute(0x0008, [UInt8](repeating: 0, count: 20))
        + attribute(0x0024, [0, 0, 0, 2]) + attribute(0x0025, []) + attribute(0x7777, [])
        + attribute(0x8028, [0, 0, 0, 0]))
    let parsed = try STUNMessage(parsing: bytes)
    #expect(parsed.priority == 1)
    #expect(!parsed.useCandidate)
    #expect(parsed.unknownComprehensionRequired.isEmpty)
    #expect(parsed.messageIntegrityOffset == 28)
    #expect(parsed.fingerprintOffset == 28 + 24 + 8 + 4 + 4)
}

@Test func firstOccurrenceOfAnAttributeWins() throws {
    let bytes = message(body: attribute(0x0024, [0, 0, 0, 1]) + attribute(0x0024, [0, 0, 0, 2]))
    #expect(try STUNMessage(parsing: bytes).priority == 1)
}

@Test func headerErrorsAreTyped() {
    #expect(throws: STUNParseError.truncated(needed: 20, available: 3)) { try STUNMessage(parsing: [0, 1, 0]) }
    var leading = message(body: [])
    leading[0] = 0x40
    #expect(throws: STUNParseError.nonZeroLeadingBits(0x40)) { try STUNMessage(parsing: leading) }
    var cookie = message(body: [])
    cookie[7] = 0x43
    #expect(throws: STUNParseError.badMagicCookie(0x2112_A443)) { try STUNMessage(parsing: cookie) }
    #expect(throws: STUNParseError.lengthNotMultipleOfFour(2)) {
        try STUNMessage(parsing: message(length: 2, body: [0, 0]))
    }
    #expect(throws: STUNParseError.truncated(needed: 28, available: 24)) {
        try STUNMessage(parsing: message(length: 8, body: [0, 0x25, 0, 0]))
    }
    #expect(throws: STUNParseError.trailingBytes(declaredLength: 0, available: 24)) {
        try STUNMessage(parsing: message(length: 0, body: [0, 0x25, 0, 0]))
    }
}

@Test(arguments: [
    (UInt16(0x0024), [UInt8](repeating: 0, count: 3), STUNMalformedAttributeReason.badLength(3)),
    (0x0025, [0], .badLength(1)),
    (0x802A, [UInt8](repeating: 0, count: 4), .badLength(4)),
    (0x8029, [UInt8](repeating: 0, count: 12), .badLength(12)),
    (0x0008, [UInt8](repeating: 0, count: 32), .badLength(32)),
    (0x8028, [0, 0], .badLength(2)),
    (0x0020, [0, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], .badLength(12)),
    (0x0020, [0, 2, 0, 0, 1, 2, 3, 4], .badLength(8)),
    (0x0020, [0, 3, 0, 0, 1, 2, 3, 4], .unknownAddressFamily(3)),
    (0x0001, [0, 1, 0], .badLength(3)),
    (0x0009, [0, 0, 2, 0], .badErrorCode(errorClass: 2, number: 0)),
    (0x0009, [0, 0, 4, 100], .badErrorCode(errorClass: 4, number: 100)),
    (0x0009, [0, 0, 4], .badLength(3)),
    (0x000A, [0, 1, 0], .badLength(3)),
])
func malformedKnownAttributeThrows(type: UInt16, value: [UInt8], reason: STUNMalformedAttributeReason) {
    #expect(throws: STUNParseError.malformedAttribute(type: type, reason: reason)) {
        try STUNMessage(parsing: message(body: attribute(type, value)))
    }
}

@Test func plainMappedAddressIsNotXORed() throws {
    let parsed = try STUNMessage(parsing: message(type: 0x0101, body: attribute(0x0001, [0, 1, 0x0D, 0x96, 198, 51, 100, 7])))
    #expect(parsed.mappedAddress == STUNTransportAddress(ipv4: 198, 51, 100, 7, port: 3478))
    #expect(parsed.xorMappedAddress == nil)
}

/// Random corruption of valid messages never traps; whatever parses can be queried safely.
@Test(arguments: RFC5769.all)
func randomCorruptionNeverCrashes(original: [UInt8]) {
    var random = STUNTestRandom(state: 0x9E37_79B9_7F4A_7C15)
    for _ in 0..<3000 {
        var bytes = original
        let edits = Int(random.next() % 6) + 1
        for _ in 0..<edits {
            let index = Int(random.next() % UInt64(bytes.count))
            bytes[index] = UInt8(truncatingIfNeeded: random.next())
        }
        if random.next() % 4 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count))) }
        guard let parsed = try? STUNMessage(parsing: bytes) else { continue }
        _ = parsed.verifyMessageIntegrity(key: RFC5769.password.utf8, in: bytes)
        _ = parsed.verifyFingerprint(in: bytes)
        bytes.withUnsafeBytes { raw in
            _ = parsed.usernameFragments(in: raw)
            _ = parsed.usernameString(in: raw)
            _ = parsed.softwareString(in: raw)
            _ = parsed.errorReasonString(in: raw)
            _ = parsed.unknownAttributeTypes(in: raw)
        }
    }
    // Accessors given a shorter buffer than was parsed stay in bounds too.
    if let parsed = try? STUNMessage(parsing: original) {
        let short = Array(original[0..<30])
        #expect(!parsed.verifyMessageIntegrity(key: RFC5769.password.utf8, in: short))
        #expect(!parsed.verifyFingerprint(in: short))
        short.withUnsafeBytes { raw in
            #expect(parsed.usernameFragments(in: raw) == nil)
            #expect(parsed.softwareString(in: raw) == nil || parsed.software.map { $0.upperBound <= 30 } == true)
        }
    }
}
