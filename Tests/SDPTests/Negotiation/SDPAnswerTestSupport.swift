import SDP
import Testing

/// Server-side values shared by the answer tests.
enum SDPAnswerTestSupport {
    static let serverFingerprint = SDPFingerprint(hashFunction: "sha-256", digest: (0..<32).map { UInt8($0 * 7 & 0xFF) })
    static let serverCandidates = [
        SDPCandidate(foundation: "1", componentID: 1, transport: "udp", priority: 2_130_706_431,
                     address: "192.0.2.1", port: 40_000, type: .host),
        SDPCandidate(foundation: "2", componentID: 1, transport: "tcp", priority: 1_671_430_143,
                     address: "192.0.2.1", port: 40_000, type: .host,
                     extensions: [SDPCandidateExtension(name: "tcptype", value: "passive")]),
    ]
    static let twcc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    static let absSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    static let midURI = "urn:ietf:params:rtp-hdrext:sdes:mid"
    static let ridURI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    static let repairedRIDURI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    static let audioLevelURI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"

    static func options(codecs: [SDPCodecCapability] = [.opus, .h264, .vp8],
                        headerExtensions: [String] = SDPAnswerOptions.defaultHeaderExtensions,
                        acceptSimulcast: Bool = true,
                        outgoingStreams: [String: SDPOutgoingStream] = [:],
                        sendToMids: Set<String> = []) -> SDPAnswerOptions {
        SDPAnswerOptions(
            iceCredentials: SDPICECredentials(usernameFragment: "sfuU", password: "sfuPasswordOf24Chars0000"),
            fingerprint: serverFingerprint, candidates: serverCandidates, codecs: codecs,
            headerExtensions: headerExtensions, acceptSimulcast: acceptSimulcast,
            outgoingStreams: outgoingStreams, sendToMids: sendToMids, sessionID: 4_242_424_242)
    }

    /// The answer, after checking it survives `serialized()` → `parse`.
    static func answer(_ offer: SessionDescription, _ options: SDPAnswerOptions,
                       sourceLocation: SourceLocation = #_sourceLocation) throws
        -> (answer: SessionDescription, session: NegotiatedSession, text: String) {
        let result = try SDPAnswerer.answer(to: offer, options: options)
        let text = result.answer.serialized()
        let reparsed = try SessionDescription.parse(text)
        #expect(reparsed == result.answer, sourceLocation: sourceLocation)
        return (result.answer, result.session, text)
    }

    /// Expects `SDPAnswerer.answer` to throw exactly `expected`.
    static func expectFailure(_ offer: SessionDescription, _ expected: SDPNegotiationError,
                              options: SDPAnswerOptions = options(), sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SDPAnswerer.answer(to: offer, options: options)
            Issue.record("expected \(expected), got an answer", sourceLocation: sourceLocation)
        } catch {
            #expect(error == expected, sourceLocation: sourceLocation)
        }
    }
}

extension SessionDescription {
    /// A copy with the section of this mid changed.
    func changingSection(_ mid: String, _ change: (inout SDPMediaSection) -> Void) -> SessionDescription {
        var copy = self
        for index in copy.mediaSections.indices where copy.mediaSections[index].mid == mid {
            change(&copy.mediaSections[index])
        }
        return copy
    }

    /// A copy with attributes removed at session level and in every section.
    func removingAttributes(where predicate: (SDPAttribute) -> Bool) -> SessionDescription {
        var copy = self
        copy.attributes.removeAll(where: predicate)
        for index in copy.mediaSections.indices { copy.mediaSections[index].attributes.removeAll(where: predicate) }
        return copy
    }

    /// Lines of the serialized text that start with `prefix`.
    func lines(startingWith prefix: String) -> [String] {
        serialized().split(separator: "\r\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }
}

extension SDPMediaSection {
    /// The serialized lines of this section alone, for exact comparisons.
    var lines: [String] {
        let text = SessionDescription(origin: SDPOrigin(sessionID: 1, sessionVersion: 1), mediaSections: [self]).serialized()
        let all = text.split(separator: "\r\n").map(String.init)
        guard let start = all.firstIndex(where: { $0.hasPrefix("m=") }) else { return [] }
        return Array(all[start...])
    }
}
