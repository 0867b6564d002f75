import SDP
import Testing

/// Real answers from headless Chromium 156 (Linux): in one RTCPeerConnection,
/// `setRemoteDescription(offer)`, `createAnswer()`, `setLocalDescription(answer)` with
/// Fixtures/subscriber-offer-v1.sdp, then the renegotiation Fixtures/subscriber-offer-v2.sdp
/// (mid 1 inactive, mid 3 added). The answers are Fixtures/chromium-subscriber-answer.sdp and
/// chromium-subscriber-answer-renegotiated.sdp.
@Suite struct SDPSubscriberChromiumAnswerTests {
    typealias Support = SDPOfferTestSupport

    static let chromiumFingerprint = SDPFingerprint(hashFunction: "sha-256", digest: [
        0xB8, 0x56, 0x80, 0xE3, 0x5D, 0xEB, 0xFE, 0xB6, 0x2C, 0xA0, 0xF3, 0xF5, 0x45, 0xAD, 0x53, 0x6F,
        0x61, 0xE8, 0x9E, 0x79, 0x1F, 0x22, 0xC4, 0x40, 0xD1, 0x19, 0x92, 0x4C, 0xD9, 0xD8, 0x46, 0x81,
    ])
    static let chromiumICE = SDPICECredentials(usernameFragment: "DyyD", password: "q4CXloBpzd+sdTGT9jTQIJeJ")

    static func read(_ fixture: String, offer: SessionDescription) throws -> NegotiatedSubscriberSession {
        let answer = try SessionDescription.parse(Support.fixtureText(fixture))
        #expect(try SessionDescription.parse(answer.serialized()) == answer)
        return try SDPSubscriberAnswerReader.read(answer, offer: offer)
    }

    @Test func firstAnswerTransport() throws {
        let session = try Self.read("chromium-subscriber-answer", offer: Support.offerV1())
        #expect(session.bundleMids == ["0", "1", "2"])
        #expect(session.remoteICECredentials == Self.chromiumICE)
        #expect(session.remoteFingerprints == [Self.chromiumFingerprint])
        // Chromium answers an actpass offer as the DTLS client.
        #expect(session.remoteSetup == .active)
        #expect(session.localSetup == .passive)
        #expect(session.remoteCandidates.isEmpty)
        #expect(session.dataChannel == SDPDataChannelParameters(sctpPort: 5000, maxMessageSize: 262_144))
    }

    @Test func firstAnswerAcceptsEverySectionRecvonlyWithAllWeOffered() throws {
        let session = try Self.read("chromium-subscriber-answer", offer: Support.offerV1())
        #expect(session.media.map(\.mid) == ["0", "1", "2"])
        #expect(session.media.map(\.isAccepted) == [true, true, true])
        #expect(session.media.map(\.direction) == [.sendrecv, .recvonly, .recvonly])
        let audio = try #require(session.media(mid: "1"))
        #expect(audio.payloadType == 111)
        #expect(audio.acceptsFeedback("transport-cc"))
        #expect(audio.headerExtensionIDs == [
            SDPOfferHeaderExtension.audioLevelURI: 1, SDPOfferHeaderExtension.absSendTimeURI: 2,
            SDPOfferHeaderExtension.transportWideCCURI: 3, SDPOfferHeaderExtension.midURI: 4,
        ])
        let video = try #require(session.media(mid: "2"))
        #expect(video.payloadType == 96)
        #expect(video.retransmissionPayloadType == 97)
        #expect(video.codec?.feedback.map(\.type) == ["goog-remb", "transport-cc", "ccm", "nack", "nack"])
        #expect(video.acceptsFeedback("ccm", parameter: "fir"))
        #expect(video.acceptsFeedback("nack", parameter: "pli"))
        #expect(video.headerExtensionIDs == [
            SDPOfferHeaderExtension.absSendTimeURI: 2, SDPOfferHeaderExtension.transportWideCCURI: 3,
            SDPOfferHeaderExtension.midURI: 4,
        ])
    }

    @Test func renegotiatedAnswerKeepsTransportAndAddsTheNewSection() throws {
        let session = try Self.read("chromium-subscriber-answer-renegotiated", offer: Support.offerV2())
        #expect(session.bundleMids == ["0", "1", "2", "3"])
        #expect(session.remoteICECredentials == Self.chromiumICE)
        #expect(session.remoteFingerprints == [Self.chromiumFingerprint])
        #expect(session.remoteSetup == .active)
        // By the second answer Chromium had gathered its mDNS host candidates.
        #expect(session.remoteCandidates.map(\.port) == [52054, 50304])
        #expect(session.remoteCandidates.allSatisfy { $0.address.hasSuffix(".local") })
        let removed = try #require(session.media(mid: "1"))
        #expect(removed.isAccepted)
        #expect(removed.direction == .inactive)
        #expect(!removed.isReceiving)
        let added = try #require(session.media(mid: "3"))
        #expect(added.isReceiving)
        #expect(added.payloadType == 102)
        #expect(added.retransmissionPayloadType == 103)
        #expect(added.codec?.parameter("profile-level-id") == "42e01f")
        #expect(session.media(mid: "2")?.isReceiving == true)
    }

    @Test func answerReadAgainstTheWrongOfferThrows() throws {
        let answer = try SessionDescription.parse(Support.fixtureText("chromium-subscriber-answer"))
        #expect(throws: SDPSubscriberAnswerError.sectionCountMismatch(offered: 4, answered: 3)) {
            try SDPSubscriberAnswerReader.read(answer, offer: Support.offerV2())
        }
    }

    /// Chromium's answer to an offer with no m-sections (no tracks, no data channel) has no
    /// BUNDLE group and no transport at all: nothing to connect, so the reader refuses it.
    @Test func answerToAnOfferWithoutSectionsHasNoTransport() throws {
        let offer = try Support.offer(Support.options(tracks: [], dataChannel: nil))
        let answer = try SessionDescription.parse(
            "v=0\r\no=- 1227140746704049423 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n")
        #expect(throws: SDPSubscriberAnswerError.missingBundleGroup) {
            try SDPSubscriberAnswerReader.read(answer, offer: offer)
        }
    }
}
