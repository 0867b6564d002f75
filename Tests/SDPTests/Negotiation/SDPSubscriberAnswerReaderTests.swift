import Foundation
import SDP
import Testing

/// `SDPSubscriberAnswerReader` on hand-written answers in Chrome's format to
/// `SDPOfferTestSupport.offerV1()` (data channel "0", opus "1", VP8+RTX "2").
@Suite struct SDPSubscriberAnswerReaderTests {
    typealias Support = SDPOfferTestSupport

    static let browserFingerprint = SDPFingerprint(hashFunction: "sha-256", digest: (0..<32).map { UInt8(255 - $0) })

    static func transport(setup: String = "active") -> [String] {
        [
            "a=ice-ufrag:bRwX",
            "a=ice-pwd:w3mNq4sVnU0cH1o9yJ2tPk5a",
            "a=ice-options:trickle",
            "a=fingerprint:" + browserFingerprint.attributeValue,
            "a=setup:\(setup)",
        ]
    }

    /// Chrome's answer shape: the data channel, opus without transport-cc feedback and with
    /// two of the four extensions, VP8 without RTX and with three feedback types.
    static func answerLines(setup: String = "active") -> [String] {
        [
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1 2",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=candidate:1467250027 1 udp 2122260223 192.168.1.20 54321 typ host generation 0",
        ] + transport(setup: setup) + [
            "a=mid:0",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
        ] + transport(setup: setup) + [
            "a=mid:1",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=recvonly",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
        ] + transport(setup: setup) + [
            "a=mid:2",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=recvonly",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 transport-cc",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
        ]
    }

    static func text(_ lines: [String]) -> String { lines.joined(separator: "\r\n") + "\r\n" }
    static var answer: String { text(answerLines()) }

    /// The answer with one line replaced (first occurrence after `after`, if given).
    static func replacing(_ old: String, with new: [String], after marker: String? = nil) -> String {
        var lines = answerLines()
        let start = marker.flatMap { lines.firstIndex(of: $0) } ?? 0
        if let index = lines[start...].firstIndex(of: old) { lines.replaceSubrange(index...index, with: new) }
        return text(lines)
    }

    // MARK: Accepted answer

