import Foundation
import SDP
import Testing

/// Tracks and options for the subscriber offer tests. The values are the ones the browser
/// check used (Fixtures/subscriber-offer-v*.sdp were written from them and given to headless
/// Chromium 156, whose answers are Fixtures/chromium-subscriber-answer*.sdp).
enum SDPOfferTestSupport {
    static let fingerprint = SDPFingerprint(hashFunction: "sha-256", digest: (0..<32).map { UInt8($0 * 7 & 0xFF) })
    static let fingerprintLine = "a=fingerprint:" + fingerprint.attributeValue
    static let candidates = [SDPCandidate(foundation: "1", componentID: 1, transport: "udp", priority: 2_130_706_431,
                                          address: "127.0.0.1", port: 40_000, type: .host)]
    static let ice = SDPICECredentials(usernameFragment: "sfuU", password: "sfuPasswordOf24Chars0000")
    static let sessionID: UInt64 = 7_000_000_001

    static let aliceMic = SDPOutgoingTrack(mid: "1", kind: .audio, codec: SDPSubscriberCodecs.opus, ssrc: 1001,
                                           cname: "alice", streamID: "alice-stream", trackID: "alice-mic")
    static let aliceCam = SDPOutgoingTrack(mid: "2", kind: .video, codec: SDPSubscriberCodecs.vp8, ssrc: 2001,
                                           rtxSSRC: 2002, cname: "alice", streamID: "alice-stream", trackID: "alice-cam")
    static let bobCam = SDPOutgoingTrack(mid: "3", kind: .video, codec: SDPSubscriberCodecs.h264, ssrc: 3001,
                                         rtxSSRC: 3002, cname: "bob", streamID: "bob-stream", trackID: "bob-cam")
    static let dataChannel = SDPOfferDataChannel(mid: "0")

    static func options(version: UInt64 = 1, tracks: [SDPOutgoingTrack],
                        dataChannel: SDPOfferDataChannel? = dataChannel) -> SDPOfferOptions {
        SDPOfferOptions(iceCredentials: ice, fingerprint: fingerprint, candidates: candidates, sessionID: sessionID,
                        sessionVersion: version, tracks: tracks, dataChannel: dataChannel)
    }

    /// The offer, after checking it survives `serialized()` → `parse`.
    static func offer(_ options: SDPOfferOptions, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> SessionDescription {
        let offer = try SDPOfferer.offer(options)
        #expect(try SessionDescription.parse(offer.serialized()) == offer, sourceLocation: sourceLocation)
        return offer
    }

    /// The first offer of the browser check: data channel, alice's microphone and camera.
    static func offerV1() throws -> SessionDescription {
        try offer(options(version: 1, tracks: [aliceMic, aliceCam]))
    }

    /// The renegotiation of the browser check: microphone removed, bob's camera added.
    static func offerV2() throws -> SessionDescription {
        var removed = aliceMic
        removed.isActive = false
        return try offer(options(version: 2, tracks: [removed, aliceCam, bobCam]))
    }

    static func fixtureText(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "sdp", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func expectOfferFailure(_ options: SDPOfferOptions, _ expected: SDPOfferError,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SDPOfferer.offer(options)
            Issue.record("expected \(expected), got an offer", sourceLocation: sourceLocation)
        } catch {
            #expect(error == expected, sourceLocation: sourceLocation)
        }
    }

    static func expectAnswerFailure(_ answerText: String, offer: SessionDescription,
                                    _ expected: SDPSubscriberAnswerError,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let answer = try SessionDescription.parse(answerText)
        do {
            _ = try SDPSubscriberAnswerReader.read(answer, offer: offer)
            Issue.record("expected \(expected), got a session", sourceLocation: sourceLocation)
        } catch {
            #expect(error == expected, sourceLocation: sourceLocation)
        }
    }
}
