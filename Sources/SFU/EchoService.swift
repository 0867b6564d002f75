import DTLS
import ICE
import SDP
public import WebRTC

/// Why an echo offer was refused; `code` is what the REST API reports.
public struct EchoError: Error, Equatable, Sendable {
    public let code: String
    public let message: String
}

/// Answers echo-test offers: one server transport per offer, placed on the least-loaded worker,
/// with an `EchoSession` sending the media back.
public final class EchoService: Sendable {
    public let media: MediaServer

    /// What the echo accepts: Opus and VP8 (every browser sends them), the MID extension for
    /// BUNDLE demultiplexing, and no bandwidth-estimation feedback (the echo does not estimate).
    static let codecs: [SDPCodecCapability] = [.opus, .vp8]
    static let headerExtensions = ["urn:ietf:params:rtp-hdrext:sdes:mid"]

    public init(media: MediaServer) {
        self.media = media
    }

    /// Negotiates `offer` and returns the answer SDP.
    public func answer(offer: String) async throws(EchoError) -> String {
        let offerDescription: SessionDescription
        do {
            offerDescription = try SessionDescription.parse(offer)
        } catch {
            throw EchoError(code: "invalid_offer", message: "the offer is not valid SDP: \(error)")
        }
        let worker = await media.leastLoadedWorker()
        let candidates = media.hostCandidates(on: worker)
        let context = media.dtlsContext
        let result: Result<String, EchoError>
        do {
            result = try await worker.submit {
                Self.startSession(offer: offerDescription, worker: worker, context: context, candidates: candidates)
            }
        } catch {
            throw EchoError(code: "unavailable", message: "the media worker is shutting down")
        }
        return try result.get()
    }

    /// On the worker's loop: transport, answer, echo session.
    private static func startSession(offer: SessionDescription, worker: MediaWorker, context: DTLSContext,
                                     candidates: [HostCandidate]) -> Result<String, EchoError> {
        let transport = WebRTCTransport.makeServer(on: worker, dtlsContext: context)
        var generator = SystemRandomNumberGenerator()
        var outgoing: [String: SDPOutgoingStream] = [:]
        for section in offer.mediaSections where section.kind == .audio || section.kind == .video {
            guard let mid = section.mid else { continue }
            outgoing[mid] = SDPOutgoingStream(ssrc: UInt32.random(in: 1...UInt32.max, using: &generator),
                                              rtxSSRC: nil, cname: "parley-echo", streamID: "parley-echo",
                                              trackID: "echo-\(mid)")
        }
        let options = SDPAnswerOptions(
            iceCredentials: SDPICECredentials(transport.localCredentials),
            fingerprint: SDPFingerprint(transport.localFingerprint),
            candidates: candidates.sdpCandidates,
            codecs: codecs,
            headerExtensions: headerExtensions,
            acceptSimulcast: false,
            outgoingStreams: outgoing,
            sendToMids: Set(outgoing.keys))
        let negotiated: (answer: SessionDescription, session: NegotiatedSession)
        do {
            negotiated = try SDPAnswerer.answer(to: offer, options: options)
        } catch {
            transport.close()
            return .failure(EchoError(code: "negotiation_failed", message: "\(error)"))
        }
        let session = negotiated.session
        transport.setRemoteParameters(.init(ice: session.remoteICE, fingerprints: session.remoteFingerprints,
                                            localSetup: session.localSetup))
        var echoSSRCByPayloadType: [UInt8: UInt32] = [:]
        for media in session.media {
            guard let stream = outgoing[media.mid] else { continue }
            for codec in media.codecs { echoSSRCByPayloadType[UInt8(truncatingIfNeeded: codec.payloadType)] = stream.ssrc }
        }
        _ = EchoSession(transport: transport, echoSSRCByPayloadType: echoSSRCByPayloadType)
        return .success(negotiated.answer.serialized())
    }
}
