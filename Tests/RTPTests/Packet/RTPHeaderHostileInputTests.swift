import RTP
import Testing

/// Deterministic xorshift so failures reproduce.
private struct PacketTestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

@Test func randomMutationsOfValidPacketsNeverTrapAndStayInBounds() throws {
    var random = PacketTestRandom(state: 0x9E37_79B9_7F4A_7C15)
    let seeds = [chromeVP8Packet, try RTPHeaderFields(
        payloadType: 100, sequenceNumber: 5, timestamp: 6, ssrc: 7, csrcs: [1, 2],
        extensions: [RTPHeaderExtensionItem(id: 20, value: [1, 2, 3]), RTPHeaderExtensionItem(id: 1, value: [])]
    ).encoded() + [9, 9, 0, 3]]
    var parsedCount = 0
    for iteration in 0..<20_000 {
        var packet = seeds[iteration % seeds.count]
        for _ in 0..<(1 + Int(random.next() % 4)) {
            let index = Int(random.next() % UInt64(packet.count))
            packet[index] = UInt8(truncatingIfNeeded: random.next())
        }
        packet.removeLast(Int(random.next() % 8))
        guard let header = try? RTPHeader.parse(packet) else { continue }
        parsedCount += 1
        #expect(header.headerLength <= header.payloadRange.lowerBound)
        #expect(header.payloadRange.upperBound + header.paddingLength == packet.count)
        packet.withUnsafeBytes { bytes in
            guard var cursor = header.extensionElements else { return }
            while let element = try? cursor.next(in: bytes) {
                #expect(element.valueRange.lowerBound >= header.extensionRange.lowerBound)
                #expect(element.valueRange.upperBound <= header.extensionRange.upperBound)
                _ = try? MidExtension(from: bytes, range: element.valueRange)
                _ = try? AbsoluteSendTimeExtension(from: bytes, range: element.valueRange)
            }
        }
    }
    #expect(parsedCount > 1000)
}

@Test func typedValueReadsFromTwoByteElements() throws {
    let fields = RTPHeaderFields(
        payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3,
        extensions: [try MidExtension("a-very-long-mid-value").element(id: 4), try AudioLevelExtension(level: 30, voiceActivity: true).element(id: 100)])
    let packet = try fields.encoded()
    let header = try RTPHeader.parse(packet)
    #expect(header.extensionForm == .twoByte(appBits: 0))
    try packet.withUnsafeBytes { bytes throws in
        #expect(try header.extensionValue(MidExtension.self, id: 4, in: bytes)?.value == "a-very-long-mid-value")
        #expect(try header.extensionValue(AudioLevelExtension.self, id: 100, in: bytes) == AudioLevelExtension(level: 30, voiceActivity: true))
    }
}

@Test func valueRangeOutsideTheBufferThrows() {
    let bytes: [UInt8] = [1, 2, 3]
    bytes.withUnsafeBytes { raw -> Void in
        #expect(throws: RTPHeaderExtensionError.elementsOutsideBuffer(end: 5, bufferCount: 3)) {
            try AbsoluteSendTimeExtension(from: raw, range: 2..<5)
        }
    }
}
