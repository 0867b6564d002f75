import RTP
import Testing

@Suite struct RTPHeaderExtensionBlankingTests {
    @Test(arguments: [false, true])
    func blankedElementsBecomePaddingAndTheRestStayReadable(twoByteForm: Bool) throws {
        // A 17-byte value forces the two-byte form (RFC 8285 §4.3).
        let ridValue: [UInt8] = twoByteForm ? Array("h".utf8) + [UInt8](repeating: 0x41, count: 16) : Array("h".utf8)
        let fields = RTPHeaderFields(
            marker: true, payloadType: 96, sequenceNumber: 7, timestamp: 9000, ssrc: 0x1234,
            extensions: [RTPHeaderExtensionItem(id: 1, value: [0x80 | 42]),   // audio level
                         RTPHeaderExtensionItem(id: 4, value: Array("1".utf8)), // mid
                         RTPHeaderExtensionItem(id: 10, value: ridValue)])       // rid
        var packet = try fields.encoded() + [0xAA, 0xBB]
        let length = packet.count
        let header = try RTPHeader.parse(packet)
        #expect(header.extensionForm == (twoByteForm ? .twoByte(appBits: 0) : .oneByte))

        let blanked = packet.withUnsafeMutableBytes { header.blankExtensions(where: { $0 == 4 || $0 == 10 }, in: $0) }
        #expect(blanked == 2)
        #expect(packet.count == length && Array(packet.suffix(2)) == [0xAA, 0xBB], "layout and payload unchanged")

        let after = try RTPHeader.parse(packet)
        try packet.withUnsafeBytes { bytes in
            #expect(try after.extensionValueRange(id: 4, in: bytes) == nil)
            #expect(try after.extensionValueRange(id: 10, in: bytes) == nil)
            let level = try #require(try after.extensionValue(AudioLevelExtension.self, id: 1, in: bytes))
            #expect(level.level == 42 && level.voiceActivity)
        }
    }

    @Test func packetWithoutExtensionsIsLeftAlone() throws {
        var packet = try RTPHeaderFields(marker: false, payloadType: 111, sequenceNumber: 1, timestamp: 2, ssrc: 3).encoded()
        let original = packet
        let header = try RTPHeader.parse(packet)
        #expect(packet.withUnsafeMutableBytes { header.blankExtensions(where: { _ in true }, in: $0) } == 0)
        #expect(packet == original)
    }

    @Test(arguments: [false, true])
    func rewritingMovesElementsIntoTheReceiversIDSpaceAndBlanksTheRest(twoByteForm: Bool) throws {
        let ridValue: [UInt8] = twoByteForm ? [UInt8](repeating: 0x41, count: 17) : Array("h".utf8)
        let fields = RTPHeaderFields(
            marker: false, payloadType: 111, sequenceNumber: 1, timestamp: 2, ssrc: 3,
            extensions: [RTPHeaderExtensionItem(id: 5, value: [0x80 | 30]),   // audio level, sender's id 5
                         RTPHeaderExtensionItem(id: 2, value: [1, 2, 3]),      // abs-send-time, not forwarded
                         RTPHeaderExtensionItem(id: 10, value: ridValue)])
        var packet = try fields.encoded()
        let header = try RTPHeader.parse(packet)
        let result = packet.withUnsafeMutableBytes { bytes in
            header.rewriteExtensionIDs({ $0 == 5 ? 1 : ($0 == 10 ? 15 : nil) }, in: bytes)
        }
        // In the one-byte form 15 cannot be written, so the rid is blanked there.
        #expect(result.rewritten == (twoByteForm ? 2 : 1))
        #expect(result.blanked == (twoByteForm ? 1 : 2))
        let after = try RTPHeader.parse(packet)
        try packet.withUnsafeBytes { bytes in
            let level = try #require(try after.extensionValue(AudioLevelExtension.self, id: 1, in: bytes))
            #expect(level.level == 30)
            #expect(try after.extensionValueRange(id: 5, in: bytes) == nil)
            #expect(try after.extensionValueRange(id: 2, in: bytes) == nil)
            #expect(try after.extensionValueRange(id: 15, in: bytes) != nil || !twoByteForm)
        }
    }
}
