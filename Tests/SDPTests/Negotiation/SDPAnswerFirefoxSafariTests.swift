import SDP
import Testing

/// Answers to the Firefox and Safari offers, and properties every fixture's answer has.
@Suite struct SDPAnswerFirefoxSafariTests {
    typealias Support = SDPAnswerTestSupport

    @Test(arguments: SDPFixture.allCases)
    func everyFixtureAnswerRoundTripsAndIsComplete(_ fixture: SDPFixture) throws {
        let offer = try fixture.parsed()
        let (answer, session, _) = try Support.answer(offer, Support.options())
        #expect(answer.mediaSections.map(\.mid) == offer.mediaSections.map(\.mid))
        #expect(answer.mediaSections.map(\.kind) == offer.mediaSections.map(\.kind))
        #expect(answer.isICELite)
        #expect(answer.bundleGroups.map(\.mids) == [offer.bundleGroups[0].mids])
        #expect(session.bundleMids == offer.bundleGroups[0].mids)
        for (index, section) in answer.mediaSections.enumerated() {
            #expect(section.port == 9)
            #expect(section.setup == .passive)
            #expect(section.iceUsernameFragment == "sfuU")
            #expect(section.fingerprints == [Support.serverFingerprint])
            // Candidates and end-of-candidates only in the BUNDLE-tag section.
            #expect(section.candidates == (index == 0 ? Support.serverCandidates : []))
            #expect(section.isEndOfCandidates == (index == 0))
            #expect(section.iceOptions.isEmpty)
            if section.isRTP {
                #expect(section.isRTCPMultiplexed)
                // Every RTX names an accepted codec of the same section.
                let codecs = section.codecs
                for rtx in codecs where rtx.isRetransmission {
                    #expect(codecs.contains { $0.payloadType == rtx.associatedPayloadType && !$0.isRetransmission })
                }
                #expect(section.formats.count == codecs.count)
            }
        }
    }

    @Test func firefoxOfferWithSessionLevelFingerprint() throws {
        let (answer, session, _) = try Support.answer(SDPFixture.firefoxOffer.parsed(), Support.options())
        #expect(session.remoteICECredentials == SDPICECredentials(usernameFragment: "8f2e41d3",
                                                                  password: "c1b6f5a2d8e47a0b3c9f16d2e5a8b7c4"))
        #expect(session.remoteFingerprints.count == 1)
        #expect(session.remoteFingerprints.first?.hashFunction == "sha-256")
        #expect(session.remoteFingerprints.first?.digest.first == 0xA3)
        #expect(!answer.isExtmapAllowMixed)
        #expect(!answer.serialized().contains("a=extmap-allow-mixed"))

        let audio = try answer.section("0")
        #expect(audio.formats == ["109"])
        #expect(audio.extensionMaps == [SDPExtensionMap(id: 1, uri: Support.audioLevelURI),
                                        SDPExtensionMap(id: 3, uri: Support.midURI)])
        #expect(!audio.isRTCPReducedSize)  // Firefox offers no rtcp-rsize on audio.

        // H.264 126 is packetization-mode 1; 97 leaves it out (mode 0) and is refused.
        let video = try answer.section("1")
        #expect(video.formats == ["126", "127", "120", "124"])
        #expect(video.codec(payloadType: 127)?.associatedPayloadType == 126)
        #expect(video.codec(payloadType: 124)?.associatedPayloadType == 120)
        #expect(video.rids == ["q", "h", "f"].map { SDPRestrictionID(id: $0, direction: .recv) })
        #expect(video.simulcast == SDPSimulcast(receive: [[.init(rid: "q")], [.init(rid: "h")], [.init(rid: "f")]]))
        #expect(session.media(mid: "1")?.headerExtensionIDs == [Support.midURI: 3, Support.absSendTime: 4, Support.twcc: 7,
                                                                Support.ridURI: 8, Support.repairedRIDURI: 9])
        #expect(session.media(mid: "1")?.remoteSSRCs.count == 6)
        #expect(session.media(mid: "1")?.remoteSSRCGroups.map(\.semantics) == ["FID", "FID", "FID"])

        // The offerer's limit is what the server may send; the answer states the server's own.
        #expect(session.dataChannel == SDPDataChannelParameters(sctpPort: 5000, maxMessageSize: 1_073_741_823))
        #expect(try answer.section("2").maxMessageSize == 262_144)
    }

    @Test func firefoxDirectionalExtmapIsMirrored() throws {
        let offer = try SDPFixture.firefoxOffer.parsed()
        let playoutDelay = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"
        let (answer, _, _) = try Support.answer(offer, Support.options(headerExtensions: [playoutDelay]))
        #expect(try answer.section("1").extensionMaps == [SDPExtensionMap(id: 6, direction: .sendonly, uri: playoutDelay)])
    }

    @Test func safariOfferPicksConstrainedBaselineOverHighProfile() throws {
        let (answer, session, _) = try Support.answer(SDPFixture.safariOffer.parsed(), Support.options(codecs: [.opus, .h264]))
        #expect(try answer.section("1").formats == ["98", "99"])
        #expect(try answer.section("1").codec(payloadType: 98)?.parameter("profile-level-id") == "42e01f")
        #expect(session.dataChannel == nil)
        #expect(session.bundleMids == ["0", "1"])
        #expect(session.media(mid: "1")?.remoteSSRCs == [2_882_400_001, 2_882_400_002])
    }

    @Test func unsupportedVideoCodecsRejectOnlyTheVideoSection() throws {
        // Safari offers H.264 (High and Constrained Baseline), H.265, VP8 and VP9; the server
        // here forwards only AV1 video.
        let (answer, session, text) = try Support.answer(SDPFixture.safariOffer.parsed(),
                                                         Support.options(codecs: [.opus, .av1]))
        let video = try answer.section("1")
        #expect(video.port == 0)
        #expect(video.lines == ["m=video 0 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:1", "a=inactive"])
        #expect(try answer.section("0").port == 9)
        #expect(try answer.section("0").formats == ["111"])
        #expect(answer.bundleGroups == [SDPGroup(semantics: "BUNDLE", mids: ["0"])])
        #expect(text.contains("a=group:BUNDLE 0\r\n"))
        #expect(session.media.map(\.mid) == ["0"])
        #expect(session.rejectedMedia == [SDPRejectedMedia(sectionIndex: 1, mid: "1", reason: .noCommonCodec)])
    }

    @Test func rejectingTheOfferersTagMovesTheBundleTag() throws {
        // Audio (the offerer's tag) has no acceptable codec; the video section becomes the
        // tag and carries the candidates.
        let (answer, session, _) = try Support.answer(SDPFixture.chromiumOfferPlain.parsed(),
                                                      Support.options(codecs: [.vp8]))
        #expect(session.bundleMids == ["1", "2"])
        #expect(try answer.section("0").port == 0)
        #expect(try answer.section("0").candidates.isEmpty)
        #expect(try answer.section("1").candidates == Support.serverCandidates)
        #expect(try answer.section("1").isEndOfCandidates)
        #expect(try answer.section("2").candidates.isEmpty)
    }

    @Test func offerThatCannotBeAcceptedAtAllThrows() throws {
        Support.expectFailure(try SDPFixture.safariOffer.parsed(),
                              .nothingAcceptable([
                                  SDPRejectedMedia(sectionIndex: 0, mid: "0", reason: .noCommonCodec),
                                  SDPRejectedMedia(sectionIndex: 1, mid: "1", reason: .noCommonCodec),
                              ]),
                              options: Support.options(codecs: [.av1]))
    }
}
