import SDP
import Testing

/// Transport requirements, DTLS roles, directions and per-section rejection.
@Suite struct SDPAnswerRulesTests {
    typealias Support = SDPAnswerTestSupport

    // MARK: Errors

    @Test func missingFingerprintThrows() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().removingAttributes { $0.name == "fingerprint" }
        Support.expectFailure(offer, .missingFingerprint(mid: "0"))
    }

    @Test func missingICEPasswordThrows() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().removingAttributes { $0.name == "ice-pwd" }
        Support.expectFailure(offer, .missingICECredentials(mid: "0"))
    }

    @Test func missingICEUsernameFragmentThrows() throws {
        let offer = try SDPFixture.firefoxOffer.parsed().removingAttributes { $0.name == "ice-ufrag" }
        Support.expectFailure(offer, .missingICECredentials(mid: "0"))
    }

    @Test func missingRTCPMuxThrows() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("1") { $0.attributes.removeAll { $0 == .rtcpMux } }
        Support.expectFailure(offer, .missingRTCPMux(mid: "1"))
    }

    @Test func missingBundleGroupThrows() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().removingAttributes { $0.name == "group" }
        Support.expectFailure(offer, .missingBundleGroup)
    }

    @Test func missingMidThrows() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("1") {
            $0.attributes.removeAll { $0.name == "mid" }
        }
        Support.expectFailure(offer, .missingMid(sectionIndex: 1))
    }

    @Test func duplicateMidThrows() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("1") {
            $0.attributes = $0.attributes.map { $0.name == "mid" ? .mid("0") : $0 }
        }
        Support.expectFailure(offer, .duplicateMid("0"))
    }

    @Test func holdconnThrows() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().removingAttributes { $0.name == "setup" }
            .changingSection("0") { $0.attributes.append(.setup(.holdconn)) }
        Support.expectFailure(offer, .unsupportedSetupRole(.holdconn))
    }

    // MARK: DTLS roles (RFC 8842 §5.3)

    @Test(arguments: [
        (SDPSetupRole?.some(.actpass), SDPSetupRole.passive, SDPSetupRole.actpass),
        (.some(.passive), .active, .passive),
        (.some(.active), .passive, .active),
        (nil, .passive, .active),
    ])
    func answerSetupRole(offered: SDPSetupRole?, answered: SDPSetupRole, remote: SDPSetupRole) throws {
        var offer = try SDPFixture.chromiumOffer.parsed().removingAttributes { $0.name == "setup" }
        if let offered {
            for index in offer.mediaSections.indices { offer.mediaSections[index].attributes.append(.setup(offered)) }
        }
        let (answer, session, _) = try Support.answer(offer, Support.options())
        #expect(answer.mediaSections.map(\.setup) == [answered, answered, answered])
        #expect(session.localSetup == answered)
        #expect(session.remoteSetup == remote)
    }

    // MARK: Directions (RFC 3264 §6.1)

    @Test(arguments: [
        (SDPDirection.sendrecv, false, SDPDirection.recvonly),
        (.sendrecv, true, .sendrecv),
        (.sendonly, false, .recvonly),
        (.sendonly, true, .recvonly),
        (.recvonly, false, .inactive),
        (.recvonly, true, .sendonly),
        (.inactive, true, .inactive),
    ])
    func answerDirection(offered: SDPDirection, serverSends: Bool, answered: SDPDirection) throws {
        let offer = try SDPFixture.chromiumOfferPlain.parsed().changingSection("1") { section in
            section.attributes = section.attributes.map { if case .direction = $0 { .direction(offered) } else { $0 } }
        }
        let (answer, session, _) = try Support.answer(offer, Support.options(sendToMids: serverSends ? ["1"] : []))
        #expect(try answer.section("1").direction == answered)
        #expect(session.media(mid: "1")?.direction == answered)
    }

    @Test func noSimulcastWhenTheServerDoesNotReceive() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("1") { section in
            section.attributes = section.attributes.map { $0 == .direction(.sendonly) ? .direction(.inactive) : $0 }
        }
        let (answer, session, _) = try Support.answer(offer, Support.options())
        #expect(try answer.section("1").direction == .inactive)
        #expect(try answer.section("1").simulcast == nil)
        #expect(session.media(mid: "1")?.receiveSimulcastRIDs == [])
    }

    // MARK: Simulcast details (RFC 8851 / RFC 8853)

    @Test func simulcastKeepsAlternativesPausedStreamsAndFiltersPayloadTypes() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("1") { section in
            section.attributes.removeAll { $0.name == "rid" || $0.name == "simulcast" }
            section.attributes += [
                .rid(SDPRestrictionID(id: "q", direction: .send, payloadTypes: [98, 96],
                                      restrictions: [SDPRIDRestriction(name: "max-width", value: "320")])),
                .rid(SDPRestrictionID(id: "h", direction: .send)),
                .rid(SDPRestrictionID(id: "x", direction: .send, payloadTypes: [98])),  // VP9 only: not accepted
                .rid(SDPRestrictionID(id: "f", direction: .send)),
                .simulcast(SDPSimulcast(send: [[.init(rid: "q")], [.init(rid: "h"), .init(rid: "x")],
                                               [.init(rid: "f", paused: true)], [.init(rid: "undescribed")]])),
            ]
        }
        let (answer, session, text) = try Support.answer(offer, Support.options())
        let video = try answer.section("1")
        #expect(video.rids == [SDPRestrictionID(id: "q", direction: .recv, payloadTypes: [96]),
                               SDPRestrictionID(id: "h", direction: .recv),
                               SDPRestrictionID(id: "f", direction: .recv)])
        #expect(text.contains("a=simulcast:recv q;h;~f\r\n"))
        #expect(session.media(mid: "1")?.receiveSimulcastRIDs == ["q", "h", "f"])
    }

    // MARK: Rejected sections

    @Test func sectionsTheServerCannotUseAreRejected() throws {
        var offer = try SDPFixture.chromiumOffer.parsed()
        offer.mediaSections[0].transportProtocol = "RTP/AVP"            // no DTLS-SRTP
        offer.mediaSections[2].port = 0                                 // disabled by the offerer
        let (answer, session, _) = try Support.answer(offer, Support.options())
        #expect(session.rejectedMedia == [
            SDPRejectedMedia(sectionIndex: 0, mid: "0", reason: .unsupportedProtocol("RTP/AVP")),
            SDPRejectedMedia(sectionIndex: 2, mid: "2", reason: .disabledByOfferer),
        ])
        #expect(answer.mediaSections.map(\.port) == [0, 9, 0])
        #expect(try answer.section("0").lines == ["m=audio 0 RTP/AVP 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=inactive"])
        #expect(try answer.section("2").lines == ["m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
                                                 "c=IN IP4 0.0.0.0", "a=mid:2", "a=inactive"])
        #expect(session.bundleMids == ["1"])
        #expect(session.dataChannel == nil)
    }

    @Test func sectionOutsideTheBundleGroupIsRejected() throws {
        var offer = try SDPFixture.chromiumOffer.parsed()
        offer.attributes = offer.attributes.map { $0.name == "group" ? .group(SDPGroup(semantics: "BUNDLE", mids: ["0", "1"])) : $0 }
        let (_, session, _) = try Support.answer(offer, Support.options())
        #expect(session.rejectedMedia == [SDPRejectedMedia(sectionIndex: 2, mid: "2", reason: .notBundled)])
        #expect(session.bundleMids == ["0", "1"])
    }

    @Test func bundleOnlySectionWithPortZeroIsAccepted() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("1") { section in
            section.port = 0
            section.attributes.append(.other(name: "bundle-only", value: nil))
        }
        let (answer, session, text) = try Support.answer(offer, Support.options())
        #expect(try answer.section("1").port == 9)
        #expect(session.bundleMids == ["0", "1", "2"])
        #expect(!text.contains("bundle-only"))
    }

    @Test func dataChannelWithoutSCTPPortIsRejected() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("2") { $0.attributes.removeAll { $0.name == "sctp-port" } }
        let (_, session, _) = try Support.answer(offer, Support.options())
        #expect(session.rejectedMedia == [SDPRejectedMedia(sectionIndex: 2, mid: "2", reason: .missingSCTPPort)])
    }

    @Test func dataChannelWithoutMaxMessageSizeDefaultsTo64KiB() throws {
        let offer = try SDPFixture.chromiumOffer.parsed().changingSection("2") {
            $0.attributes.removeAll { $0.name == "max-message-size" }
        }
        let (_, session, _) = try Support.answer(offer, Support.options())
        #expect(session.dataChannel == SDPDataChannelParameters(sctpPort: 5000, maxMessageSize: 65_536))
    }
}
