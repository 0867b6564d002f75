import SDP
import Testing

@Suite struct SDPRoundTripTests {
    @Test(arguments: SDPFixture.allCases)
    func fixtureIsWrittenBackLineForLine(_ fixture: SDPFixture) throws {
        let text = try fixture.text()
        let description = try SessionDescription.parse(text)
        let written = description.serialized()
        let inputLines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let outputLines = written.split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(outputLines.count == inputLines.count)
        for (index, (input, output)) in zip(inputLines, outputLines).enumerated() {
            #expect(output == input, "line \(index + 1)")
        }
        #expect(written == text)
    }

    @Test(arguments: SDPFixture.allCases)
    func parsingTheWrittenTextGivesAnEqualDescription(_ fixture: SDPFixture) throws {
        let description = try fixture.parsed()
        #expect(try SessionDescription.parse(description.serialized()) == description)
    }

    @Test(arguments: SDPFixture.allCases)
    func lineFeedOnlyInputIsAcceptedAndWrittenWithCRLF(_ fixture: SDPFixture) throws {
        let text = try fixture.text()
        let lineFeedOnly = text.replacing("\r\n", with: "\n")
        #expect(!lineFeedOnly.contains("\r"))
        let description = try SessionDescription.parse(lineFeedOnly)
        #expect(description == (try SessionDescription.parse(text)))
        #expect(description.serialized() == text)
    }

    @Test func inputWithoutFinalLineEndingParses() throws {
        let text = try SDPFixture.chromiumOffer.text()
        #expect(text.hasSuffix("\r\n"))
        let trimmed = String(decoding: text.utf8.dropLast(2), as: UTF8.self)
        #expect(!trimmed.hasSuffix("\n"))
        #expect(try SessionDescription.parse(trimmed) == (try SessionDescription.parse(text)))
    }

    @Test func everyTruncationEitherParsesOrThrowsTypedError() throws {
        let bytes = Array(try SDPFixture.chromiumOffer.text().utf8)
        var parsedCount = 0
        var failedCount = 0
        for length in stride(from: 0, through: bytes.count, by: 3) {
            let prefix = String(decoding: bytes[..<length], as: UTF8.self)
            do {
                _ = try SessionDescription.parse(prefix)
                parsedCount += 1
            } catch {
                #expect(error.line >= 0 && error.line <= 200)
                failedCount += 1
            }
        }
        #expect(parsedCount > 0)
        #expect(failedCount > 0)
    }

