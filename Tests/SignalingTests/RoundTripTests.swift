import Foundation
import Signaling
import Testing

@Test(arguments: SignalingExamples.client)
func clientMessageSurvivesEncodeThenDecode(_ example: SignalingEnvelope<ClientMessage>) throws {
    let data = SignalingCodec.encode(example.message, id: example.id)
    let decoded = try SignalingCodec.decodeClientEnvelope(data)
    #expect(decoded == example)
    // The wire form carries the version, the type string and the payload under "data".
    let json = try JSONDecoder().decode(JSONValue.self, from: data)
    guard case let .object(fields) = json else { Issue.record("not an object"); return }
    #expect(fields["v"] == .number(1))
    #expect(fields["type"] == .string(example.message.type))
    #expect(fields["id"] == example.id.map { .number(Double($0)) })
    #expect(fields["data"] != nil)
}

@Test(arguments: SignalingExamples.server)
func serverMessageSurvivesEncodeThenDecode(_ example: SignalingEnvelope<ServerMessage>) throws {
    let data = SignalingCodec.encode(example.message, id: example.id)
    let decoded = try SignalingCodec.decodeServerEnvelope(data)
    #expect(decoded == example)
    let json = try JSONDecoder().decode(JSONValue.self, from: data)
    guard case let .object(fields) = json else { Issue.record("not an object"); return }
    #expect(fields["type"] == .string(example.message.type))
}

@Test func examplesCoverEveryMessageType() {
    #expect(Set(SignalingExamples.client.map(\.message.type)) == Set(ClientMessage.allTypes))
    #expect(Set(SignalingExamples.server.map(\.message.type)) == Set(ServerMessage.allTypes))
    #expect(ClientMessage.allTypes.count == Set(ClientMessage.allTypes).count)
    #expect(ServerMessage.allTypes.count == Set(ServerMessage.allTypes).count)
}

@Test func bareMessagesCodeThroughJSONEncoderWithoutID() throws {
    let message = ServerMessage.trackMuted(TrackMuted(participantSid: "PA_1", trackSid: "TR_1", muted: false))
    let data = try JSONEncoder().encode(message)
    #expect(try JSONDecoder().decode(ServerMessage.self, from: data) == message)
    #expect(try SignalingCodec.decodeServerEnvelope(data).id == nil)
    let ping = ClientMessage.ping(PingPayload(timestamp: 42))
    #expect(try JSONDecoder().decode(ClientMessage.self, from: JSONEncoder().encode(ping)) == ping)
}

@Test func optionalFieldsAreOmittedNotNull() throws {
    let data = SignalingCodec.encode(.error(SignalingErrorPayload(code: .internal, message: "x")))
    let text = String(decoding: data, as: UTF8.self)
    #expect(!text.contains("requestId"))
    #expect(!text.contains("null"))
}

@Test func clientLeaveMayOmitData() throws {
    #expect(try SignalingCodec.decodeClient(Data(#"{"v":1,"type":"leave"}"#.utf8)) == .leave(ClientLeave()))
}

@Test func unknownFieldsAreIgnoredForForwardCompatibility() throws {
    let text = #"{"v":1,"type":"mute","future":true,"data":{"trackSid":"TR_1","muted":true,"reason":"x"}}"#
    #expect(try SignalingCodec.decodeClient(Data(text.utf8)) == .mute(MuteRequest(trackSid: "TR_1", muted: true)))
}

@Test func unknownLeaveReasonDecodesAsOpenValue() throws {
    let text = #"{"v":1,"type":"leave","data":{"reason":"moved_to_other_room","canReconnect":false}}"#
    let message = try SignalingCodec.decodeServer(Data(text.utf8))
    #expect(message == .leave(ServerLeave(reason: SignalingLeaveReason(rawValue: "moved_to_other_room"), canReconnect: false)))
}

@Test func publishTrackDefaultsOptionalFields() throws {
    let text = #"{"v":1,"type":"publish_offer","data":{"sdp":"v=0","tracks":[{"cid":"a","kind":"audio","source":"microphone"}]}}"#
    let message = try SignalingCodec.decodeClient(Data(text.utf8))
    #expect(message == .publishOffer(PublishOffer(sdp: "v=0", tracks: [
        PublishTrackRequest(cid: "a", kind: .audio, source: .microphone, name: "")])))
}

@Test func endOfCandidatesIsAnEmptyCandidate() throws {
    let text = #"{"v":1,"type":"trickle","data":{"target":"subscriber","candidate":{"candidate":""}}}"#
    #expect(try SignalingCodec.decodeClient(Data(text.utf8))
        == .trickle(TrickleCandidate(target: .subscriber, candidate: ICECandidateInit(candidate: ""))))
}

@Test func joinMayOmitAutoSubscribeWhichDefaultsToTrue() throws {
    let bare = try SignalingCodec.decodeClient(Data(#"{"v":1,"type":"join","data":{"client":{"sdk":"x","sdkVersion":"1"}}}"#.utf8))
    #expect(bare == .join(JoinRequest(client: ClientInfo(sdk: "x", sdkVersion: "1"), autoSubscribe: true)))
    let off = try SignalingCodec.decodeClient(Data(
        #"{"v":1,"type":"join","data":{"client":{"sdk":"x","sdkVersion":"1"},"autoSubscribe":false}}"#.utf8))
    #expect(off == .join(JoinRequest(client: ClientInfo(sdk: "x", sdkVersion: "1"), autoSubscribe: false)))
}
