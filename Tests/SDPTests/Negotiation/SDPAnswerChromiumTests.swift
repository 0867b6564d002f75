import SDP
import Testing

/// Answers to the Chromium offers (Fixtures/chromium-offer*.sdp).
@Suite struct SDPAnswerChromiumTests {
    typealias Support = SDPAnswerTestSupport
    let fingerprintLine = "a=fingerprint:" + SDPAnswerTestSupport.serverFingerprint.attributeValue

    @Test func sessionLevelLinesOfTheAnswer() throws {
        let (answer, session, text) = try Support.answer(SDPFixture.chromiumOffer.parsed(), Support.options())
        let head = text.split(separator: "\r\n").prefix(8).map(String.init)
        #expect(head == [
            "v=0",
            "o=- 4242424242 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1 2",
            "a=ice-lite",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS *",
        ])
        #expect(answer.isICELite)
        #expect(answer.bundleGroups == [SDPGroup(semantics: "BUNDLE", mids: ["0", "1", "2"])])
        #expect(answer.mediaSections.map(\.mid) == ["0", "1", "2"])
        #expect(session.bundleMids == ["0", "1", "2"])
        #expect(session.rejectedMedia.isEmpty)
    }

    @Test func randomSessionIDWhenNoneIsGiven() throws {
        var options = Support.options()
        options.sessionID = nil
        let offer = try SDPFixture.chromiumOffer.parsed()
        let first = try SDPAnswerer.answer(to: offer, options: options).answer.origin
        let second = try SDPAnswerer.answer(to: offer, options: options).answer.origin
        #expect(first.sessionID != second.sessionID)
        #expect(first.sessionID <= UInt64(Int64.max))
        #expect(first.sessionVersion == 2)
    }

    @Test func audioSectionCarriesCandidatesAndOpus() throws {
        let (answer, _, _) = try Support.answer(SDPFixture.chromiumOffer.parsed(), Support.options())
        #expect(try answer.section("0").lines == [
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2130706431 192.0.2.1 40000 typ host",
            "a=candidate:2 1 tcp 1671430143 192.0.2.1 40000 typ host tcptype passive",
            "a=end-of-candidates",
            "a=ice-ufrag:sfuU",
            "a=ice-pwd:sfuPasswordOf24Chars0000",
            fingerprintLine,
            "a=setup:passive",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=recvonly",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
        ])
    }

    @Test func simulcastVideoSectionInServerCodecOrder() throws {
        let (answer, _, _) = try Support.answer(SDPFixture.chromiumOffer.parsed(), Support.options())
        let feedback = { (pt: Int) in
            ["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"].map { "a=rtcp-fb:\(pt) \($0)" }
        }
        let expected: [String] = [
            "m=video 9 UDP/TLS/RTP/SAVPF 108 109 96 97",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:sfuU",
            "a=ice-pwd:sfuPasswordOf24Chars0000",
            fingerprintLine,
            "a=setup:passive",
            "a=mid:1",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "a=recvonly",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:108 H264/90000",
        ] + feedback(108) + [
            "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:109 rtx/90000",
            "a=fmtp:109 apt=108",
            "a=rtpmap:96 VP8/90000",
        ] + feedback(96) + [
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rid:q recv",
            "a=rid:h recv",
            "a=rid:f recv",
            "a=simulcast:recv q;h;f",
        ]
        #expect(try answer.section("1").lines == expected)
    }

    @Test func dataChannelSectionAccepted() throws {
        let (answer, session, _) = try Support.answer(SDPFixture.chromiumOffer.parsed(), Support.options())
        #expect(try answer.section("2").lines == [
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:sfuU",
            "a=ice-pwd:sfuPasswordOf24Chars0000",
            fingerprintLine,
            "a=setup:passive",
            "a=mid:2",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
        ])
        #expect(session.dataChannel == SDPDataChannelParameters(sctpPort: 5000, maxMessageSize: 262_144))
        #expect(session.media(mid: "2")?.kind == .application)
        #expect(session.media(mid: "2")?.codecs == [])
    }

    @Test func negotiatedSessionDescribesTheOffer() throws {
        let (_, session, _) = try Support.answer(SDPFixture.chromiumOffer.parsed(), Support.options())
        #expect(session.remoteICECredentials == SDPICECredentials(usernameFragment: "cGBx", password: "0JgBQUPlRi1Wmfdaa+9KzaDu"))
        #expect(session.remoteFingerprints.map(\.attributeValue) ==
            ["sha-256 7E:67:13:00:A5:8D:61:D9:C1:1C:8F:96:A0:A8:35:F2:7A:F4:56:29:74:4D:1F:80:B5:6A:67:40:C0:18:EA:54"])
        #expect(session.remoteSetup == .actpass)
        #expect(session.localSetup == .passive)
        #expect(session.media.map(\.mid) == ["0", "1", "2"])

        let audio = try #require(session.media(mid: "0"))
        #expect(audio.kind == .audio)
        #expect(audio.direction == .recvonly)
        #expect(audio.codecs.map(\.payloadType) == [111])
        #expect(audio.codecs.first?.retransmissionPayloadType == nil)
        #expect(audio.headerExtensionIDs == [Support.audioLevelURI: 1, Support.absSendTime: 2, Support.twcc: 3,
                                             Support.midURI: 4])
        #expect(audio.remoteSSRCs == [1_612_308_785])
        #expect(audio.receiveSimulcastRIDs.isEmpty)

        let video = try #require(session.media(mid: "1"))
        #expect(video.direction == .recvonly)
        #expect(video.codecs.map(\.name) == ["H264", "VP8"])
        #expect(video.codecs.map(\.payloadType) == [108, 96])
        #expect(video.codecs.map(\.retransmissionPayloadType) == [109, 97])
        #expect(video.codecs.first?.feedback.map(\.type) == ["goog-remb", "transport-cc", "ccm", "nack", "nack"])
        #expect(video.headerExtensionIDs == [Support.absSendTime: 2, Support.twcc: 3, Support.midURI: 4,
                                             Support.ridURI: 10, Support.repairedRIDURI: 11])
        #expect(video.receiveSimulcastRIDs == ["q", "h", "f"])
        #expect(video.remoteSSRCs.isEmpty)
    }

    @Test func headerExtensionsOutsideTheListAreLeftOut() throws {
        let options = Support.options(headerExtensions: [Support.midURI, Support.ridURI])
        let (answer, session, text) = try Support.answer(SDPFixture.chromiumOffer.parsed(), options)
        #expect(try answer.section("0").extensionMaps == [SDPExtensionMap(id: 4, uri: Support.midURI)])
        #expect(try answer.section("1").extensionMaps == [SDPExtensionMap(id: 4, uri: Support.midURI),
                                                         SDPExtensionMap(id: 10, uri: Support.ridURI)])
        for absent in [Support.absSendTime, Support.twcc, Support.audioLevelURI, Support.repairedRIDURI,
                       "urn:ietf:params:rtp-hdrext:toffset", "urn:3gpp:video-orientation",
                       "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"] {
            #expect(!text.contains(absent), "\(absent)")
        }
        #expect(session.media(mid: "1")?.headerExtensionIDs == [Support.midURI: 4, Support.ridURI: 10])
        // No transport-wide sequence numbers, so no transport-cc feedback either.
        #expect(!text.contains("transport-cc"))
        #expect(text.contains("a=rtcp-fb:108 nack pli\r\n"))
        #expect(session.media(mid: "1")?.codecs.first?.feedback.map(\.type) == ["goog-remb", "ccm", "nack", "nack"])
    }

    @Test func echoStyleCallWithFlatICECredentials() throws {
        // The shape EchoService (Sources/SFU) calls the answerer with.
        let outgoing = ["0": SDPOutgoingStream(ssrc: 7, rtxSSRC: nil, cname: "parley-echo", streamID: "parley-echo",
                                               trackID: "echo-0")]
        let options = SDPAnswerOptions(
            iceUsernameFragment: "echo", icePassword: "echoPasswordOf22Chars0", fingerprint: Support.serverFingerprint,
            candidates: Support.serverCandidates, codecs: [.opus, .vp8], headerExtensions: [Support.midURI],
            acceptSimulcast: false, outgoingStreams: outgoing, sendToMids: Set(outgoing.keys))
        let (answer, session, text) = try Support.answer(SDPFixture.chromiumOfferPlain.parsed(), options)
        #expect(session.remoteICE == SDPICECredentials(usernameFragment: "gKpo", password: "vZMjtx0KWFuyayLIUYTP3p+f"))
        #expect(try answer.section("0").iceUsernameFragment == "echo")
        #expect(try answer.section("0").direction == .sendrecv)
        #expect(try answer.section("1").direction == .recvonly)
        #expect(text.contains("a=ssrc:7 cname:parley-echo\r\n"))
        #expect(session.media.map(\.codecs).map { $0.map(\.payloadType) } == [[111], [96], []])
    }

    @Test func dataChannelOnlyOffer() throws {
        var offer = try SDPFixture.chromiumOffer.parsed()
        offer.mediaSections.removeFirst(2)
        offer.attributes = offer.attributes.map { $0.name == "group" ? .group(SDPGroup(semantics: "BUNDLE", mids: ["2"])) : $0 }
        let (answer, session, _) = try Support.answer(offer, Support.options())
        #expect(session.bundleMids == ["2"])
        #expect(session.media.map(\.kind) == [.application])
        #expect(try answer.section("2").candidates == Support.serverCandidates)
        #expect(try answer.section("2").isEndOfCandidates)
        #expect(session.dataChannel == SDPDataChannelParameters(sctpPort: 5000, maxMessageSize: 262_144))
    }

    @Test func simulcastDeclinedWhenNotAccepted() throws {
        let (answer, session, text) = try Support.answer(SDPFixture.chromiumOffer.parsed(),
                                                         Support.options(acceptSimulcast: false))
        #expect(try answer.section("1").rids.isEmpty)
        #expect(try answer.section("1").simulcast == nil)
        #expect(!text.contains("a=rid:"))
        #expect(!text.contains("a=simulcast"))
        #expect(session.media(mid: "1")?.receiveSimulcastRIDs == [])
    }

    @Test func plainOfferWithOutgoingStreamGetsSSRCLines() throws {
        let outgoing = SDPOutgoingStream(ssrc: 1111, rtxSSRC: 2222, cname: "sfu-cname", streamID: "room-7",
                                         trackID: "alice-camera")
        let options = Support.options(outgoingStreams: ["1": outgoing], sendToMids: ["0"])
        let (answer, session, _) = try Support.answer(SDPFixture.chromiumOfferPlain.parsed(), options)
        let video = try answer.section("1")
        #expect(video.direction == .sendrecv)
        #expect(video.mediaStreamIDs == [SDPMediaStreamID(streamID: "room-7", trackID: "alice-camera")])
        #expect(video.sourceGroups == [SDPSourceGroup(semantics: "FID", ssrcs: [1111, 2222])])
        #expect(Array(video.lines.suffix(5)) == [
            "a=ssrc-group:FID 1111 2222",
            "a=ssrc:1111 cname:sfu-cname",
            "a=ssrc:1111 msid:room-7 alice-camera",
            "a=ssrc:2222 cname:sfu-cname",
            "a=ssrc:2222 msid:room-7 alice-camera",
        ])
        // Sending on audio without a stream: sendrecv, but nothing to announce.
        let audio = try answer.section("0")
        #expect(audio.direction == .sendrecv)
        #expect(audio.sourceAttributes.isEmpty)
        #expect(audio.mediaStreamIDs.isEmpty)

        let negotiated = try #require(session.media(mid: "1"))
        #expect(negotiated.remoteSSRCs == [2_784_298_496, 3_729_763_980])
        #expect(negotiated.remoteSSRCGroups == [SDPSourceGroup(semantics: "FID", ssrcs: [2_784_298_496, 3_729_763_980])])
        #expect(negotiated.receiveSimulcastRIDs.isEmpty)
        #expect(session.bundleMids == ["0", "1", "2"])
    }

    @Test func outgoingStreamNotWrittenWhenTheOfferDoesNotReceive() throws {
        // The simulcast offer's video is sendonly: the server cannot send there.
        let outgoing = SDPOutgoingStream(ssrc: 1111, cname: "sfu", streamID: "s", trackID: "t")
        let (answer, session, _) = try Support.answer(SDPFixture.chromiumOffer.parsed(),
                                                      Support.options(outgoingStreams: ["1": outgoing]))
        #expect(try answer.section("1").direction == .recvonly)
        #expect(try answer.section("1").sourceAttributes.isEmpty)
        #expect(session.media(mid: "1")?.isSending == false)
        #expect(session.media(mid: "1")?.isReceiving == true)
    }

    @Test func serverCodecPreferenceDecidesTheOrder() throws {
        let (answer, session, _) = try Support.answer(SDPFixture.chromiumOfferPlain.parsed(),
                                                      Support.options(codecs: [.opus, .av1, .vp9, .vp8, .h264]))
        #expect(try answer.section("1").formats == ["45", "46", "98", "99", "96", "97", "108", "109"])
        // VP9 profile 2 (PT 100) is not profile 0.
        #expect(session.media(mid: "1")?.codecs.map(\.payloadType) == [45, 98, 96, 108])
        #expect(try answer.section("1").formatParameters.first == SDPFormatParameters(
            payloadType: 45, parameters: [SDPFormatParameter(name: "level-idx", value: "5"),
                                          SDPFormatParameter(name: "profile", value: "0"),
                                          SDPFormatParameter(name: "tier", value: "0")]))
    }
}
