import Auth
import Foundation
import Hummingbird
import Signaling
import Store

/// `/v1/rooms/{room}/participants`: who is (and was) in a room, and removing one (kick).
struct ParticipantRoutes: Sendable {
    let store: RoomStore
    let meetings: MeetingRegistry?

    func register(on group: RouterGroup<ParleyRequestContext>) {
        let store = store, meetings = meetings
        group.get { request, context -> ParticipantListResponse in
            let room = try context.parameters.require("room")
            try context.requireToken().require(.roomAdmin, room: room)
            guard try RoomRoutes.storeCall({ try store.room(named: room) }) != nil else {
                throw APIError.notFound("no room named '\(room)'")
            }
            let includeLeft = request.uri.queryParameters["includeLeft"] == "true"
            let records = try RoomRoutes.storeCall { try store.participants(inRoom: room, includeLeft: includeLeft) }
            return ParticipantListResponse(participants: records.map(ParticipantResponse.init))
        }
        group.get(":identity") { _, context -> ParticipantResponse in
            let (room, identity) = try context.administeredParticipant()
            guard let record = try RoomRoutes.storeCall({ try store.participant(room: room, identity: identity) }) else {
                throw APIError.notFound("no participant '\(identity)' in room '\(room)'")
            }
            return ParticipantResponse(record)
        }
        group.delete(":identity") { _, context -> HTTPResponse.Status in
            let (room, identity) = try context.administeredParticipant()
            guard await meetings?.kick(identity, fromRoom: room) == true else {
                throw APIError.participantNotInRoom(identity, room)
            }
            return .noContent
        }
        group.patch(":identity") { request, context -> ParticipantResponse in
            let (room, identity) = try context.administeredParticipant()
            let body = try await request.decodeJSON(as: UpdateParticipantRequest.self)
            if let name = body.name, !(1...128).contains(name.count) {
                throw APIError(status: .badRequest, code: "invalid_field", message: "name must be 1-128 characters")
            }
            if let metadata = body.metadata, metadata.utf8.count > 64 * 1024 {
                throw APIError(status: .badRequest, code: "invalid_field", message: "metadata is at most 64 KiB")
            }
            let current = try RoomRoutes.storeCall { try store.participant(room: room, identity: identity) }
            guard let current, current.isActive,
                  await meetings?.updateParticipant(
                    identity, inRoom: room, displayName: body.name, metadata: body.metadata,
                    permissions: Signaling.ParticipantPermissions(
                        canPublish: body.canPublish ?? current.permissions.canPublish,
                        canSubscribe: body.canSubscribe ?? current.permissions.canSubscribe,
                        canUpdateMetadata: false)) == true
            else { throw APIError.participantNotInRoom(identity, room) }
            guard let updated = try RoomRoutes.storeCall({ try store.participant(room: room, identity: identity) }) else {
                throw APIError.participantNotInRoom(identity, room)
            }
            return ParticipantResponse(updated)
        }
        group.post(":identity/tracks/:track/mute") { request, context -> HTTPResponse.Status in
            let (room, identity) = try context.administeredParticipant()
            let track = try context.parameters.require("track")
            let body = try await request.decodeJSON(as: MuteTrackRequest.self)
            guard await meetings?.setMuted(track: track, of: identity, inRoom: room, muted: body.muted) == true else {
                throw APIError.notFound("participant '\(identity)' publishes no track '\(track)' in room '\(room)'")
            }
            return .noContent
        }
        group.post(":identity/subscriptions") { request, context -> HTTPResponse.Status in
            let (room, identity) = try context.administeredParticipant()
            let body = try await request.decodeJSON(as: UpdateSubscriptionsRequest.self)
            guard !body.trackSids.isEmpty, body.trackSids.count <= 256 else {
                throw APIError(status: .badRequest, code: "invalid_field", message: "trackSids: 1-256 track sids")
            }
            guard await meetings?.setSubscribed(identity, inRoom: room, trackSids: body.trackSids,
                                                subscribe: body.subscribe) == true else {
                throw APIError.participantNotInRoom(identity, room)
            }
            return .noContent
        }
        group.put(":identity/downlink") { request, context -> HTTPResponse.Status in
            let (room, identity) = try context.administeredParticipant()
            let body = try await request.decodeJSON(as: DownlinkCapRequest.self)
            if let maxBitrate = body.maxBitrate, !(DownlinkCapRequest.range).contains(maxBitrate) {
                throw APIError(status: .badRequest, code: "invalid_field",
                               message: "maxBitrate: \(DownlinkCapRequest.range.lowerBound)-\(DownlinkCapRequest.range.upperBound) bits/s, or null")
            }
            guard await meetings?.capDownlink(identity, inRoom: room, maxBitrate: body.maxBitrate) == true else {
                throw APIError.participantNotInRoom(identity, room)
            }
            return .noContent
        }
    }
}

