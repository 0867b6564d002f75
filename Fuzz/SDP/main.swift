// libFuzzer target: SDP (RFC 8866). The input, as UTF-8 (invalid sequences repaired), goes to
// `SessionDescription.parse`; when it parses, two properties must hold:
// 1. `serialized()` parses again to an equal description (the writer and parser agree);
// 2. `SDPAnswerer.answer` with fixed server options either throws a typed error or returns
//    an answer that itself survives serialize → parse unchanged.
// Built with the SDP module sources.

private let answerOptions = SDPAnswerOptions(
    iceCredentials: SDPICECredentials(usernameFragment: "sfuU", password: "sfuPasswordOf24Chars0000"),
    fingerprint: SDPFingerprint(hashFunction: "sha-256", digest: (0..<32).map { UInt8($0 * 7 & 0xFF) }),
    candidates: [
        SDPCandidate(foundation: "1", componentID: 1, transport: "udp", priority: 2_130_706_431,
                     address: "192.0.2.1", port: 40_000, type: .host),
    ],
    outgoingStreams: ["1": SDPOutgoingStream(ssrc: 1111, rtxSSRC: 2222, cname: "sfu", streamID: "s", trackID: "t")],
    sendToMids: ["1"], sessionID: 4_242_424_242)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let offer = try? SessionDescription.parse(text) else { return 0 }

    let written = offer.serialized()
    do {
        let reparsed = try SessionDescription.parse(written)
        fuzzCheck(reparsed == offer, "serialize → parse changed the description:\n\(written)")
    } catch {
        fuzzCheck(false, "serialized description does not parse (\(error)):\n\(written)")
    }

    guard let result = try? SDPAnswerer.answer(to: offer, options: answerOptions) else { return 0 }
    let answerText = result.answer.serialized()
    do {
        let reparsed = try SessionDescription.parse(answerText)
        fuzzCheck(reparsed == result.answer, "answer serialize → parse changed it:\n\(answerText)")
    } catch {
        fuzzCheck(false, "serialized answer does not parse (\(error)):\n\(answerText)")
    }
    return 0
}
