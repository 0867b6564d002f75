import RTP
import SFU
import Testing

/// V=2 P=1 X=1 CC=1, M=1 PT=96, seq 0x1234, ts 0xDEADBEEF, SSRC 0x11111111, CSRC 0x22222222,
/// a one-byte-form extension block (id 1, value AA), payload 01 02 03, 3 octets of padding.
private let original: [UInt8] = [
    0xB1, 0xE0, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x11, 0x11, 0x11, 0x11,
    0x22, 0x22, 0x22, 0x22,
    0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00,
    0x01, 0x02, 0x03,
    0x00, 0x00, 0x03,
]

@Test func rtxPacketCarriesTheOriginalSequenceNumberBeforeThePayload() throws {
    var packetizer = RTXPacketizer(ssrc: 0x3333_3333, payloadType: 97, initialSequenceNumber: 0x0100)
    let rtx = try packetizer.packetize(original: original)
    // RFC 4588 §4: RTX SSRC/PT/seq, same timestamp, marker, CSRC and extensions, P cleared,
    // then OSN 0x1234 and the original payload without padding.
    #expect(rtx == [
        0x91, 0xE1, 0x01, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x33, 0x33, 0x33, 0x33,
        0x22, 0x22, 0x22, 0x22,
        0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00,
        0x12, 0x34,
        0x01, 0x02, 0x03,
    ])
    #expect(packetizer.nextSequenceNumber == 0x0101)
    let header = try RTPHeader.parse(rtx)
    #expect(header.ssrc == 0x3333_3333)
    #expect(header.payloadType == 97)
    #expect(header.marker)
    #expect(header.payloadRange == 24..<29)
}

@Test func rtxSequenceNumbersIncrementAndWrap() throws {
    var packetizer = RTXPacketizer(ssrc: 1, payloadType: 97, initialSequenceNumber: 0xFFFF)
    let first = try packetizer.packetize(original: original)
    let second = try packetizer.packetize(original: original)
    #expect(first[2] == 0xFF && first[3] == 0xFF)
    #expect(second[2] == 0x00 && second[3] == 0x00)
}

@Test func rtxOfAMinimalPacketWithoutMarkerKeepsMarkerClear() throws {
    let plain: [UInt8] = [0x80, 0x60, 0xAB, 0xCD, 0, 0, 0, 1, 0, 0, 0, 2, 0x55]
    var packetizer = RTXPacketizer(ssrc: 9, payloadType: 0x7F, initialSequenceNumber: 7)
    let rtx = try packetizer.packetize(original: plain)
    #expect(rtx == [0x80, 0x7F, 0x00, 0x07, 0, 0, 0, 1, 0, 0, 0, 9, 0xAB, 0xCD, 0x55])
}

@Test func invalidOriginalsAndSmallBuffersThrowWithoutConsumingASequenceNumber() throws {
    var packetizer = RTXPacketizer(ssrc: 1, payloadType: 97, initialSequenceNumber: 10)
    // Every truncation inside the header (fixed part, CSRC, extension) is invalid RTP.
    for length in 0..<24 {
        #expect(throws: RTXPacketizerError.self) { try packetizer.packetize(original: Array(original[..<length])) }
    }
    var small = [UInt8](repeating: 0, count: 28)
    let result = original.withUnsafeBytes { source in
        small.withUnsafeMutableBytes { destination in
            Result { () throws(RTXPacketizerError) -> Int in try packetizer.packetize(original: source, into: destination) }
        }
    }
    #expect(throws: RTXPacketizerError.bufferTooSmall(needed: 29, available: 28)) { try result.get() }
    #expect(packetizer.nextSequenceNumber == 10)
}

@Test func theOSNOfAnIncomingRTXPacketLeadsBackToTheOriginal() throws {
    var packetizer = RTXPacketizer(ssrc: 0x3333_3333, payloadType: 97, initialSequenceNumber: 0x0100)
    let rtx = try packetizer.packetize(original: original)
    let payload = try rtx.withUnsafeBytes { raw in
        try RTXPacketizer.originalPayload(of: try RTPHeader.parse(raw), in: raw)
    }
    #expect(payload.originalSequenceNumber == 0x1234)
    #expect(Array(rtx[payload.originalPayloadRange]) == [0x01, 0x02, 0x03])
}

@Test func anRTXPacketWithoutRoomForTheOSNIsRejected() throws {
    // Header only, and header plus one payload octet.
    for packet: [UInt8] in [[0x80, 0x61, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2],
                            [0x80, 0x61, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0xAA]] {
        let header = try RTPHeader.parse(packet)
        #expect(throws: RTXPacketizerError.missingOriginalSequenceNumber(payloadLength: packet.count - 12)) {
            try packet.withUnsafeBytes { raw in try RTXPacketizer.originalPayload(of: header, in: raw) }
        }
    }
}

@Test func aNACKedPacketGoesFromTheBufferIntoAnRTXPacketWithoutCopiesInBetween() throws {
    var buffer = RetransmissionBuffer(capacity: 64)
    try buffer.store(original, sequenceNumber: 0x1234, sendTimeMicroseconds: 1_000)
    var packetizer = RTXPacketizer(ssrc: 0x3333_3333, payloadType: 97, initialSequenceNumber: 0x0100)
    let entry = try #require(buffer.packet(sequenceNumber: 0x1234, nowMicroseconds: 50_000))
    var output = [UInt8](repeating: 0, count: 1500)
    let written = try buffer.withPacketBytes(entry) { stored in
        try output.withUnsafeMutableBytes { destination in
            try packetizer.packetize(original: stored, into: destination)
        }
    }
    buffer.recordRetransmission(sequenceNumber: 0x1234, nowMicroseconds: 50_000)
    #expect(written == 29)
    #expect(Array(output[24..<29]) == [0x12, 0x34, 0x01, 0x02, 0x03])
    #expect(buffer.packet(sequenceNumber: 0x1234, nowMicroseconds: 50_000)?.retransmissionCount == 1)
}
