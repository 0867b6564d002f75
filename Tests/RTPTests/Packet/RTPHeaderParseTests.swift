import RTP
import Testing

@Test func parsesChromeVP8PacketWithOneByteExtensions() throws {
    let header = try RTPHeader.parse(chromeVP8Packet)
    #expect(header.hasPadding == false)
    #expect(header.hasExtension)
    #expect(header.csrcCount == 0)
    #expect(header.marker == false)
    #expect(header.payloadType == 96)
    #expect(header.sequenceNumber == 0x1F4A)
    #expect(header.timestamp == 0x4B3C_2D1E)
    #expect(header.ssrc == 0xA1B2_C3D4)
    #expect(header.extensionProfile == 0xBEDE)
    #expect(header.extensionForm == .oneByte)
    #expect(header.extensionRange == 16..<28)
    #expect(header.headerLength == 28)
    #expect(header.payloadRange == 28..<chromeVP8Packet.count)
    #expect(header.packetLength == chromeVP8Packet.count)
}

@Test func iteratesChromeExtensionElementsInOrderSkippingPadding() throws {
    let header = try RTPHeader.parse(chromeVP8Packet)
    var elements: [RTPHeaderExtensionElement] = []
    try chromeVP8Packet.withUnsafeBytes { bytes in
        var cursor = try #require(header.extensionElements)
        while let element = try cursor.next(in: bytes) { elements.append(element) }
    }
    #expect(elements == [
        RTPHeaderExtensionElement(id: 2, valueRange: 17..<20),
        RTPHeaderExtensionElement(id: 3, valueRange: 21..<23),
        RTPHeaderExtensionElement(id: 4, valueRange: 24..<25),
        RTPHeaderExtensionElement(id: 10, valueRange: 26..<27),
    ])
}

@Test func readsTypedValuesFromChromePacket() throws {
    let header = try RTPHeader.parse(chromeVP8Packet)
    try chromeVP8Packet.withUnsafeBytes { bytes in
        let sendTime = try #require(try header.extensionValue(AbsoluteSendTimeExtension.self, id: 2, in: bytes))
        #expect(sendTime.rawValue == 0x12_3456)
        let twcc = try #require(try header.extensionValue(TransportWideSequenceNumberExtension.self, id: 3, in: bytes))
        #expect(twcc.sequenceNumber == 0x01A5)
        #expect(try header.extensionValue(MidExtension.self, id: 4, in: bytes) == MidExtension("0"))
        #expect(try header.extensionValue(RTPStreamIDExtension.self, id: 10, in: bytes) == RTPStreamIDExtension("h"))
        #expect(try header.extensionValue(AudioLevelExtension.self, id: 1, in: bytes) == nil)
        let ridRange = try #require(try header.extensionValueRange(id: 10, in: bytes))
        let rid = UnsafeRawBufferPointer(rebasing: bytes[ridRange])
        #expect(RTPStreamIDExtension.value(rid, equals: "h"))
        #expect(!RTPStreamIDExtension.value(rid, equals: "hh"))
        #expect(!RTPStreamIDExtension.value(rid, equals: "l"))
        #expect(!RTPStreamIDExtension.value(rid, equals: ""))
    }
}

@Test func everyTruncatedHeaderThrowsAndLongerPrefixesShortenThePayload() throws {
    let full = try RTPHeader.parse(chromeVP8Packet)
    for length in 0..<full.headerLength {
        let prefix = Array(chromeVP8Packet.prefix(length))
        #expect(throws: RTPHeaderError.self) { try RTPHeader.parse(prefix) }
    }
    for length in full.headerLength...chromeVP8Packet.count {
        let header = try RTPHeader.parse(Array(chromeVP8Packet.prefix(length)))
        #expect(header.payloadRange == full.headerLength..<length)
    }
}

