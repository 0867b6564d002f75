import DTLS
import ICE
import SDP
import Testing
@testable import parley_bench

@Suite struct BenchOfferTests {
    @Test func offerIsAcceptedByTheServersAnswererAndTheAnswerIsUnderstood() throws {
        let certificate = try DTLSCertificate.generateSelfSigned()
        let credentials = ICECredentials.random()
        let offer = BenchOffer(credentials: credentials, fingerprint: certificate.fingerprint, sessionID: 7)
        let parsed = try SessionDescription.parse(offer.sdp)
        #expect(parsed.mediaSections.map(\.mid) == ["0", "1"])

        let serverCertificate = try DTLSCertificate.generateSelfSigned()
        let options = SDPAnswerOptions(
            iceUsernameFragment: "srvr", icePassword: "server-password-0123456789",
            fingerprint: SDPFingerprint(hashFunction: "sha-256", digest: serverCertificate.fingerprint.bytes),
            candidates: [SDPCandidate(foundation: "1", componentID: 1, transport: "udp", priority: 1,
                                      address: "127.0.0.1", port: 40_000, type: .host),
                         SDPCandidate(foundation: "2", componentID: 1, transport: "udp", priority: 1,
                                      address: "::1", port: 40_002, type: .host)],
            codecs: [.opus, .vp8], headerExtensions: ["urn:ietf:params:rtp-hdrext:sdes:mid"],
            acceptSimulcast: false, outgoingStreams: [:], sendToMids: ["0", "1"])
        let (answer, session) = try SDPAnswerer.answer(to: parsed, options: options)
        #expect(session.media.map { $0.codecs.first?.payloadType } == [111, 96])
        #expect(session.remoteICE.usernameFragment == credentials.usernameFragment)
        #expect(session.remoteFingerprints.first?.digest == certificate.fingerprint.bytes)

        let understood = try BenchAnswer(sdp: answer.serialized())
        #expect(understood.credentials == ICECredentials(usernameFragment: "srvr", password: "server-password-0123456789"))
        #expect(understood.fingerprints == [serverCertificate.fingerprint])
        #expect(understood.serverAddress.port == 40_000, "the IPv4 UDP candidate is chosen")
    }

    @Test func answerWithoutAnIPv4UDPCandidateIsRejected() {
        #expect(throws: BenchError.self) { try BenchAnswer(sdp: "v=0\r\n") }
    }
}

@Suite struct LatencyHistogramTests {
    @Test func percentilesAreBucketUpperEdges() {
        var histogram = LatencyHistogram()
        for microseconds in 1...100 { histogram.record(microseconds: Int64(microseconds * 100)) } // 0.1 … 10 ms
        #expect(histogram.percentile(50) == 5.01)
        #expect(histogram.percentile(99) == 9.91)
        #expect(histogram.percentile(100) == 10.01)
        var other = LatencyHistogram()
        other.record(microseconds: 5_000_000) // beyond the range: lands in the last bucket
        histogram.merge(other)
        #expect(histogram.sampleCount == 101)
        #expect(histogram.percentile(100) == 1000)
    }

    @Test func emptyHistogramHasNoPercentiles() {
        #expect(LatencyHistogram().percentile(50) == nil)
    }
}
