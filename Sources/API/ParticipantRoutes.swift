import Auth
import Foundation
import Hummingbird
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
            let room = try context.parameters.require("room")
            let identity = try context.parameters.require("identity")
            try context.requireToken().require(.roomAdmin, room: room)
            guard let record = try RoomRoutes.storeCall({ try store.participant(room: room, identity: identity) }) else {
                throw APIError.notFound("no participant '\(identity)' in room '\(room)'")
            }
            return ParticipantResponse(record)
        }
        group.delete(":identity") { _, context -> HTTPResponse.Status in
            let room = try context.parameters.require("room")
            let identity = try context.parameters.require("identity")
            try context.requireToken().require(.roomAdmin, room: room)
            guard await meetings?.kick(identity, fromRoom: room) == true else {
                throw APIError.notFound("participant '\(identity)' is not in room '\(room)'")
            }
            return .noContent
        }
    }
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