    @Test func transportOfTheAnswer() throws {
        let session = try SDPSubscriberAnswerReader.read(SessionDescription.parse(Self.answer), offer: Support.offerV1())
        #expect(session.bundleMids == ["0", "1", "2"])
        #expect(session.remoteICECredentials == SDPICECredentials(usernameFragment: "bRwX",
                                                                  password: "w3mNq4sVnU0cH1o9yJ2tPk5a"))
        #expect(session.remoteFingerprints == [Self.browserFingerprint])
        #expect(session.remoteSetup == .active)
        #expect(session.localSetup == .passive)
        #expect(session.remoteCandidates.map(\.address) == ["192.168.1.20"])
        #expect(session.remoteCandidates.map(\.port) == [54321])
        #expect(session.dataChannel == SDPDataChannelParameters(sctpPort: 5000, maxMessageSize: 262_144))
        #expect(session.media.map(\.mid) == ["0", "1", "2"])
    }

    @Test func passiveBrowserMakesTheServerActive() throws {
        let answer = try SessionDescription.parse(Self.text(Self.answerLines(setup: "passive")))
        let session = try SDPSubscriberAnswerReader.read(answer, offer: Support.offerV1())
        #expect(session.remoteSetup == .passive)
        #expect(session.localSetup == .active)
    }

    @Test func audioSectionKeepsOpusWithoutFeedbackAndTwoExtensions() throws {
        let session = try SDPSubscriberAnswerReader.read(SessionDescription.parse(Self.answer), offer: Support.offerV1())
        let audio = try #require(session.media(mid: "1"))
        #expect(audio.kind == .audio)
        #expect(audio.isAccepted)
        #expect(audio.direction == .recvonly)
        #expect(audio.isReceiving)
        #expect(audio.payloadType == 111)
        #expect(audio.codec?.name == "opus")
        #expect(audio.codec?.parameter("useinbandfec") == "1")
        #expect(audio.codec?.feedback == [])
        #expect(!audio.acceptsFeedback("transport-cc"))
        #expect(audio.headerExtensionIDs == [SDPOfferHeaderExtension.audioLevelURI: 1, SDPOfferHeaderExtension.midURI: 4])
    }

    @Test func videoSectionWithoutRTXAndWithThreeFeedbackTypes() throws {
        let session = try SDPSubscriberAnswerReader.read(SessionDescription.parse(Self.answer), offer: Support.offerV1())
        let video = try #require(session.media(mid: "2"))
        #expect(video.payloadType == 96)
        #expect(video.retransmissionPayloadType == nil)
        #expect(video.acceptsFeedback("transport-cc"))
        #expect(video.acceptsFeedback("nack"))
        #expect(video.acceptsFeedback("nack", parameter: "pli"))
        #expect(!video.acceptsFeedback("goog-remb"))
        #expect(!video.acceptsFeedback("ccm", parameter: "fir"))
        #expect(video.codec?.feedback == [
            SDPRTCPFeedback(format: .payloadType(96), type: "transport-cc"),
            SDPRTCPFeedback(format: .payloadType(96), type: "nack"),
            SDPRTCPFeedback(format: .payloadType(96), type: "nack", parameter: "pli"),
        ])
        #expect(video.headerExtensionIDs == [SDPOfferHeaderExtension.absSendTimeURI: 2,
                                             SDPOfferHeaderExtension.transportWideCCURI: 3,
                                             SDPOfferHeaderExtension.midURI: 4])
    }

    @Test func rtxIsKeptWhenTheAnswerListsIt() throws {
        let answer = Self.replacing("m=video 9 UDP/TLS/RTP/SAVPF 96", with: ["m=video 9 UDP/TLS/RTP/SAVPF 96 97"])
            .replacingOccurrences(of: "a=rtcp-fb:96 nack pli\r\n",
                                  with: "a=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n")
        let session = try SDPSubscriberAnswerReader.read(SessionDescription.parse(answer), offer: Support.offerV1())
        #expect(session.media(mid: "2")?.retransmissionPayloadType == 97)
    }

    @Test func rejectedSectionIsReportedNotAccepted() throws {
        let answer = Self.replacing("m=audio 9 UDP/TLS/RTP/SAVPF 111", with: ["m=audio 0 UDP/TLS/RTP/SAVPF 111"])
            .replacingOccurrences(of: "a=group:BUNDLE 0 1 2", with: "a=group:BUNDLE 0 2")
        let session = try SDPSubscriberAnswerReader.read(SessionDescription.parse(answer), offer: Support.offerV1())
        let audio = try #require(session.media(mid: "1"))
        #expect(!audio.isAccepted)
        #expect(!audio.isReceiving)
        #expect(audio.codec == nil)
        #expect(audio.headerExtensionIDs.isEmpty)
        #expect(session.media(mid: "2")?.isAccepted == true)
    }

    @Test func inactiveOfferedSectionAnsweredInactive() throws {
        // offerV2: "1" inactive, and a fourth H.264 section.
        var lines = Self.answerLines()
        lines[lines.firstIndex(of: "a=group:BUNDLE 0 1 2") ?? 0] = "a=group:BUNDLE 0 1 2 3"
        let audioStart = lines.firstIndex(of: "a=mid:1") ?? 0
        if let index = lines[audioStart...].firstIndex(of: "a=recvonly") { lines[index] = "a=inactive" }
        lines += ["m=video 9 UDP/TLS/RTP/SAVPF 102 103", "c=IN IP4 0.0.0.0"] + Self.transport() + [
            "a=mid:3", "a=recvonly", "a=rtcp-mux",
            "a=rtpmap:102 H264/90000",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:103 rtx/90000", "a=fmtp:103 apt=102",
        ]
        let session = try SDPSubscriberAnswerReader.read(SessionDescription.parse(Self.text(lines)),
                                                         offer: Support.offerV2())
        let audio = try #require(session.media(mid: "1"))
        #expect(audio.isAccepted && audio.direction == .inactive && !audio.isReceiving)
        let h264 = try #require(session.media(mid: "3"))
        #expect(h264.payloadType == 102 && h264.retransmissionPayloadType == 103 && h264.isReceiving)
        #expect(h264.headerExtensionIDs.isEmpty)

        // recvonly on the inactive offer is not an answer to it.
        let recvonly = Self.text(lines).replacingOccurrences(of: "a=inactive", with: "a=recvonly")
        try Support.expectAnswerFailure(recvonly, offer: Support.offerV2(), .invalidDirection(mid: "1", .recvonly))
    }

    // MARK: Errors

    @Test(arguments: [SDPSetupRole.actpass, .holdconn])
    func setupRoleOtherThanActiveOrPassiveThrows(role: SDPSetupRole) throws {
        try Support.expectAnswerFailure(Self.text(Self.answerLines(setup: role.rawValue)), offer: Support.offerV1(),
                                        .invalidSetupRole(role))
    }

    @Test func missingTransportLinesThrow() throws {
        let offer = try Support.offerV1()
        func without(_ prefix: String) -> String {
            Self.text(Self.answerLines().filter { !$0.hasPrefix(prefix) })
        }
        try Support.expectAnswerFailure(without("a=setup"), offer: offer, .missingSetupRole(mid: "0"))
        try Support.expectAnswerFailure(without("a=ice-ufrag"), offer: offer, .missingICECredentials(mid: "0"))
        try Support.expectAnswerFailure(without("a=ice-pwd"), offer: offer, .missingICECredentials(mid: "0"))
        try Support.expectAnswerFailure(without("a=fingerprint"), offer: offer, .missingFingerprint(mid: "0"))
        try Support.expectAnswerFailure(without("a=group"), offer: offer, .missingBundleGroup)
        try Support.expectAnswerFailure(without("a=sctp-port"), offer: offer, .missingSCTPPort(mid: "0"))
    }

    @Test func answerThatDoesNotMatchTheOfferThrows() throws {
        let offer = try Support.offerV1()
        try Support.expectAnswerFailure(Self.replacing("a=mid:2", with: ["a=mid:9"]), offer: offer, .unknownMid("9"))
        try Support.expectAnswerFailure(Self.replacing("a=mid:1", with: []), offer: offer, .missingMid(sectionIndex: 1))
        try Support.expectAnswerFailure(Self.replacing("m=audio 9 UDP/TLS/RTP/SAVPF 111",
                                                       with: ["m=video 9 UDP/TLS/RTP/SAVPF 111"]),
                                        offer: offer, .kindMismatch(mid: "1"))
        let twoSections = Self.text(Array(Self.answerLines().prefix(while: { $0 != "m=video 9 UDP/TLS/RTP/SAVPF 96" })))
        try Support.expectAnswerFailure(twoSections, offer: offer, .sectionCountMismatch(offered: 3, answered: 2))
        try Support.expectAnswerFailure(Self.replacing("a=group:BUNDLE 0 1 2", with: ["a=group:BUNDLE 0 1"]),
                                        offer: offer, .notBundled(mid: "2"))
        try Support.expectAnswerFailure(Self.replacing("a=group:BUNDLE 0 1 2", with: ["a=group:BUNDLE 0 1 2 7"]),
                                        offer: offer, .notBundled(mid: "7"))
    }

    @Test func answerOutsideTheOfferedMediaThrows() throws {
        let offer = try Support.offerV1()
        try Support.expectAnswerFailure(Self.replacing("a=recvonly", with: ["a=sendrecv"], after: "a=mid:2"),
                                        offer: offer, .invalidDirection(mid: "2", .sendrecv))
        try Support.expectAnswerFailure(Self.replacing("a=recvonly", with: ["a=sendonly"], after: "a=mid:1"),
                                        offer: offer, .invalidDirection(mid: "1", .sendonly))
        try Support.expectAnswerFailure(Self.replacing("m=video 9 UDP/TLS/RTP/SAVPF 96",
                                                       with: ["m=video 9 UDP/TLS/RTP/SAVPF 100"]),
                                        offer: offer, .unknownPayloadType(mid: "2", payloadType: "100"))
        let onlyRTX = Self.replacing("m=video 9 UDP/TLS/RTP/SAVPF 96", with: ["m=video 9 UDP/TLS/RTP/SAVPF 97"])
            .replacingOccurrences(of: "a=rtpmap:96 VP8/90000", with: "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96")
        try Support.expectAnswerFailure(onlyRTX, offer: offer, .noAcceptedCodec(mid: "2"))
        try Support.expectAnswerFailure(
            Self.replacing("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
                           with: ["a=extmap:5 urn:ietf:params:rtp-hdrext:sdes:mid"], after: "a=mid:2"),
            offer: offer, .unexpectedHeaderExtension(mid: "2", id: 5, uri: SDPOfferHeaderExtension.midURI))
        try Support.expectAnswerFailure(
            Self.replacing("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                           with: ["a=extmap:1 urn:ietf:params:rtp-hdrext:toffset"]),
            offer: offer, .unexpectedHeaderExtension(mid: "1", id: 1, uri: "urn:ietf:params:rtp-hdrext:toffset"))
    }
}
