@testable import SRTP
import Testing

/// Sending AES-GCM RTP goes through OpenSSL (`AESGCMRTPProtector`); libsrtp2 does the same
/// transform and stays the reference: both must give the same bytes for every packet shape,
/// and libsrtp2 must take ours back.
@Suite struct AESGCMRTPProtectorTests {
    static let masterKey = SRTPMasterKey(key: (0..<16).map { UInt8($0 &* 7 &+ 3) },
                                         salt: (0..<12).map { UInt8(0xC0 &+ $0) })

    /// An RTP packet: `csrcs` contributing sources, a one-byte-form extension block of
    /// `extensionWords` 32-bit words when non-zero, and `payload` bytes.
    static func packet(sequence: UInt16, ssrc: UInt32 = 0xCAFE_0001, csrcs: Int = 0, extensionWords: Int = 0,
                       payload: Int = 160) -> [UInt8] {
        var bytes: [UInt8] = [0x80 | UInt8(csrcs) | (extensionWords > 0 ? 0x10 : 0), 96,
                              UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0x12, 0x34, 0x56, 0x78]
        bytes += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        for index in 0..<csrcs { bytes += [0, 0, 0, UInt8(index + 1)] }
        if extensionWords > 0 {
            bytes += [0xBE, 0xDE, 0, UInt8(extensionWords)]
            bytes += (0..<(4 * extensionWords)).map { UInt8(truncatingIfNeeded: 0x10 + $0) }
        }
        bytes += (0..<payload).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        return bytes
    }

    static func protect(_ bytes: [UInt8], with session: SRTPSession) throws -> [UInt8] {
        var storage = bytes + [UInt8](repeating: 0, count: 32)
        let length = try storage.withUnsafeMutableBytes { buffer in
            try session.protectRTP(buffer, length: bytes.count)
        }
        return Array(storage[0..<length])
    }

    static func sessions() throws -> (openSSL: SRTPSession, libsrtp: SRTPSession, receiver: SRTPSession) {
        (try SRTPSession(profile: .aeadAES128GCM, masterKey: masterKey, direction: .sending),
         try SRTPSession(profile: .aeadAES128GCM, masterKey: masterKey, direction: .sending, libsrtpProtectsGCMRTP: true),
         try SRTPSession(profile: .aeadAES128GCM, masterKey: masterKey, direction: .receiving))
    }

    @Test func sameBytesAsLibsrtpForEveryHeaderShapeAndSize() throws {
        let (openSSL, libsrtp, receiver) = try Self.sessions()
        let shapes: [(csrcs: Int, extensionWords: Int, payload: Int)] = [
            (0, 0, 160), (0, 0, 0), (0, 0, 1), (2, 0, 100), (0, 1, 1_200), (3, 4, 777), (15, 2, 16),
        ]
        var sequence: UInt16 = 100
        for shape in shapes {
            sequence += 1
            let plain = Self.packet(sequence: sequence, csrcs: shape.csrcs, extensionWords: shape.extensionWords,
                                    payload: shape.payload)
            let ours = try Self.protect(plain, with: openSSL)
            #expect(ours == (try Self.protect(plain, with: libsrtp)), "\(shape)")
            #expect(ours.count == plain.count + 16)
            var storage = ours
            let length = try storage.withUnsafeMutableBytes { try receiver.unprotectRTP($0, length: ours.count) }
            #expect(Array(storage[0..<length]) == plain, "libsrtp2 takes it back: \(shape)")
        }
    }

    /// The 48-bit index across a sequence wrap (RFC 3711 §3.3.1), for two SSRCs interleaved, and a
    /// packet from before the wrap resent after it (a NACK answered without RTX).
    @Test func rolloverCounterMatchesLibsrtpAcrossTheWrapAndForResentPackets() throws {
        let (openSSL, libsrtp, receiver) = try Self.sessions()
        var sent: [(ssrc: UInt32, sequence: UInt16)] = []
        var first: UInt16 = 65_530, second: UInt16 = 30_000
        for _ in 0..<12 {
            sent.append((0xAAAA_0001, first))
            sent.append((0xBBBB_0002, second))
            first &+= 1
            second &+= 1
        }
        let resent = (ssrc: UInt32(0xAAAA_0001), sequence: UInt16(65_534))
        sent.append(resent)
        for (index, (ssrc, sequence)) in sent.enumerated() {
            let plain = Self.packet(sequence: sequence, ssrc: ssrc, payload: 50)
            let ours = try Self.protect(plain, with: openSSL)
            #expect(ours == (try Self.protect(plain, with: libsrtp)), "SSRC \(ssrc) sequence \(sequence)")
            var storage = ours
            if index == sent.count - 1 {
                // The receiver has it already: with the right index it is a replay, with a wrong
                // one it would fail authentication.
                #expect(throws: SRTPError.replayed) {
                    _ = try storage.withUnsafeMutableBytes { try receiver.unprotectRTP($0, length: ours.count) }
                }
                continue
            }
            let length = try storage.withUnsafeMutableBytes { try receiver.unprotectRTP($0, length: ours.count) }
            #expect(Array(storage[0..<length]) == plain)
        }
    }

    @Test func rolloverCounterEstimatesLikeTheReceiver() {
        var counter = RolloverCounter(firstSequence: 65_000)
        #expect(counter.index(of: 65_535) == 0)
        #expect(counter.index(of: 3) == 1, "wrapped")
        #expect(counter.index(of: 65_534) == 0, "resent from before the wrap")
        #expect(counter.index(of: 40_000) == 0, "more than half the space ahead reads as before the wrap, as a receiver reads it")
        #expect(counter.index(of: 20_000) == 1)
        #expect(counter.index(of: 40_000) == 1)
        #expect(counter.index(of: 5) == 2, "wrapped again from 40,000")
        var early = RolloverCounter(firstSequence: 10)
        #expect(early.index(of: 9) == 0)
        #expect(early.index(of: 20_000) == 0)
    }

    @Test func malformedHeadersAreRefusedAndTheBufferIsLeftAlone() throws {
        let (openSSL, _, _) = try Self.sessions()
        var noVersion = Self.packet(sequence: 1)
        noVersion[0] = 0x00
        var extensionPastTheEnd = Self.packet(sequence: 2, extensionWords: 1, payload: 0)
        extensionPastTheEnd[15] = 9
        let tooManyCSRCs = Array(Self.packet(sequence: 3, csrcs: 15, payload: 0).prefix(40))
        for bytes in [noVersion, extensionPastTheEnd, tooManyCSRCs, [0x80, 96, 0, 1]] {
            var storage = bytes + [UInt8](repeating: 0, count: 32)
            #expect(throws: SRTPError.malformedPacket) {
                _ = try storage.withUnsafeMutableBytes { try openSSL.protectRTP($0, length: bytes.count) }
            }
            #expect(Array(storage.prefix(bytes.count)) == bytes)
        }
    }

    /// RFC 3711 Appendix B.3: the AES-CM PRF key derivation test vector.
    @Test func keyDerivationMatchesRFC3711AppendixB3() throws {
        let masterKey = SRTPMasterKey(key: hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                                      salt: hex("0EC675AD498AFEEBB6960B3AABE6"))
        #expect(try SRTPKeyDerivation.derive(.rtpEncryption, length: 16, from: masterKey)
                == hex("C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(try SRTPKeyDerivation.derive(.rtpSalt, length: 14, from: masterKey)
                == hex("30CBBC08863D8C85D49DB34A9AE1"))
    }
}

private func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}
