import RTP
import Testing

/// Collects all elements, or the error that stopped the walk.
private func elements(of packet: [UInt8]) throws -> [RTPHeaderExtensionElement] {
    let header = try RTPHeader.parse(packet)
    var result: [RTPHeaderExtensionElement] = []
    try packet.withUnsafeBytes { bytes in
        guard var cursor = header.extensionElements else { return }
        while let element = try cursor.next(in: bytes) { result.append(element) }
    }
    return result
}

@Test func parsesTwoByteExtensionsIncludingEmptyAndLongValues() throws {
    // Profile 0x1000, 7 words: id 1 len 0; padding 00; id 200 len 3; id 20 len 17 (0x11).
    let packet = packetTestBytes(hex: """
        90 6f 00 07  00 00 01 00  00 00 00 09
        10 00 00 07
        01 00 00 c8  03 aa bb cc  14 11 00 01  02 03 04 05  06 07 08 09  0a 0b 0c 0d  0e 0f 10 00
        ff
        """)
    let header = try RTPHeader.parse(packet)
    #expect(header.extensionForm == .twoByte(appBits: 0))
    #expect(header.headerLength == 44)
    #expect(header.payloadRange == 44..<45)
    #expect(try elements(of: packet) == [
        RTPHeaderExtensionElement(id: 1, valueRange: 18..<18),
        RTPHeaderExtensionElement(id: 200, valueRange: 21..<24),
        RTPHeaderExtensionElement(id: 20, valueRange: 26..<43),
    ])
}

@Test func twoByteProfileKeepsAppBits() throws {
    #expect(RTPHeaderExtensionForm(profile: 0x100A) == .twoByte(appBits: 0xA))
    #expect(RTPHeaderExtensionForm(profile: 0xBEDE) == .oneByte)
    #expect(RTPHeaderExtensionForm(profile: 0x1010) == nil)
    #expect(RTPHeaderExtensionForm.twoByte(appBits: 3).profile == 0x1003)
}

@Test func oneByteIDFifteenStopsProcessing() throws {
    // id 1 len 1, then 0xF3 (id 15: stop), then bytes that would otherwise be an element.
    let packet = packetTestBytes(hex: "90 60 00 01  00 00 00 00  00 00 00 01  be de 00 02  10 aa f3 20  bb 00 00 00")
    #expect(try elements(of: packet) == [RTPHeaderExtensionElement(id: 1, valueRange: 17..<18)])
}

@Test func truncatedOneByteElementThrows() {
    // id 2 claims 4 value bytes but the one-word block has only 3 left.
    let packet = packetTestBytes(hex: "90 60 00 01  00 00 00 00  00 00 00 01  be de 00 01  23 aa bb cc")
    #expect(throws: RTPHeaderExtensionError.truncatedElement(id: 2, needed: 4, available: 3)) {
        try elements(of: packet)
    }
}

@Test func truncatedTwoByteElementsThrow() {
    // Value runs past the block.
    let longValue = packetTestBytes(hex: "90 60 00 01  00 00 00 00  00 00 00 01  10 00 00 01  05 03 aa bb")
    #expect(throws: RTPHeaderExtensionError.truncatedElement(id: 5, needed: 3, available: 2)) {
        try elements(of: longValue)
    }
    // Only the id byte fits before the end of the block.
    let noLength = packetTestBytes(hex: "90 60 00 01  00 00 00 00  00 00 00 01  10 00 00 01  05 00 00 07")
    #expect(throws: RTPHeaderExtensionError.truncatedElement(id: 7, needed: 1, available: 0)) {
        try elements(of: noLength)
    }
}

@Test func unknownProfileHasNoElements() throws {
    let packet = packetTestBytes(hex: "90 60 00 01  00 00 00 00  00 00 00 01  ab cd 00 01  10 aa 00 00")
    let header = try RTPHeader.parse(packet)
    #expect(header.extensionProfile == 0xABCD)
    #expect(header.extensionForm == nil)
    #expect(header.extensionElements == nil)
    try packet.withUnsafeBytes { bytes throws in
        #expect(try header.extensionValueRange(id: 1, in: bytes) == nil)
    }
}

@Test func cursorRejectsABufferShorterThanTheBlock() throws {
    let header = try RTPHeader.parse(chromeVP8Packet)
    let short = Array(chromeVP8Packet.prefix(20))
    short.withUnsafeBytes { bytes -> Void in
        #expect(throws: RTPHeaderExtensionError.elementsOutsideBuffer(end: 28, bufferCount: 20)) {
            try header.extensionValueRange(id: 4, in: bytes)
        }
    }
}

@Test func overwritesValueInPlaceWhenLengthMatches() throws {
    var packet = chromeVP8Packet
    let header = try RTPHeader.parse(packet)
    let replaced = try packet.withUnsafeMutableBytes { bytes in
        try header.overwriteExtensionValue(id: 3, with: TransportWideSequenceNumberExtension(sequenceNumber: 0xBEEF), in: bytes)
    }
    #expect(replaced)
    #expect(packet[21] == 0xBE && packet[22] == 0xEF)
    var expected = chromeVP8Packet
    expected[21] = 0xBE
    expected[22] = 0xEF
    #expect(packet == expected)

    let raw: [UInt8] = [0x01, 0x02, 0x03]
    let replacedRaw = try packet.withUnsafeMutableBytes { bytes in
        try raw.withUnsafeBytes { value in try header.overwriteExtensionValue(id: 2, with: value, in: bytes) }
    }
    #expect(replacedRaw)
    #expect(Array(packet[17..<20]) == raw)
}

@Test func overwriteWithDifferentLengthThrowsAndAbsentIDReturnsFalse() throws {
    var packet = chromeVP8Packet
    let header = try RTPHeader.parse(packet)
    packet.withUnsafeMutableBytes { bytes -> Void in
        #expect(throws: RTPHeaderExtensionError.valueLengthMismatch(expected: 1, actual: 2)) {
            try header.overwriteExtensionValue(id: 4, with: MidExtension("10"), in: bytes)
        }
    }
    let replaced = try packet.withUnsafeMutableBytes { bytes in
        try header.overwriteExtensionValue(id: 9, with: AudioLevelExtension(level: 3, voiceActivity: true), in: bytes)
    }
    #expect(!replaced)
    #expect(packet == chromeVP8Packet)
}
