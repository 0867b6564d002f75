import SDP
import Testing

/// Subscriber offers (server → browser) written by `SDPOfferer`.
@Suite struct SDPOffererTests {
    typealias Support = SDPOfferTestSupport

    static let transportLines = [
        "a=ice-ufrag:sfuU",
        "a=ice-pwd:sfuPasswordOf24Chars0000",
        Support.fingerprintLine,
        "a=setup:actpass",
    ]
    static let candidateLines = [
        "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host",
        "a=end-of-candidates",
    ]

    // MARK: 0, 1 and 3 sections

    @Test func offerWithoutTracksOrDataChannelHasOnlySessionLines() throws {
        let offer = try Support.offer(Support.options(tracks: [], dataChannel: nil))
        #expect(offer.serialized() == [
            "v=0",
            "o=- 7000000001 1 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=ice-lite",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS *",
            "",
        ].joined(separator: "\r\n"))
        #expect(offer.bundleGroups.isEmpty)
    }

    @Test func dataChannelOnlyOffer() throws {
        let offer = try Support.offer(Support.options(tracks: []))
        let expected = [
            "v=0",
            "o=- 7000000001 1 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=ice-lite",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS *",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
        ] + Self.candidateLines + Self.transportLines + [
            "a=mid:0",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "",
        ]
        #expect(offer.serialized() == expected.joined(separator: "\r\n"))
        #expect(offer.dataChannelSection?.sctpPort == 5000)
    }

    @Test func singleAudioTrackIsTheBundleTagWithCandidates() throws {
        let offer = try Support.offer(Support.options(tracks: [Support.aliceMic], dataChannel: nil))
        #expect(offer.bundleGroups == [SDPGroup(semantics: "BUNDLE", mids: ["1"])])
        #expect(try offer.section("1").lines == [
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
        ] + Self.candidateLines + Self.transportLines + [
            "a=mid:1",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=sendonly",
            "a=msid:alice-stream alice-mic",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:1001 cname:alice",
            "a=ssrc:1001 msid:alice-stream alice-mic",
        ])
    }

    @Test func threeSectionOfferIsExactlyTheOneChromiumAccepted() throws {
        #expect(try Support.offerV1().serialized() == Support.fixtureText("subscriber-offer-v1"))
        #expect(try Support.offerV2().serialized() == Support.fixtureText("subscriber-offer-v2"))
    }

    @Test func threeSectionOfferSessionLevel() throws {
        let offer = try Support.offerV1()
        let head = offer.serialized().split(separator: "\r\n").prefix(8).map(String.init)
        #expect(head == [
            "v=0",
            "o=- 7000000001 1 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1 2",
            "a=ice-lite",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS *",
        ])
        #expect(offer.isICELite)
        #expect(offer.mediaSections.map(\.mid) == ["0", "1", "2"])
        #expect(offer.mediaSections.map(\.kind) == [.application, .audio, .video])
    }

    @Test func videoSectionWithRTX() throws {
        #expect(try Support.offerV1().section("2").lines == [
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
        ] + Self.transportLines + [
            "a=mid:2",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=sendonly",
            "a=msid:alice-stream alice-cam",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 goog-remb",
            "a=rtcp-fb:96 transport-cc",
            "a=rtcp-fb:96 ccm fir",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=ssrc-group:FID 2001 2002",
            "a=ssrc:2001 cname:alice",
            "a=ssrc:2001 msid:alice-stream alice-cam",
            "a=ssrc:2002 cname:alice",
            "a=ssrc:2002 msid:alice-stream alice-cam",
        ])
    }

    @Test func candidatesOnlyInTheFirstSectionTransportLinesInEvery() throws {
        let offer = try Support.offerV1()
        #expect(offer.mediaSections.map { $0.candidates.count } == [1, 0, 0])
        #expect(offer.mediaSections.map(\.isEndOfCandidates) == [true, false, false])
        for section in offer.mediaSections {
            #expect(offer.effectiveICECredentials(of: section)?.usernameFragment == "sfuU")
            #expect(offer.effectiveICECredentials(of: section)?.password == "sfuPasswordOf24Chars0000")
            #expect(section.fingerprints == [Support.fingerprint])
            #expect(section.setup == .actpass)
        }
    }

    @Test func headerExtensionIDsAreTheSameInEverySection() throws {
        let offer = try Support.offerV2()
        let audio = try offer.section("1"), camera = try offer.section("2"), h264 = try offer.section("3")
        for uri in [SDPOfferHeaderExtension.absSendTimeURI, SDPOfferHeaderExtension.transportWideCCURI,
                    SDPOfferHeaderExtension.midURI] {
            let ids = [audio, camera, h264].map { $0.headerExtensionID(for: uri) }
            #expect(Set(ids).count == 1)
            #expect(ids[0] != nil)
        }
        #expect(audio.headerExtensionID(for: SDPOfferHeaderExtension.audioLevelURI) == 1)
        #expect(camera.headerExtensionID(for: SDPOfferHeaderExtension.audioLevelURI) == nil)
    }

    @Test func parsedBackCodecsCarryTheServerPayloadTypes() throws {
        let offer = try Support.offerV2()
        let opus = try #require(offer.section("1").codecs.first)
        #expect(opus.payloadType == 111 && opus.name == "opus" && opus.clockRate == 48000 && opus.channels == 2)
        #expect(opus.parameter("useinbandfec") == "1")
        let vp8 = try #require(offer.section("2").mediaCodecs.first)
        #expect(vp8.payloadType == 96 && vp8.retransmissionPayloadType == 97)
        let h264 = try #require(offer.section("3").mediaCodecs.first)
        #expect(h264.payloadType == 102 && h264.retransmissionPayloadType == 103)
        #expect(h264.parameter("profile-level-id") == "42e01f")
        #expect(h264.parameter("packetization-mode") == "1")
        #expect(try offer.section("3").sourceGroups == [SDPSourceGroup(semantics: "FID", ssrcs: [3001, 3002])])
        #expect(try offer.section("3").canonicalName(ofSSRC: 3002) == "bob")
        #expect(try offer.section("3").mediaStreamIDs == [SDPMediaStreamID(streamID: "bob-stream", trackID: "bob-cam")])
    }

    @Test(arguments: [
        (SDPSubscriberCodecs.vp9, ["a=rtpmap:98 VP9/90000", "a=fmtp:98 profile-id=0", "a=rtpmap:99 rtx/90000",
                                   "a=fmtp:99 apt=98"], "m=video 9 UDP/TLS/RTP/SAVPF 98 99"),
        (SDPSubscriberCodecs.av1, ["a=rtpmap:45 AV1/90000", "a=rtpmap:46 rtx/90000", "a=fmtp:46 apt=45"],
         "m=video 9 UDP/TLS/RTP/SAVPF 45 46"),
    ])
    func otherVideoCodecPresets(codec: SDPCodec, formatLines: [String], mediaLine: String) throws {
        let track = SDPOutgoingTrack(mid: "v", kind: .video, codec: codec, ssrc: 5, rtxSSRC: 6, cname: "c",
                                     streamID: "s", trackID: "t")
        let section = try Support.offer(Support.options(tracks: [track], dataChannel: nil)).section("v")
        #expect(section.lines.first == mediaLine)
        #expect(section.lines.filter { $0.hasPrefix("a=rtpmap") || $0.hasPrefix("a=fmtp") } == formatLines)
        #expect(section.sourceGroups == [SDPSourceGroup(semantics: "FID", ssrcs: [5, 6])])
    }

    // MARK: Renegotiation

    @Test func renegotiationKeepsSessionIDAndBumpsVersion() throws {
        let first = try Support.offerV1(), second = try Support.offerV2()
        #expect(first.origin.sessionID == 7_000_000_001)
        #expect(second.origin.sessionID == first.origin.sessionID)
        #expect(first.origin.sessionVersion == 1)
        #expect(second.origin.sessionVersion == 2)
    }

    @Test func removedTrackKeepsItsMidAndPositionInactive() throws {
        let offer = try Support.offerV2()
        #expect(offer.bundleGroups == [SDPGroup(semantics: "BUNDLE", mids: ["0", "1", "2", "3"])])
        let section = try offer.section("1")
        #expect(offer.mediaSections[1] == section)
        #expect(section.port == 9)
        #expect(section.direction == .inactive)
        #expect(section.mediaStreamIDs.isEmpty)
        #expect(section.sourceAttributes.isEmpty)
        #expect(section.sourceGroups.isEmpty)
        // Still a complete section the browser can parse: codec and transport lines stay.
        #expect(section.formats == ["111"])
        #expect(section.isRTCPMultiplexed)
        #expect(section.setup == .actpass)
    }

    @Test func addedTrackGetsANewMidAfterTheOldOnes() throws {
        let first = try Support.offerV1(), second = try Support.offerV2()
        let firstMids = first.mediaSections.compactMap(\.mid)
        let secondMids = second.mediaSections.compactMap(\.mid)
        #expect(secondMids == ["0", "1", "2", "3"])
        #expect(Array(secondMids.prefix(firstMids.count)) == firstMids)
        #expect(try second.section("3").direction == .sendonly)
        // The sections that did not change are written identically.
        #expect(try first.section("2") == second.section("2"))
    }

    @Test func callerMayRecycleAnInactiveMidForATrackOfTheSameKind() throws {
        let carol = SDPOutgoingTrack(mid: "1", kind: .audio, codec: SDPSubscriberCodecs.opus, ssrc: 4001,
                                     cname: "carol", streamID: "carol-stream", trackID: "carol-mic")
        let offer = try Support.offer(Support.options(version: 3, tracks: [carol, Support.aliceCam, Support.bobCam]))
        let section = try offer.section("1")
        #expect(offer.mediaSections.compactMap(\.mid) == ["0", "1", "2", "3"])
        #expect(section.direction == .sendonly)
        #expect(section.mediaStreamIDs == [SDPMediaStreamID(streamID: "carol-stream", trackID: "carol-mic")])
        #expect(section.ssrcs == [4001])
    }

    // MARK: Options

    @Test func transportCCFeedbackNeedsItsExtension() throws {
        var options = Support.options(tracks: [Support.aliceCam], dataChannel: nil)
        options.headerExtensions = [SDPOfferHeaderExtension(id: 4, uri: SDPOfferHeaderExtension.midURI)]
        let section = try Support.offer(options).section("2")
        #expect(section.extensionMaps == [SDPExtensionMap(id: 4, uri: SDPOfferHeaderExtension.midURI)])
        #expect(section.rtcpFeedback.map(\.type) == ["goog-remb", "ccm", "nack", "nack"])
    }

    @Test func trackWithoutRTXHasNoRTXFormatOrGroup() throws {
        var codec = SDPSubscriberCodecs.vp8
        codec.retransmissionPayloadType = nil
        let track = SDPOutgoingTrack(mid: "v", kind: .video, codec: codec, ssrc: 9, cname: "c", streamID: "s",
                                     trackID: "t")
        let section = try Support.offer(Support.options(tracks: [track], dataChannel: nil)).section("v")
        #expect(section.formats == ["96"])
        #expect(section.sourceGroups.isEmpty)
        #expect(section.ssrcs == [9])
    }

    @Test func sameCodecOnTheSamePayloadTypeInTwoSectionsIsAllowed() throws {
        var second = Support.aliceCam
        second.mid = "5"
        second.stream.ssrc = 77
        second.stream.rtxSSRC = 78
        let offer = try Support.offer(Support.options(tracks: [Support.aliceCam, second], dataChannel: nil))
        #expect(offer.mediaSections.map(\.formats) == [["96", "97"], ["96", "97"]])
    }

    @Test func dataChannelSectionCanComeAfterTracks() throws {
        let options = SDPOfferOptions(iceCredentials: Support.ice, fingerprint: Support.fingerprint,
                                      candidates: Support.candidates, sessionID: 1, sessionVersion: 5,
                                      media: [.track(Support.aliceMic), .dataChannel(SDPOfferDataChannel(mid: "dc"))])
        let offer = try Support.offer(options)
        #expect(offer.mediaSections.compactMap(\.mid) == ["1", "dc"])
        #expect(offer.mediaSections[0].candidates.count == 1)
        #expect(offer.mediaSections[1].candidates.isEmpty)
        #expect(options.dataChannel?.mid == "dc")
        #expect(options.tracks == [Support.aliceMic])
    }

    // MARK: Errors

    static func track(mid: String = "9", kind: SDPMediaKind = .video, codec: SDPCodec = SDPSubscriberCodecs.vp8,
                      rtxSSRC: UInt32? = nil) -> SDPOutgoingTrack {
        SDPOutgoingTrack(mid: mid, kind: kind, codec: codec, ssrc: 1, rtxSSRC: rtxSSRC, cname: "c", streamID: "s",
                         trackID: "t")
    }

    static func codec(_ base: SDPCodec, payloadType: UInt8, rtx: UInt8?) -> SDPCodec {
        var codec = base
        codec.payloadType = payloadType
        codec.retransmissionPayloadType = rtx
        return codec
    }

    @Test func errorsInTheTrackList() {
        let options = { (tracks: [SDPOutgoingTrack]) in Support.options(tracks: tracks) }
        Support.expectOfferFailure(options([Self.track(mid: "0")]), .duplicateMid("0"))
        Support.expectOfferFailure(options([Self.track(mid: "a b")]), .invalidMid("a b"))
        Support.expectOfferFailure(options([Self.track(mid: "")]), .invalidMid(""))
        Support.expectOfferFailure(options([Self.track(kind: .application)]), .unsupportedTrackKind(mid: "9", kind: "application"))
        Support.expectOfferFailure(options([Self.track(codec: Self.codec(SDPSubscriberCodecs.vp8, payloadType: 72, rtx: nil))]),
                                   .invalidPayloadType(72))
        Support.expectOfferFailure(options([Self.track(codec: Self.codec(SDPSubscriberCodecs.vp8, payloadType: 128, rtx: nil))]),
                                   .invalidPayloadType(128))
        Support.expectOfferFailure(options([Self.track(codec: Self.codec(SDPSubscriberCodecs.vp8, payloadType: 96, rtx: 95))]),
                                   .invalidPayloadType(95))
        Support.expectOfferFailure(options([Self.track(codec: Self.codec(SDPSubscriberCodecs.vp8, payloadType: 96, rtx: 96))]),
                                   .payloadTypeConflict(96))
        // RFC 8843 §9.1.1: VP8 and H.264 on the same payload type in one BUNDLE group.
        Support.expectOfferFailure(options([Self.track(mid: "a"),
                                            Self.track(mid: "b", codec: Self.codec(SDPSubscriberCodecs.h264, payloadType: 96,
                                                                              rtx: 97))]),
                                   .payloadTypeConflict(96))
        // The same codec with other fmtp is another configuration.
        var otherVP9 = SDPSubscriberCodecs.vp9
        otherVP9.parameters = [SDPFormatParameter(name: "profile-id", value: "2")]
        Support.expectOfferFailure(options([Self.track(mid: "a", codec: SDPSubscriberCodecs.vp9),
                                            Self.track(mid: "b", codec: otherVP9)]), .payloadTypeConflict(98))
        Support.expectOfferFailure(options([Self.track(codec: Self.codec(SDPSubscriberCodecs.vp8, payloadType: 96, rtx: nil),
                                                  rtxSSRC: 5)]), .retransmissionSSRCWithoutPayloadType(mid: "9"))
    }

    @Test func errorsInHeaderExtensionsAndDataChannels() {
        func options(_ extensions: [SDPOfferHeaderExtension]) -> SDPOfferOptions {
            var options = Support.options(tracks: [Support.aliceMic])
            options.headerExtensions = extensions
            return options
        }
        Support.expectOfferFailure(options([SDPOfferHeaderExtension(id: 0, uri: "urn:a")]), .invalidHeaderExtensionID(0))
        Support.expectOfferFailure(options([SDPOfferHeaderExtension(id: 4096, uri: "urn:a")]),
                                   .invalidHeaderExtensionID(4096))
        Support.expectOfferFailure(options([SDPOfferHeaderExtension(id: 3, uri: "urn:a"),
                                            SDPOfferHeaderExtension(id: 3, uri: "urn:b")]),
                                   .conflictingHeaderExtension(id: 3, uri: "urn:b"))
        Support.expectOfferFailure(options([SDPOfferHeaderExtension(id: 3, uri: "urn:a", kinds: [.audio]),
                                            SDPOfferHeaderExtension(id: 5, uri: "urn:a", kinds: [.video])]),
                                   .conflictingHeaderExtension(id: 5, uri: "urn:a"))
        let twoChannels = SDPOfferOptions(iceCredentials: Support.ice, fingerprint: Support.fingerprint, candidates: [],
                                          sessionID: 1, sessionVersion: 1,
                                          media: [.dataChannel(SDPOfferDataChannel(mid: "a")),
                                                  .dataChannel(SDPOfferDataChannel(mid: "b"))])
        Support.expectOfferFailure(twoChannels, .multipleDataChannels)
    }
}
