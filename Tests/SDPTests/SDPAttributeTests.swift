import SDP
import Testing

/// Attribute grammars on their own, with inputs the fixtures do not cover.
@Suite struct SDPAttributeTests {
    @Test func trickledCandidateWithPrefixAndUsernameFragment() throws {
        let candidate = try SDPCandidate.parse(
            "candidate:842163049 1 udp 1677729535 203.0.113.9 61234 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999")
        #expect(candidate.foundation == "842163049")
        #expect(candidate.type == .serverReflexive)
        #expect(candidate.relatedAddress == "0.0.0.0")
        #expect(candidate.relatedPort == 0)
        #expect(candidate.usernameFragment == "EsAw")
        #expect(candidate.generation == 0)
        #expect(candidate.extensionValue("network-cost") == "999")
        #expect(candidate.attributeValue ==
            "842163049 1 udp 1677729535 203.0.113.9 61234 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999")
    }

    @Test func mdnsAndUnknownTypeCandidatesAreKept() throws {
        let mdns = try SDPCandidate.parse("1 1 udp 2113937151 3b5a6c1e-7d20-4e49-a1c1-8f3b9c2d4e5f.local 51000 typ host")
        #expect(mdns.address == "3b5a6c1e-7d20-4e49-a1c1-8f3b9c2d4e5f.local")
        let peer = try SDPCandidate.parse("a+/B 2 UDP 1 192.0.2.5 7 typ prflx")
        #expect(peer.type == .peerReflexive)
        #expect(peer.componentID == 2)
        let future = try SDPCandidate.parse("1 1 udp 1 192.0.2.5 7 typ quantum")
        #expect(future.type == .other("quantum"))
        #expect(future.attributeValue == "1 1 udp 1 192.0.2.5 7 typ quantum")
    }

    @Test func candidateWithPassiveAndSimultaneousOpenTCPTypes() throws {
        #expect(try SDPCandidate.parse("1 1 tcp 1 192.0.2.5 9 typ host tcptype passive").tcpType == .passive)
        #expect(try SDPCandidate.parse("1 1 tcp 1 192.0.2.5 9 typ host tcptype so").tcpType == .so)
    }

    @Test func ridWithPayloadTypesAndRestrictions() throws {
        let attribute = try SDPAttribute.parse("rid:1 recv pt=96,97;max-width=1280;max-height=720;max-fps=30")
        guard case .rid(let rid) = attribute else {
            Issue.record("expected a rid, got \(attribute)")
            return
        }
        #expect(rid.id == "1")
        #expect(rid.direction == .recv)
        #expect(rid.payloadTypes == [96, 97])
        #expect(rid.restriction("max-width") == "1280")
        #expect(rid.restriction("max-fps") == "30")
        #expect(rid.restrictions.count == 3)
        #expect(attribute.line == "a=rid:1 recv pt=96,97;max-width=1280;max-height=720;max-fps=30")
    }

    @Test func simulcastWithRecvFirstAlternativesAndPausedStreams() throws {
        let attribute = try SDPAttribute.parse("simulcast:recv 1,~4;2;~3 send a")
        guard case .simulcast(let simulcast) = attribute else {
            Issue.record("expected simulcast, got \(attribute)")
            return
        }
        #expect(simulcast.receive == [[SDPSimulcastStream(rid: "1"), SDPSimulcastStream(rid: "4", paused: true)],
                                      [SDPSimulcastStream(rid: "2")], [SDPSimulcastStream(rid: "3", paused: true)]])
        #expect(simulcast.send == [[SDPSimulcastStream(rid: "a")]])
        #expect(simulcast.receiveListedFirst)
        #expect(attribute.line == "a=simulcast:recv 1,~4;2;~3 send a")
        let sendFirst = try SDPAttribute.parse("simulcast:send a recv 1")
        #expect(sendFirst.line == "a=simulcast:send a recv 1")
    }

    @Test func wildcardFeedbackAppliesToEveryCodec() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 96 0\r\n"
            + "a=rtcp-fb:* nack\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:* trr-int 100\r\n"
        let section = try #require(try SessionDescription.parse(text).mediaSections.first)
        let vp8 = try #require(section.codec(payloadType: 96))
        #expect(vp8.feedback == [SDPRTCPFeedback(format: .all, type: "nack"),
                                 SDPRTCPFeedback(format: .payloadType(96), type: "nack", parameter: "pli"),
                                 SDPRTCPFeedback(format: .all, type: "trr-int", parameter: "100")])
        // Static payload type 0 (RFC 3551) without an rtpmap.
        let pcmu = try #require(section.codec(payloadType: 0))
        #expect(pcmu.name == "PCMU")
        #expect(pcmu.clockRate == 8000)
        #expect(pcmu.feedback.map(\.type) == ["nack", "trr-int"])
    }

    @Test func iceLiteAnswerSessionLevelAttributes() throws {
        let text = "v=0\r\no=parley 5 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nb=AS:2000\r\nt=0 0\r\n"
            + "a=ice-lite\r\na=ice-ufrag:sfu0\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=setup:passive\r\n"
            + "a=fingerprint:SHA-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\r\n"
        let description = try SessionDescription.parse(text)
        #expect(description.isICELite)
        #expect(description.setup == .passive)
        #expect(description.connection == SDPConnection(networkType: "IN", addressType: "IP4", address: "192.0.2.1"))
        #expect(description.bandwidths == [SDPBandwidth(type: "AS", value: 2000)])
        #expect(description.fingerprints.first?.hashFunction == "SHA-1")
        #expect(description.fingerprints.first?.digest.count == 20)
        #expect(description.mediaSections.isEmpty)
        #expect(description.serialized() == text)
    }

    @Test func unknownAttributesAreKeptVerbatim() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=x-google-flag:conference\r\n"
            + "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=bundle-only\r\na=x-empty:\r\na=rtcp-mux:odd\r\n"
        let description = try SessionDescription.parse(text)
        #expect(description.attributes == [.other(name: "x-google-flag", value: "conference")])
        let section = try #require(description.mediaSections.first)
        #expect(section.port == 0)
        #expect(section.attributes == [.other(name: "bundle-only", value: nil), .other(name: "x-empty", value: ""),
                                       .other(name: "rtcp-mux", value: "odd")])
        #expect(!section.isRTCPMultiplexed)
        #expect(description.serialized() == text)
    }

    @Test func lowerCaseFingerprintIsWrittenInUpperCase() throws {
        let attribute = try SDPAttribute.parse("fingerprint:sha-1 0a:0b:0c:0d:0e:0f:10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d")
        #expect(attribute.line == "a=fingerprint:sha-1 0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D")
    }

    @Test(arguments: SDPDirection.allCases)
    func directionAttributesRoundTrip(_ direction: SDPDirection) throws {
        let attribute = try SDPAttribute.parse(direction.rawValue)
        #expect(attribute == .direction(direction))
        #expect(attribute.line == "a=\(direction.rawValue)")
    }

    @Test(arguments: SDPSetupRole.allCases)
    func setupRolesRoundTrip(_ role: SDPSetupRole) throws {
        #expect(try SDPAttribute.parse("setup:\(role.rawValue)") == .setup(role))
    }
}
