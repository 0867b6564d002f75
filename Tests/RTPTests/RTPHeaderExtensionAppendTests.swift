import RTP
import Testing

/// A transport-wide sequence number added while copying a packet: the payload and padding
/// stay, the existing extensions stay readable, and the form matches the id.
struct RTPHeaderExtensionAppendTests {
    static func packet(extensions: [UInt8]? = nil, profile: UInt16 = 0xBEDE, payload: [UInt8] = [1, 2, 3, 4, 5],
                       padding: Int = 0) -> [UInt8] {
        var bytes: [UInt8] = [0x80 | (extensions == nil ? 0 : 0x10) | (padding > 0 ? 0x20 : 0), 96, 0x12, 0x34,
                              0, 0, 0x10, 0, 0xAA, 0xBB, 0xCC, 0xDD]
        if let extensions {
            bytes += [UInt8(profile >> 8), UInt8(profile & 0xFF), 0, UInt8(extensions.count / 4)] + extensions
        }
        bytes += payload
        if padding > 0 { bytes += [UInt8](repeating: 0, count: padding - 1) + [UInt8(padding)] }
        return bytes
    }

    func append(_ packet: [UInt8], id: UInt8, sequence: UInt16 = 0xBEEF) throws -> [UInt8] {
        var target = [UInt8](repeating: 0xEE, count: packet.count + RTPHeader.appendedExtensionBytes(valueLength: 2))
        let length = try packet.withUnsafeBytes { source in
            try target.withUnsafeMutableBytes { target in
                try RTPHeader.copy(source, header: RTPHeader.parse(source), into: target,
                                   appending: TransportWideSequenceNumberExtension(sequenceNumber: sequence), id: id)
            }
        }
        return Array(target.prefix(length))
    }

    func read(_ packet: [UInt8], id: UInt8) throws -> (header: RTPHeader, sequence: UInt16?, payload: [UInt8]) {
        try packet.withUnsafeBytes { raw in
            let header = try RTPHeader.parse(raw)
            let value = try header.extensionValue(TransportWideSequenceNumberExtension.self, id: id, in: raw)
            return (header, value?.sequenceNumber, Array(raw[header.payloadRange]))
        }
    }

    @Test func aPacketWithoutExtensionsGainsAOneByteBlock() throws {
        let original = Self.packet(payload: [9, 8, 7], padding: 4)
        let result = try append(original, id: 3)
        #expect(result.count == original.count + 8)
        let (header, sequence, payload) = try read(result, id: 3)
        #expect(header.extensionProfile == 0xBEDE && sequence == 0xBEEF)
        #expect(payload == [9, 8, 7] && header.paddingLength == 4)
        #expect(header.sequenceNumber == 0x1234 && header.ssrc == 0xAABB_CCDD)
    }

    @Test func anExistingOneByteBlockKeepsItsElementsAndGrowsByAWord() throws {
        // Audio level (id 1, one byte) and three bytes of padding where mid was blanked.
        let original = Self.packet(extensions: [0x10, 0x85, 0, 0])
        let result = try append(original, id: 3)
        #expect(result.count == original.count + 4)
        let (header, sequence, payload) = try read(result, id: 3)
        #expect(sequence == 0xBEEF && payload == [1, 2, 3, 4, 5])
        let level = try result.withUnsafeBytes { try header.extensionValueRange(id: 1, in: $0) }
        #expect(level.map { result[$0] } == [0x85])
    }

    @Test func aTwoByteBlockGetsATwoByteElementAndALargeIdGetsTheTwoByteForm() throws {
        let twoByte = Self.packet(extensions: [5, 1, 0x42, 0], profile: 0x1000)
        let (_, sequence, payload) = try read(try append(twoByte, id: 20), id: 20)
        #expect(sequence == 0xBEEF && payload == [1, 2, 3, 4, 5])
        let (header, fresh, _) = try read(try append(Self.packet(), id: 200), id: 200)
        #expect(header.extensionProfile == 0x1000 && fresh == 0xBEEF)
    }

    @Test func whatCannotBeAppendedIsRefused() throws {
        // A one-byte block cannot hold id 15 and above.
        #expect(throws: RTPHeaderExtensionAppendError.elementDoesNotFit(id: 20, length: 2)) {
            try append(Self.packet(extensions: [0x10, 0x85, 0, 0]), id: 20)
        }
        #expect(throws: RTPHeaderExtensionAppendError.foreignExtensionProfile(0xABCD)) {
            try append(Self.packet(extensions: [1, 2, 3, 4], profile: 0xABCD), id: 3)
        }
        let original = Self.packet()
        var small = [UInt8](repeating: 0, count: original.count + 2)
        #expect(throws: RTPHeaderExtensionAppendError.targetTooSmall(needed: original.count + 8, available: original.count + 2)) {
            try original.withUnsafeBytes { source in
                try small.withUnsafeMutableBytes { target in
                    try RTPHeader.copy(source, header: RTPHeader.parse(source), into: target,
                                       appending: TransportWideSequenceNumberExtension(sequenceNumber: 1), id: 3)
                }
            }
        }
    }
}
