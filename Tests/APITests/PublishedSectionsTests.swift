@testable import API
import SDP
import SFU
import Testing

@Suite struct PublishedSectionsTests {
    /// Chromium's simulcast offer names its layers by rid and their RTX streams by the repaired
    /// rid: the router gets both extension ids, so it can learn every SSRC from packets.
    @Test func chromiumsSimulcastSectionGivesTheRouterTheRIDAndRepairedRIDExtensions() throws {
        let offer = try SessionDescription.parse(SignalingSessionTests.chromiumOffer)
        let options = SDPAnswerOptions(
            iceCredentials: SDPICECredentials(usernameFragment: "sfuU", password: "sfuPasswordOf24Chars0000"),
            fingerprint: SDPFingerprint(hashFunction: "sha-256", digest: [UInt8](repeating: 7, count: 32)),
            candidates: [], codecs: [.opus, .vp8], acceptSimulcast: true)
        let (_, session) = try SDPAnswerer.answer(to: offer, options: options)
        let tracks = try PublishedSections.tracks(offer: offer, session: session,
                                                  requests: SignalingSessionTests.publishRequest.tracks, known: [])
        let video = try #require(tracks.first { $0.description.kind == .video })
        #expect(video.description.layers.map(\.rid) == ["q", "h", "f"])
        #expect(video.description.layers.allSatisfy { $0.ssrc == nil && $0.rtxSSRC == nil }, "learned from packets")
        #expect(video.description.ridExtensionID == 10)
        #expect(video.description.repairedRIDExtensionID == 11)
    }
}