    @Test func randomByteMutationsNeverCrashTheParser() throws {
        let original = Array(try SDPFixture.firefoxOffer.text().utf8)
        let replacements = Array(" :;/=~,\t\r\n0a*".utf8) + [0x00, 0x7F]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var failures = 0
        for _ in 0..<400 {
            var mutated = original
            for _ in 0..<3 {
                // xorshift64: deterministic positions and replacement bytes.
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                let position = Int(state % UInt64(mutated.count))
                mutated[position] = replacements[Int((state >> 32) % UInt64(replacements.count))]
            }
            do {
                let description = try SessionDescription.parse(String(decoding: mutated, as: UTF8.self))
                // Whatever parses must also survive its own write-out.
                #expect(try SessionDescription.parse(description.serialized()) == description)
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)
    }

    @Test func builtDescriptionSurvivesWriteAndParse() throws {
        var video = SDPMediaSection(kind: .video, transportProtocol: "UDP/TLS/RTP/SAVPF", formats: ["96", "97"],
                                    connections: [SDPConnection()], bandwidths: [SDPBandwidth(type: "TIAS", value: 2_500_000)])
        video.attributes = [
            .mid("v0"),
            .direction(.recvonly),
            .iceUsernameFragment("sfu1"),
            .icePassword("0123456789abcdef012345"),
            .candidate(SDPCandidate(foundation: "1", componentID: 1, transport: "udp", priority: 2_130_706_431,
                                    address: "192.0.2.1", port: 40000, type: .host,
                                    extensions: [SDPCandidateExtension(name: "ufrag", value: "sfu1")])),
            .endOfCandidates,
            .extensionMap(SDPExtensionMap(id: 256 - 1, direction: .sendrecv, uri: "urn:example:ext", extensionAttributes: "a b")),
            .rtcpMux,
            .rtpMap(SDPRTPMap(payloadType: 96, encodingName: "VP8", clockRate: 90000)),
            .rtpMap(SDPRTPMap(payloadType: 97, encodingName: "rtx", clockRate: 90000)),
            .formatParameters(SDPFormatParameters(payloadType: 97, parameters: [SDPFormatParameter(name: "apt", value: "96")])),
            .rtcpFeedback(SDPRTCPFeedback(format: .all, type: "nack")),
            .rtcpFeedback(SDPRTCPFeedback(format: .payloadType(96), type: "ccm", parameter: "fir")),
            .rid(SDPRestrictionID(id: "hi", direction: .recv, payloadTypes: [96],
                                  restrictions: [SDPRIDRestriction(name: "max-width", value: "1280"), SDPRIDRestriction(name: "depend", value: "lo")])),
            .rid(SDPRestrictionID(id: "lo", direction: .recv)),
            .simulcast(SDPSimulcast(receive: [[SDPSimulcastStream(rid: "hi"), SDPSimulcastStream(rid: "hi2", paused: true)],
                                              [SDPSimulcastStream(rid: "lo", paused: true)]])),
            .other(name: "x-custom", value: ""),
            .other(name: "x-flag", value: nil),
        ]
        let description = SessionDescription(
            origin: SDPOrigin(sessionID: 42, sessionVersion: 7),
            attributes: [.iceLite, .group(SDPGroup(semantics: "BUNDLE", mids: ["v0"])),
                         .fingerprint(SDPFingerprint(hashFunction: "sha-256", digest: Array(0..<32))),
                         .setup(.passive)],
            mediaSections: [video])
        let text = description.serialized()
        #expect(text.hasPrefix("v=0\r\no=- 42 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE v0\r\n"))
        #expect(text.contains("\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\nb=TIAS:2500000\r\na=mid:v0\r\n"))
        #expect(text.contains("\r\na=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:"))
        #expect(text.contains("\r\na=candidate:1 1 udp 2130706431 192.0.2.1 40000 typ host ufrag sfu1\r\n"))
        #expect(text.contains("\r\na=extmap:255/sendrecv urn:example:ext a b\r\n"))
        #expect(text.contains("\r\na=rtcp-fb:* nack\r\n"))
        #expect(text.contains("\r\na=rid:hi recv pt=96;max-width=1280;depend=lo\r\n"))
        #expect(text.contains("\r\na=simulcast:recv hi,~hi2;~lo\r\n"))
        #expect(text.hasSuffix("\r\na=x-custom:\r\na=x-flag\r\n"))

        let parsed = try SessionDescription.parse(text)
        #expect(parsed == description)
        #expect(parsed.isICELite)
        #expect(parsed.effectiveSetup(of: video) == .passive)
        let codecs = try #require(parsed.mediaSections.first).codecs
        #expect(codecs.map(\.payloadType) == [96, 97])
        #expect(codecs[0].retransmissionPayloadType == 97)
        #expect(codecs[0].feedback == [SDPRTCPFeedback(format: .all, type: "nack"),
                                       SDPRTCPFeedback(format: .payloadType(96), type: "ccm", parameter: "fir")])
        #expect(codecs[1].feedback == [SDPRTCPFeedback(format: .all, type: "nack")])
        #expect(codecs[1].associatedPayloadType == 96)
        let layers = video.simulcastLayers(.recv)
        #expect(layers.map(\.rid) == ["hi", "lo"])
        #expect(layers.map(\.isPaused) == [false, true])
        #expect(layers[0].rids.map(\.id) == ["hi"])
        #expect(layers[0].rids.first?.restriction("max-width") == "1280")
        #expect(video.simulcastLayers(.send).isEmpty)
    }
}
