import Foundation
import Signaling
import Testing

private func decodeError(_ text: String, limits: SignalingLimits = .default) -> SignalingDecodeError? {
    do {
        _ = try SignalingCodec.decodeClient(Data(text.utf8), limits: limits)
        return nil
    } catch {
        return error
    }
}

@Test func unknownTypeIsATypedError() {
    #expect(decodeError(#"{"v":1,"type":"dance","data":{}}"#) == .unknownType("dance"))
    // A server-only type is unknown from a client.
    #expect(decodeError(#"{"v":1,"type":"joined","data":{}}"#) == .unknownType("joined"))
}

@Test(arguments: [0, 2, 99, -1])
func otherVersionsAreUnsupported(_ version: Int) {
    #expect(decodeError(#"{"v":\#(version),"type":"ping","data":{"timestamp":1}}"#) == .unsupportedVersion(version))
}

@Test func versionIsCheckedBeforeType() {
    #expect(decodeError(#"{"v":2,"type":"teleport"}"#) == .unsupportedVersion(2))
}

@Test(arguments: [
    (#"{"type":"ping","data":{"timestamp":1}}"#, "v"),
    (#"{"v":"1","type":"ping","data":{"timestamp":1}}"#, "v"),
    (#"{"v":1.5,"type":"ping","data":{"timestamp":1}}"#, "v"),
    (#"{"v":1,"data":{"timestamp":1}}"#, "type"),
    (#"{"v":1,"type":7}"#, "type"),
    (#"{"v":1,"type":"ping","id":-3,"data":{"timestamp":1}}"#, "id"),
    (#"{"v":1,"type":"ping","id":"abc","data":{"timestamp":1}}"#, "id"),
    (#"{"v":1,"type":"ping"}"#, "data"),
    (#"{"v":1,"type":"ping","data":{}}"#, "data.timestamp"),
    (#"{"v":1,"type":"ping","data":{"timestamp":"now"}}"#, "data.timestamp"),
    (#"{"v":1,"type":"mute","data":{"trackSid":"TR_1"}}"#, "data.muted"),
    (#"{"v":1,"type":"publish_offer","data":{"sdp":""}}"#, "data.sdp"),
    (#"{"v":1,"type":"publish_offer","data":{"sdp":"v=0","tracks":[{"cid":"a","kind":"smell","source":"camera"}]}}"#, "data.tracks[0].kind"),
    (#"{"v":1,"type":"publish_offer","data":{"sdp":"v=0","tracks":[{"cid":"a","kind":"audio","source":"microphone"},{"cid":"a","kind":"audio","source":"microphone"}]}}"#, "data.tracks"),
    (#"{"v":1,"type":"publish_offer","data":{"sdp":"v=0","tracks":[{"cid":"a","kind":"audio","source":"microphone","layers":[{"rid":"q","width":1,"height":1,"maxBitrate":1}]}]}}"#, "data.tracks[0].layers"),
    (#"{"v":1,"type":"publish_offer","data":{"sdp":"v=0","tracks":[{"cid":"v","kind":"video","source":"camera","layers":[{"rid":"q q","width":1,"height":1,"maxBitrate":1}]}]}}"#, "data.tracks[0].layers[0].rid"),
    (#"{"v":1,"type":"publish_offer","data":{"sdp":"v=0","tracks":[{"cid":"v","kind":"video","source":"camera","layers":[{"rid":"q","height":1,"maxBitrate":1}]}]}}"#, "data.tracks[0].layers[0].width"),
    (#"{"v":1,"type":"update_subscription","data":{"trackSid":"TR_1","subscribe":true,"maxLayer":3}}"#, "data.maxLayer"),
    (#"{"v":1,"type":"update_subscription","data":{"trackSid":"TR_1","subscribe":true,"maxLayer":-1}}"#, "data.maxLayer"),
    (#"{"v":1,"type":"update_subscription","data":{"trackSid":"TR_1","subscribe":true,"width":640}}"#, "data.height"),
    (#"{"v":1,"type":"trickle","data":{"target":"both","candidate":{"candidate":""}}}"#, "data.target"),
    (#"{"v":1,"type":"trickle","data":{"target":"publisher","candidate":{"candidate":"candidate:1 1 udp 1 1.2.3.4 5 typ host"}}}"#, "data.candidate.sdpMid"),
    (#"{"v":1,"type":"subscribe_answer","data":{"sdp":"v=0","version":0}}"#, "data.version"),
    (#"{"v":1,"type":"join","data":{"client":{"sdk":"x"},"autoSubscribe":true}}"#, "data.client.sdkVersion"),
])
func missingOrInvalidFieldsNameTheField(_ text: String, _ path: String) {
    #expect(decodeError(text) == .invalidField(path))
}

@Test(arguments: ["", "not json", "[1,2]", "null", "42", #""ping""#, "{", #"{"v":1,"type":"ping","data":{"timestamp":1}"#])
func nonObjectsAreMalformed(_ text: String) {
    #expect(decodeError(text) == .malformedJSON)
}

@Test func oversizeMessageIsRejectedBeforeParsing() {
    let limits = SignalingLimits.default
    // Not even JSON: proves the size is checked first.
    let big = Data(repeating: 0x20, count: limits.maxMessageBytes + 1)
    #expect(throws: SignalingDecodeError.tooLarge(bytes: limits.maxMessageBytes + 1, limit: 65536)) {
        try SignalingCodec.decodeClient(big)
    }
    // Exactly at the limit is allowed.
    let padding = String(repeating: " ", count: limits.maxMessageBytes - 40)
    let atLimit = #"{"v":1,"type":"leave","data":{}}"# + padding
    let data = Data(atLimit.utf8.prefix(limits.maxMessageBytes))
    #expect(data.count <= limits.maxMessageBytes)
    #expect(throws: Never.self) { try SignalingCodec.decodeClient(data) }
    // A smaller configured limit applies.
    #expect(decodeError(#"{"v":1,"type":"leave"}"#, limits: SignalingLimits(maxMessageBytes: 10)) == .tooLarge(bytes: 22, limit: 10))
}

@Test(arguments: SignalingExamples.client)
func everyTruncationOfAValidMessageThrows(_ example: SignalingEnvelope<ClientMessage>) {
    let data = SignalingCodec.encode(example.message, id: example.id)
    for length in 0..<data.count {
        #expect(throws: SignalingDecodeError.self) { try SignalingCodec.decodeClient(data.prefix(length)) }
    }
}

@Test func decodeErrorsMapToErrorCodes() {
    #expect(SignalingDecodeError.tooLarge(bytes: 1, limit: 0).errorCode == .messageTooLarge)
    #expect(SignalingDecodeError.unsupportedVersion(2).errorCode == .unsupportedVersion)
    #expect(SignalingDecodeError.unknownType("x").errorCode == .badMessage)
    #expect(SignalingDecodeError.invalidField("x").errorCode == .badMessage)
    #expect(SignalingDecodeError.malformedJSON.errorCode == .badMessage)
}

@Test func errorReplyEchoesTheRequestIDOfABadMessage() throws {
    let bad = Data(#"{"v":1,"type":"mute","id":17,"data":{"trackSid":"TR_1"}}"#.utf8)
    do {
        _ = try SignalingCodec.decodeClient(bad)
        Issue.record("expected a decode error")
    } catch {
        let reply = SignalingCodec.errorReply(for: error, in: bad)
        #expect(reply == .error(SignalingErrorPayload(code: .badMessage, message: #"missing or invalid field "data.muted""#, requestId: 17)))
        // The reply itself is a valid server message.
        #expect(try SignalingCodec.decodeServer(SignalingCodec.encode(reply)) == reply)
    }
    #expect(SignalingCodec.requestID(in: Data("garbage".utf8)) == nil)
}

@Test func serverDecoderRejectsOutOfRangeSpeakerLevel() {
    let text = #"{"v":1,"type":"active_speakers","data":{"speakers":[{"participantSid":"PA_1","level":1.5}]}}"#
    #expect(throws: SignalingDecodeError.invalidField("data.speakers[0].level")) {
        try SignalingCodec.decodeServer(Data(text.utf8))
    }
}

@Test func nonFiniteLevelEncodesAsInternalErrorNotACrash() throws {
    let data = SignalingCodec.encode(.activeSpeakers(ActiveSpeakers(speakers: [SpeakerLevel(participantSid: "PA_1", level: .nan)])))
    guard case let .error(payload) = try SignalingCodec.decodeServer(data) else {
        Issue.record("expected an error message"); return
    }
    #expect(payload.code == .internal)
}

@Test func deeplyNestedJSONIsRejectedNotAStackOverflow() {
    let depth = SignalingLimits.default.maxMessageBytes / 2 - 100
    let text = #"{"v":1,"type":"ping","data":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
    #expect(throws: SignalingDecodeError.self) { try SignalingCodec.decodeClient(Data(text.utf8)) }
}

@Test(arguments: SignalingExamples.client)
func corruptedBytesEitherDecodeOrThrowTypedErrors(_ example: SignalingEnvelope<ClientMessage>) {
    // Deterministic byte flips: whatever comes out must be a value or a SignalingDecodeError
    // (typed throws guarantees the type; this proves there is no trap).
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let original = [UInt8](SignalingCodec.encode(example.message, id: example.id))
    for _ in 0..<300 {
        var bytes = original
        for _ in 0..<3 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let index = Int((state >> 33) % UInt64(bytes.count))
            bytes[index] = UInt8(truncatingIfNeeded: state >> 20)
        }
        do {
            let decoded = try SignalingCodec.decodeClient(Data(bytes))
            // A mutation that still decodes must re-encode to something that decodes the same.
            #expect(try SignalingCodec.decodeClient(SignalingCodec.encode(decoded)) == decoded)
        } catch {
            _ = error.errorCode
        }
    }
}

@Test func hugeNumbersAreInvalidFieldsNotTraps() {
    // Foundation reports a number that does not fit a nested field without its path.
    #expect(decodeError(#"{"v":1,"type":"ping","data":{"timestamp":1e300}}"#)?.errorCode == .badMessage)
    #expect(decodeError(#"{"v":1,"type":"ping","id":1e20,"data":{"timestamp":1}}"#) == .invalidField("id"))
    #expect(decodeError(#"{"v":1,"type":"ping","id":9007199254740992,"data":{"timestamp":1}}"#) == .invalidField("id"))
    #expect(decodeError(#"{"v":99999999999,"type":"ping"}"#) == .unsupportedVersion(99_999_999_999))
}