/// `PUT /v1/rooms/{room}/participants/{identity}/downlink`: the most the server sends the
/// participant, in bits/s; null lifts the cap.
struct DownlinkCapRequest: Decodable {
    static let range = 10_000...1_000_000_000
    var maxBitrate: Int?
}

private extension ParleyRequestContext {
    /// The room and identity a participant route names, once the caller's token may
    /// administer that room.
    func administeredParticipant() throws -> (room: String, identity: String) {
        let room = try parameters.require("room")
        let identity = try parameters.require("identity")
        try requireToken().require(.roomAdmin, room: room)
        return (room, identity)
    }
}

private extension APIError {
    static func participantNotInRoom(_ identity: String, _ room: String) -> APIError {
        .notFound("participant '\(identity)' is not in room '\(room)'")
    }
}

struct UpdateParticipantRequest: Decodable {
    var name: String?
    var metadata: String?
    var canPublish: Bool?
    var canSubscribe: Bool?
}

struct MuteTrackRequest: Decodable {
    var muted: Bool
}

struct UpdateSubscriptionsRequest: Decodable {
    var trackSids: [String]
    var subscribe: Bool
}

/// `POST /v1/rooms/{room}/data`: a message to everyone in a room, or to given identities,
/// delivered on each one's reliable data channel (`chat`, `"from": null`), or as a signaling
/// `data` message to participants without data channels.
struct DataRoutes: Sendable {
    let meetings: MeetingRegistry?

    func register(on group: RouterGroup<ParleyRequestContext>) {
        let meetings = meetings
        group.post { request, context -> DataResponse in
            let room = try context.parameters.require("room")
            try context.requireToken().require(.roomAdmin, room: room)
            let body = try await request.decodeJSON(as: SendDataRequest.self)
            guard body.payload.utf8.count <= 64 * 1024 else {
                throw APIError(status: .badRequest, code: "invalid_field", message: "payload is at most 64 KiB")
            }
            let delivered = await meetings?.sendData(DataReceived(topic: body.topic, payload: body.payload),
                                                     toRoom: room, identities: body.destinationIdentities) ?? 0
            return DataResponse(delivered: delivered)
        }
    }
}

struct SendDataRequest: Decodable {
    var payload: String
    var topic: String?
    /// Nil or absent: everyone in the room.
    var destinationIdentities: [String]?
}

struct DataResponse: ResponseEncodable {
    var delivered: Int
}

struct ParticipantResponse: ResponseEncodable {
    var identity: String
    var name: String
    var metadata: String
    var state: String
    var joinedAt: Date
    var leftAt: Date?
    var leaveReason: String?
    var canPublish: Bool
    var canSubscribe: Bool

    init(_ record: ParticipantRecord) {
        identity = record.identity
        name = record.name
        metadata = record.metadata
        state = record.state.rawValue
        joinedAt = record.joinedAt
        leftAt = record.leftAt
        leaveReason = record.leaveReason
        canPublish = record.permissions.canPublish
        canSubscribe = record.permissions.canSubscribe
    }
}

struct ParticipantListResponse: ResponseEncodable {
    var participants: [ParticipantResponse]
}
