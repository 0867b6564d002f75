import SRTP
import Testing

/// A packet held in a buffer with room for the SRTP trailer, as the transport keeps them.
private struct PacketBuffer {
    var storage: [UInt8]
    var length: Int

    init(_ bytes: [UInt8], spare: Int = 32) {
        storage = bytes + [UInt8](repeating: 0, count: spare)
        length = bytes.count
    }

    var bytes: [UInt8] { Array(storage[0..<length]) }

    mutating func apply(_ body: (UnsafeMutableRawBufferPointer, Int) throws(SRTPError) -> Int) throws(SRTPError) {
        let current = length
        var result: Result<Int, SRTPError> = .success(0)
        storage.withUnsafeMutableBytes { buffer in
            do throws(SRTPError) { result = .success(try body(buffer, current)) } catch { result = .failure(error) }
        }
        length = try result.get()
    }
}

private func rtpPacket(sequenceNumber: UInt16, ssrc: UInt32 = 0x1234_5678, payloadSize: Int = 160) -> [UInt8] {
    var packet: [UInt8] = [0x80, 0x6F, UInt8(sequenceNumber >> 8), UInt8(sequenceNumber & 0xFF),
                           0x00, 0x00, 0x03, 0xE8]
    packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
    packet += (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    return packet
}

private func sessions(_ profile: SRTPProfile) throws -> (sender: SRTPSession, receiver: SRTPSession) {
    let key = SRTPMasterKey(key: (0..<profile.masterKeyLength).map { UInt8($0 + 1) },
                            salt: (0..<profile.masterSaltLength).map { UInt8(0xA0 + $0) })
    return (try SRTPSession(profile: profile, masterKey: key, direction: .sending),
            try SRTPSession(profile: profile, masterKey: key, direction: .receiving))
}

@Suite struct SRTPSessionTests {
    /// libsrtp2's own reference packet for AES_CM_128_HMAC_SHA1_80 (its `srtp_validate` test):
    /// proves the linked library computes the standard cipher, not just something reversible.
    @Test func aesCMProtectMatchesTheReferenceVector() throws {
        let keyAndSalt: [UInt8] = [0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0, 0xD6, 0x4F, 0xA3, 0x2C,
                                   0x06, 0xDE, 0x41, 0x39, 0x0E, 0xC6, 0x75, 0xAD, 0x49, 0x8A, 0xFE, 0xEB,
                                   0xB6, 0x96, 0x0B, 0x3A, 0xAB, 0xE6]
        let plaintext: [UInt8] = [0x80, 0x0F, 0x12, 0x34, 0xDE, 0xCA, 0xFB, 0xAD, 0xCA, 0xFE, 0xBA, 0xBE]
            + [UInt8](repeating: 0xAB, count: 16)
        let ciphertext: [UInt8] = [0x80, 0x0F, 0x12, 0x34, 0xDE, 0xCA, 0xFB, 0xAD, 0xCA, 0xFE, 0xBA, 0xBE,
                                   0x4E, 0x55, 0xDC, 0x4C, 0xE7, 0x99, 0x78, 0xD8, 0x8C, 0xA4, 0xD2, 0x15,
                                   0x94, 0x9D, 0x24, 0x02, 0xB7, 0x8D, 0x6A, 0xCC, 0x99, 0xEA, 0x17, 0x9B,
                                   0x8D, 0xBB]
        let key = SRTPMasterKey(key: Array(keyAndSalt[0..<16]), salt: Array(keyAndSalt[16...]))
        let sender = try SRTPSession(profile: .aes128CMHMACSHA1_80, masterKey: key, direction: .sending)
        var packet = PacketBuffer(plaintext)
        try packet.apply(sender.protectRTP)
        #expect(packet.bytes == ciphertext)

        let receiver = try SRTPSession(profile: .aes128CMHMACSHA1_80, masterKey: key, direction: .receiving)
        try packet.apply(receiver.unprotectRTP)
        #expect(packet.bytes == plaintext)
    }

    @Test(arguments: SRTPProfile.allCases)
    func rtpRoundTripEncryptsAndRestores(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try sessions(profile)
        for sequenceNumber in UInt16(1000)..<1010 {
            let original = rtpPacket(sequenceNumber: sequenceNumber)
            var packet = PacketBuffer(original)
            try packet.apply(sender.protectRTP)
            #expect(packet.length == original.count + profile.rtpTrailerLength)
            #expect(packet.bytes[0..<12] == original[0..<12], "the header stays readable")
            #expect(packet.bytes[12..<original.count] != original[12...], "the payload is encrypted")
            try packet.apply(receiver.unprotectRTP)
            #expect(packet.bytes == original)
        }
    }

    @Test(arguments: SRTPProfile.allCases)
    func rtcpRoundTripEncryptsAndRestores(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try sessions(profile)
        // A receiver report with one report block (RFC 3550 §6.4.2).
        let original: [UInt8] = [0x81, 0xC9, 0x00, 0x07, 0x11, 0x22, 0x33, 0x44]
            + (0..<24).map { UInt8($0) }
        var packet = PacketBuffer(original)
        try packet.apply(sender.protectRTCP)
        #expect(packet.length == original.count + profile.rtcpTrailerLength)
        try packet.apply(receiver.unprotectRTCP)
        #expect(packet.bytes == original)
    }

    @Test(arguments: SRTPProfile.allCases)
    func tamperedPacketFailsAuthentication(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try sessions(profile)
        var packet = PacketBuffer(rtpPacket(sequenceNumber: 7))
        try packet.apply(sender.protectRTP)
        packet.storage[20] ^= 0x01
        #expect(throws: SRTPError.authenticationFailed) { try packet.apply(receiver.unprotectRTP) }
    }

    @Test(arguments: SRTPProfile.allCases)
    func replayedPacketIsRejected(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try sessions(profile)
        var packet = PacketBuffer(rtpPacket(sequenceNumber: 42))
        try packet.apply(sender.protectRTP)
        let onTheWire = packet
        try packet.apply(receiver.unprotectRTP)
        var replay = onTheWire
        #expect(throws: SRTPError.replayed) { try replay.apply(receiver.unprotectRTP) }
    }

    @Test(arguments: SRTPProfile.allCases)
    func wrongKeyFailsAuthentication(_ profile: SRTPProfile) throws {
        let (sender, _) = try sessions(profile)
        let otherKey = SRTPMasterKey(key: [UInt8](repeating: 9, count: profile.masterKeyLength),
                                     salt: [UInt8](repeating: 9, count: profile.masterSaltLength))
        let receiver = try SRTPSession(profile: profile, masterKey: otherKey, direction: .receiving)
        var packet = PacketBuffer(rtpPacket(sequenceNumber: 1))
        try packet.apply(sender.protectRTP)
        #expect(throws: SRTPError.authenticationFailed) { try packet.apply(receiver.unprotectRTP) }
    }

    @Test func protectWithoutRoomForTheTagThrows() throws {
        let (sender, _) = try sessions(.aeadAES128GCM)
        var packet = PacketBuffer(rtpPacket(sequenceNumber: 1), spare: 4)
        #expect(throws: SRTPError.bufferTooSmall(needed: 12 + 160 + 16, available: 12 + 160 + 4)) {
            try packet.apply(sender.protectRTP)
        }
    }

    @Test func tooShortPacketIsMalformed() throws {
        let (_, receiver) = try sessions(.aeadAES128GCM)
        var packet = PacketBuffer([0x80, 0x00, 0x00])
        #expect(throws: SRTPError.malformedPacket) { try packet.apply(receiver.unprotectRTP) }
    }

    @Test func keyOfWrongLengthIsRejected() {
        let key = SRTPMasterKey(key: [1, 2, 3], salt: [4])
        #expect(throws: SRTPError.self) {
            try SRTPSession(profile: .aeadAES128GCM, masterKey: key, direction: .sending)
        }
    }

    @Test func dtlsKeyingMaterialIsSplitClientKeyServerKeyClientSaltServerSalt() throws {
        // RFC 5764 §4.2, for AES-GCM: 16 + 16 + 12 + 12 bytes.
        let material = (0..<56).map { UInt8($0) }
        let (client, server) = try SRTPMasterKey.fromDTLSKeyingMaterial(material, profile: .aeadAES128GCM)
        #expect(client.key == Array(0..<16))
        #expect(server.key == Array(16..<32))
        #expect(client.salt == Array(32..<44))
        #expect(server.salt == Array(44..<56))
        #expect(throws: SRTPError.invalidKeyLength(expected: 60, actual: 56)) {
            try SRTPMasterKey.fromDTLSKeyingMaterial(material, profile: .aes128CMHMACSHA1_80)
        }
    }
}