@Test func truncationErrorsSayWhatWasNeeded() {
    #expect(throws: RTPHeaderError.truncated(needed: 12, available: 11)) {
        try RTPHeader.parse(Array(chromeVP8Packet.prefix(11)))
    }
    #expect(throws: RTPHeaderError.truncated(needed: 16, available: 14)) {
        try RTPHeader.parse(Array(chromeVP8Packet.prefix(14)))
    }
    #expect(throws: RTPHeaderError.truncated(needed: 28, available: 20)) {
        try RTPHeader.parse(Array(chromeVP8Packet.prefix(20)))
    }
}

@Test(arguments: [UInt8(0x00), 0x40, 0xD0])
func rejectsVersionsOtherThanTwo(firstByte: UInt8) {
    var packet = chromeVP8Packet
    packet[0] = firstByte
    #expect(throws: RTPHeaderError.unsupportedVersion(firstByte >> 6)) { try RTPHeader.parse(packet) }
}

@Test func parsesCSRCList() throws {
    let packet = packetTestBytes(hex: """
        82 e1 00 01  00 00 00 64  00 00 00 2a
        11 11 11 11  22 22 22 22
        de ad
        """)
    let header = try RTPHeader.parse(packet)
    #expect(header.csrcCount == 2)
    #expect(header.marker)
    #expect(header.payloadType == 97)
    #expect(header.csrcRange == 12..<20)
    #expect(header.headerLength == 20)
    #expect(header.payloadRange == 20..<22)
    #expect(header.extensionProfile == nil)
    #expect(header.extensionElements == nil)
    packet.withUnsafeBytes { bytes in
        #expect(header.csrc(at: 0, in: bytes) == 0x1111_1111)
        #expect(header.csrc(at: 1, in: bytes) == 0x2222_2222)
        #expect(header.csrc(at: 2, in: bytes) == nil)
        #expect(header.csrc(at: -1, in: bytes) == nil)
    }
    #expect(header.csrcOffset(at: 1) == 16)
}

@Test func paddingIsExcludedFromPayload() throws {
    // P set; payload "aa bb", then 3 padding octets ending in the count 3.
    let packet = packetTestBytes(hex: "a0 60 00 01  00 00 00 00  00 00 00 01  aa bb 00 00 03")
    let header = try RTPHeader.parse(packet)
    #expect(header.hasPadding)
    #expect(header.paddingLength == 3)
    #expect(header.payloadRange == 12..<14)
    #expect(header.packetLength == packet.count)
}

@Test func paddingMayFillEverythingAfterTheHeader() throws {
    let packet = packetTestBytes(hex: "a0 60 00 01  00 00 00 00  00 00 00 01  00 00 00 04")
    let header = try RTPHeader.parse(packet)
    #expect(header.payloadRange == 12..<12)
    #expect(header.paddingLength == 4)
}

@Test func zeroPaddingLengthThrows() {
    let packet = packetTestBytes(hex: "a0 60 00 01  00 00 00 00  00 00 00 01  aa bb 00")
    #expect(throws: RTPHeaderError.invalidPaddingLength(0, available: 3)) { try RTPHeader.parse(packet) }
}

@Test func paddingLongerThanTheBodyThrows() {
    let packet = packetTestBytes(hex: "a0 60 00 01  00 00 00 00  00 00 00 01  aa bb 04")
    #expect(throws: RTPHeaderError.invalidPaddingLength(4, available: 3)) { try RTPHeader.parse(packet) }
}

@Test func paddingCannotReachIntoTheExtension() {
    // Extension header says 1 word; P set; 1 byte after the header claiming 6 padding bytes.
    let packet = packetTestBytes(hex: "b0 60 00 01  00 00 00 00  00 00 00 01  be de 00 01  10 aa 00 00  06")
    #expect(throws: RTPHeaderError.invalidPaddingLength(6, available: 1)) { try RTPHeader.parse(packet) }
}

@Test func paddingBitWithoutAnyPaddingOctetThrows() {
    let packet = packetTestBytes(hex: "a0 60 00 01  00 00 00 00  00 00 00 01")
    #expect(throws: RTPHeaderError.truncated(needed: 13, available: 12)) { try RTPHeader.parse(packet) }
}
