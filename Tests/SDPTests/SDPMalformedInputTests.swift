import SDP
import Testing

/// One malformed description and the error it must produce.
struct SDPMalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let line: Int
    let reason: SDPParseErrorReason
    var limits: SDPParseLimits = .default

    var testDescription: String { name }
}

/// Lines 1-4 of a valid description; line 5 is the m= line.
private let header = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
private let audioLine = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"

/// `header` + `audioLine` + the given attribute lines; the first attribute is line 6.
private func audio(_ lines: String...) -> String {
    header + audioLine + lines.map { $0 + "\r\n" }.joined()
}

private let malformedCases: [SDPMalformedCase] = [
    SDPMalformedCase(name: "missing v=", text: "o=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", line: 1, reason: .missingVersion),
    SDPMalformedCase(name: "empty input", text: "", line: 1, reason: .missingVersion),
    SDPMalformedCase(name: "version 1", text: "v=1\r\n", line: 1, reason: .unsupportedVersion("1")),
    SDPMalformedCase(name: "missing o=", text: "v=0\r\ns=-\r\nt=0 0\r\n", line: 2, reason: .missingLine("o")),
    SDPMalformedCase(name: "origin without address", text: "v=0\r\no=- 1 2 IN IP4\r\n", line: 2,
                     reason: .badOrigin("- 1 2 IN IP4")),
    SDPMalformedCase(name: "missing s=", text: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nt=0 0\r\n", line: 3, reason: .missingLine("s")),
    SDPMalformedCase(name: "missing t= before m=", text: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n" + audioLine,
                     line: 4, reason: .missingLine("t")),
    SDPMalformedCase(name: "missing t= at end", text: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n",
                     line: 4, reason: .missingLine("t")),
    SDPMalformedCase(name: "m= without formats", text: header + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", line: 5,
                     reason: .badMediaLine(.tooFewFields(3))),
    SDPMalformedCase(name: "m= port out of range", text: header + "m=audio 65536 UDP/TLS/RTP/SAVPF 111\r\n", line: 5,
                     reason: .badMediaLine(.badPort("65536"))),
    SDPMalformedCase(name: "m= non-numeric RTP format", text: header + "m=video 9 UDP/TLS/RTP/SAVPF 96 vp8\r\n", line: 5,
                     reason: .badMediaLine(.badPayloadType("vp8"))),
    SDPMalformedCase(name: "m= payload type over 127", text: header + "m=video 9 UDP/TLS/RTP/SAVPF 128\r\n", line: 5,
                     reason: .badMediaLine(.badPayloadType("128"))),
    SDPMalformedCase(name: "m= zero port count", text: header + "m=video 9/0 RTP/AVP 96\r\n", line: 5,
                     reason: .badMediaLine(.badNumberOfPorts("9/0"))),
    SDPMalformedCase(name: "m= doubled space", text: header + "m=audio 9 UDP/TLS/RTP/SAVPF 111  0\r\n", line: 5,
                     reason: .badMediaLine(.badFormat(""))),
    SDPMalformedCase(name: "m= empty protocol part", text: header + "m=audio 9 UDP//SAVPF 111\r\n", line: 5,
                     reason: .badMediaLine(.badProtocol("UDP//SAVPF"))),
    SDPMalformedCase(name: "rtpmap without clock rate", text: audio("a=mid:0", "a=rtpmap:111 opus"), line: 7,
                     reason: .badRTPMap("111 opus")),
    SDPMalformedCase(name: "rtpmap payload type 200", text: audio("a=rtpmap:200 opus/48000/2"), line: 6,
                     reason: .badRTPMap("200 opus/48000/2")),
    SDPMalformedCase(name: "rtpmap zero clock rate", text: audio("a=rtpmap:111 opus/0/2"), line: 6,
                     reason: .badRTPMap("111 opus/0/2")),
    SDPMalformedCase(name: "candidate without typ", text: audio("a=candidate:1 1 udp 2122194687 192.0.2.1 54400 host"),
                     line: 6, reason: .badCandidate(.tooFewFields(7))),
    SDPMalformedCase(name: "candidate typ keyword misspelt",
                     text: audio("a=candidate:1 1 udp 2122194687 192.0.2.1 54400 type host"),
                     line: 6, reason: .badCandidate(.missingType)),
    SDPMalformedCase(name: "candidate priority over 32 bits",
                     text: audio("a=candidate:1 1 udp 4294967296 192.0.2.1 54400 typ host"),
                     line: 6, reason: .badCandidate(.badPriority("4294967296"))),
    SDPMalformedCase(name: "candidate port over 16 bits",
                     text: audio("a=candidate:1 1 udp 1 192.0.2.1 65536 typ host"),
                     line: 6, reason: .badCandidate(.badPort("65536"))),
    SDPMalformedCase(name: "candidate component 0", text: audio("a=candidate:1 0 udp 1 192.0.2.1 5000 typ host"),
                     line: 6, reason: .badCandidate(.badComponentID("0"))),
    SDPMalformedCase(name: "candidate foundation too long",
                     text: audio("a=candidate:" + String(repeating: "a", count: 33) + " 1 udp 1 192.0.2.1 5000 typ host"),
                     line: 6, reason: .badCandidate(.badFoundation(String(repeating: "a", count: 33)))),
    SDPMalformedCase(name: "candidate unpaired extension",
                     text: audio("a=candidate:1 1 udp 1 192.0.2.1 5000 typ host generation"),
                     line: 6, reason: .badCandidate(.unpairedExtension("generation"))),
    SDPMalformedCase(name: "candidate raddr without address",
                     text: audio("a=candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr"),
                     line: 6, reason: .badCandidate(.badRelatedAddress)),
    SDPMalformedCase(name: "candidate bad tcptype",
                     text: audio("a=candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype sideways"),
                     line: 6, reason: .badCandidate(.badTCPType("sideways"))),
    SDPMalformedCase(name: "unknown setup value", text: audio("a=mid:0", "a=sendrecv", "a=setup:maybe"), line: 8,
                     reason: .unknownSetupRole("maybe")),
    SDPMalformedCase(name: "unknown setup value at session level", text: header + "a=setup:ACTPASS\r\n", line: 5,
                     reason: .unknownSetupRole("ACTPASS")),
    SDPMalformedCase(name: "fingerprint too short for sha-256", text: audio("a=fingerprint:sha-256 7E:67:13"), line: 6,
                     reason: .badFingerprint(.wrongLength(hashFunction: "sha-256", expected: 32, actual: 3))),
    SDPMalformedCase(name: "fingerprint non-hex pair", text: audio("a=fingerprint:sha-1 7E:ZZ:13"), line: 6,
                     reason: .badFingerprint(.badHexPair("ZZ"))),
    SDPMalformedCase(name: "fingerprint signed pair", text: audio("a=fingerprint:sha-1 7E:+F:13"), line: 6,
                     reason: .badFingerprint(.badHexPair("+F"))),
    SDPMalformedCase(name: "fingerprint without hash function", text: audio("a=fingerprint:7E:67:13"), line: 6,
                     reason: .badFingerprint(.missingHashFunction)),
    SDPMalformedCase(name: "extmap id 0", text: audio("a=extmap:0 urn:ietf:params:rtp-hdrext:sdes:mid"), line: 6,
                     reason: .badExtensionMap("0 urn:ietf:params:rtp-hdrext:sdes:mid")),
    SDPMalformedCase(name: "extmap bad direction", text: audio("a=extmap:3/sideways urn:x"), line: 6,
                     reason: .badExtensionMap("3/sideways urn:x")),
    SDPMalformedCase(name: "fmtp without payload type", text: audio("a=fmtp:opus useinbandfec=1"), line: 6,
                     reason: .badFormatParameters("opus useinbandfec=1")),
    SDPMalformedCase(name: "rtcp-fb without type", text: audio("a=rtcp-fb:111"), line: 6,
                     reason: .badRTCPFeedback("111")),
    SDPMalformedCase(name: "rid with bad direction", text: audio("a=rid:q sideways"), line: 6, reason: .badRID("q sideways")),
    SDPMalformedCase(name: "rid with bad payload type", text: audio("a=rid:q send pt=96,x"), line: 6,
                     reason: .badRID("q send pt=96,x")),
    SDPMalformedCase(name: "simulcast with empty stream", text: audio("a=simulcast:send q;;f"), line: 6,
                     reason: .badSimulcast("send q;;f")),
    SDPMalformedCase(name: "simulcast send twice", text: audio("a=simulcast:send q send f"), line: 6,
                     reason: .badSimulcast("send q send f")),
    SDPMalformedCase(name: "ssrc not a number", text: audio("a=ssrc:abc cname:x"), line: 6,
                     reason: .badSourceAttribute("abc cname:x")),
    SDPMalformedCase(name: "ssrc-group without ssrcs", text: audio("a=ssrc-group:FID"), line: 6,
                     reason: .badSourceGroup("FID")),
    SDPMalformedCase(name: "sctp-port out of range", text: audio("a=sctp-port:70000"), line: 6,
                     reason: .badSCTPPort("70000")),
    SDPMalformedCase(name: "empty mid", text: audio("a=mid:"), line: 6, reason: .emptyAttributeValue("mid")),
    SDPMalformedCase(name: "attribute name with space", text: audio("a=bad name:1"), line: 6,
                     reason: .badAttributeName("bad name")),
    SDPMalformedCase(name: "unknown line type", text: header + "x=1\r\n", line: 5, reason: .unknownLineType("x")),
    SDPMalformedCase(name: "upper-case line type", text: header + "A=rtcp-mux\r\n", line: 5, reason: .malformedLine),
    SDPMalformedCase(name: "line without equals sign", text: audio("rtcp-mux"), line: 6, reason: .malformedLine),
    SDPMalformedCase(name: "session line inside media section", text: audio("a=mid:0", "t=0 0"), line: 7,
                     reason: .lineOutOfPlace("t")),
    SDPMalformedCase(name: "second v= line", text: header + "v=0\r\n", line: 5, reason: .duplicateLine("v")),
    SDPMalformedCase(name: "blank line in the middle", text: audio("a=mid:0", "", "a=rtcp-mux"), line: 7, reason: .emptyLine),
    SDPMalformedCase(name: "NUL byte", text: audio("a=mid:0\u{0}"), line: 6, reason: .invalidCharacter(0)),
    SDPMalformedCase(name: "bare CR inside a line", text: audio("a=mid:0\rx"), line: 6, reason: .invalidCharacter(0x0D)),
    SDPMalformedCase(name: "line too long", text: audio("a=mid:0", "a=x-long:" + String(repeating: "z", count: 5000)),
                     line: 7, reason: .lineTooLong(length: 5009, limit: 4096)),
    SDPMalformedCase(name: "line too long for a lowered cap", text: audio("a=mid:" + String(repeating: "m", count: 30)), line: 6,
                     reason: .lineTooLong(length: 36, limit: 32), limits: SDPParseLimits(maxLineLength: 32)),
    SDPMalformedCase(name: "too many lines", text: audio(Array(repeating: "a=rtcp-mux", count: 20).joined(separator: "\r\n")),
                     line: 11, reason: .tooManyLines(limit: 10), limits: SDPParseLimits(maxLines: 10)),
    SDPMalformedCase(name: "too many media sections", text: header + audioLine + audioLine + audioLine, line: 7,
                     reason: .tooManyMediaSections(limit: 2), limits: SDPParseLimits(maxMediaSections: 2)),
    SDPMalformedCase(name: "too many attributes in a section", text: audio("a=mid:0", "a=rtcp-mux", "a=rtcp-rsize", "a=sendrecv"),
                     line: 9, reason: .tooManyAttributes(limit: 3), limits: SDPParseLimits(maxAttributesPerSection: 3)),
    SDPMalformedCase(name: "input over the byte cap", text: audio("a=mid:0"), line: 0,
                     reason: .inputTooLarge(bytes: header.utf8.count + audioLine.utf8.count + 9, limit: 64),
                     limits: SDPParseLimits(maxBytes: 64)),
]

@Suite struct SDPMalformedInputTests {
    @Test(arguments: malformedCases)
    func malformedInputNamesLineAndReason(_ testCase: SDPMalformedCase) {
        #expect(throws: SDPParseError(line: testCase.line, reason: testCase.reason)) {
            _ = try SessionDescription.parse(testCase.text, limits: testCase.limits)
        }
    }

    @Test func tableHeaderAndMediaLineAreValidOnTheirOwn() throws {
        // Guards the table itself: the shared header and media line parse on their own.
        let valid = try SessionDescription.parse(header + audioLine + "a=mid:0\r\n")
        #expect(valid.mediaSections.first?.mid == "0")
    }

    @Test func defaultCapRefusesFiftyThousandAndOneLines() {
        let text = header + audioLine + String(repeating: "a=rtcp-mux\r\n", count: 50_000)
        #expect(throws: SDPParseError(line: 50_001, reason: .tooManyLines(limit: 50_000))) {
            _ = try SessionDescription.parse(text, limits: SDPParseLimits(maxAttributesPerSection: 100_000))
        }
    }

    @Test func defaultCapRefusesAttributeFloods() {
        let text = header + audioLine + String(repeating: "a=x-flood\r\n", count: 3000)
        #expect(throws: SDPParseError(line: 5 + 2049, reason: .tooManyAttributes(limit: 2048))) {
            _ = try SessionDescription.parse(text)
        }
    }

    @Test func defaultCapRefusesOversizedInput() {
        let text = header + String(repeating: "a=x-pad:" + String(repeating: "p", count: 4000) + "\r\n", count: 1100)
        #expect(throws: SDPParseError(line: 0, reason: .inputTooLarge(bytes: text.utf8.count, limit: 4 << 20))) {
            _ = try SessionDescription.parse(text)
        }
    }

    @Test func errorDescriptionNamesTheLine() {
        let error = SDPParseError(line: 7, reason: .unknownSetupRole("maybe"))
        #expect(error.description == "SDP line 7: unknownSetupRole(\"maybe\")")
    }
}
