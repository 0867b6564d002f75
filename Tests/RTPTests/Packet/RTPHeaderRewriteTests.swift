import RTP
import Testing

@Test func rewriteOfSSRCSequenceAndTimestampReparses() throws {
    var packet = chromeVP8Packet
    try packet.withUnsafeMutableBytes { bytes in
        try RTPHeader.rewrite(ssrc: 0x0102_0304, sequenceNumber: 0xFFFE, timestamp: 0x8000_0001, in: bytes)
    }
    let header = try RTPHeader.parse(packet)
    #expect(header.ssrc == 0x0102_0304)
    #expect(header.sequenceNumber == 0xFFFE)
    #expect(header.timestamp == 0x8000_0001)
    #expect(header.payloadType == 96)
    #expect(Array(packet[12...]) == Array(chromeVP8Packet[12...]))
    #expect(Array(packet[0..<2]) == Array(chromeVP8Packet[0..<2]))
}

@Test func singleFieldSettersChangeOnlyTheirField() throws {
    var packet = chromeVP8Packet
    try packet.withUnsafeMutableBytes { bytes in
        try RTPHeader.setMarker(true, in: bytes)
        try RTPHeader.setPayloadType(111, in: bytes)
        try RTPHeader.setSSRC(7, in: bytes)
        try RTPHeader.setSequenceNumber(9, in: bytes)
        try RTPHeader.setTimestamp(11, in: bytes)
    }
    var header = try RTPHeader.parse(packet)
    #expect(header.marker)
    #expect(header.payloadType == 111)
    #expect(header.ssrc == 7)
    #expect(header.sequenceNumber == 9)
    #expect(header.timestamp == 11)
    #expect(header.extensionRange == 16..<28)

    // Payload type keeps the marker; clearing the marker keeps the payload type.
    try packet.withUnsafeMutableBytes { bytes in
        try RTPHeader.setPayloadType(100, in: bytes)
    }
    header = try RTPHeader.parse(packet)
    #expect(header.marker && header.payloadType == 100)
    try packet.withUnsafeMutableBytes { bytes in
        try RTPHeader.setMarker(false, in: bytes)
    }
    header = try RTPHeader.parse(packet)
    #expect(!header.marker && header.payloadType == 100)
}

@Test func rewriteRejectsShortBuffersAndWidePayloadTypes() {
    var short = [UInt8](repeating: 0x80, count: 11)
    short.withUnsafeMutableBytes { bytes in
        #expect(throws: RTPHeaderWriteError.bufferTooSmall(needed: 12, available: 11)) {
            try RTPHeader.rewrite(ssrc: 1, sequenceNumber: 1, timestamp: 1, in: bytes)
        }
        #expect(throws: RTPHeaderWriteError.bufferTooSmall(needed: 12, available: 11)) {
            try RTPHeader.setSSRC(1, in: bytes)
        }
        #expect(throws: RTPHeaderWriteError.payloadTypeOutOfRange(128)) {
            try RTPHeader.setPayloadType(128, in: bytes)
        }
    }
    #expect(short == [UInt8](repeating: 0x80, count: 11))
}
