import Auth
import Foundation
import Hummingbird
import Store

/// `/v1/rooms`: create, list, get, update, delete (JSON; grants checked per call).
struct RoomRoutes: Sendable {
    let store: RoomStore
    /// Live meetings, ended when their room is deleted.
    let meetings: MeetingRegistry?

    func register(on group: RouterGroup<ParleyRequestContext>) {
        group.post { request, context -> EditedResponse<RoomResponse> in
            try context.requireToken().require(.roomCreate)
            let body = try await request.decodeJSON(as: CreateRoomRequest.self)
            let room = try body.validated()
            let record = try Self.storeCall { try store.createRoom(room) }
            return EditedResponse(status: .created, response: RoomResponse(record))
        }
        group.get { _, context -> RoomListResponse in
            try context.requireToken().require(.roomList)
            let rooms = try Self.storeCall { try store.openRooms() }
            return RoomListResponse(rooms: rooms.map(RoomResponse.init))
        }
        group.get(":room") { _, context -> RoomResponse in
            let name = try context.parameters.require("room")
            let token = try context.requireToken()
            // Listing rooms or administering this one both allow reading it.
            if (try? token.require(.roomList)) == nil { try token.require(.roomAdmin, room: name) }
            guard let record = try Self.storeCall({ try store.room(named: name) }), record.isOpen else {
                throw APIError.notFound("no room named '\(name)'")
            }
            return RoomResponse(record)
        }
        group.patch(":room") { request, context -> RoomResponse in
            let name = try context.parameters.require("room")
            try context.requireToken().require(.roomAdmin, room: name)
            let body = try await request.decodeJSON(as: UpdateRoomRequest.self)
            try body.validate()
            let record = try Self.storeCall {
                try store.updateRoom(named: name, metadata: body.metadata, maxParticipants: body.maxParticipants,
                                     emptyTimeoutSeconds: body.emptyTimeoutSeconds)
            }
            return RoomResponse(record)
        }
        let meetings = meetings
        group.delete(":room") { _, context -> HTTPResponse.Status in
            let name = try context.parameters.require("room")
            try context.requireToken().require(.roomCreate)
            // Everyone in it gets `leave` (room_deleted) before the room's record goes.
            await meetings?.end(room: name, reason: .roomDeleted)
            guard try Self.storeCall({ try store.deleteRoom(named: name) }) else {
                throw APIError.notFound("no room named '\(name)'")
            }
            return .noContent
        }
    }

    /// Store errors as API errors. Store calls are short SQLite transactions (WAL); they run on
    /// the HTTP loop, never on a media worker.
    static func storeCall<T>(_ body: () throws -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            switch error {
            case .duplicateRoomName(let name):
                throw APIError(status: .conflict, code: "room_exists", message: "a room named '\(name)' already exists")
            case .unknownRoom(let name), .roomClosed(let name):
                throw APIError.notFound("no room named '\(name)'")
            default:
                throw APIError.internalError("room state is unavailable")
            }
        } catch {
            throw APIError.internalError("room state is unavailable")
        }
    }
}

/// Room names appear in URLs and tokens: keep them to a safe alphabet.
enum RoomName {
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

    static func validate(_ name: String) throws(APIError) {
        guard (1...64).contains(name.count), name.allSatisfy(allowed.contains) else {
            throw APIError(status: .badRequest, code: "invalid_field",
                           message: "name must be 1-64 characters of A-Z, a-z, 0-9, '-', '_' or '.'")
        }
    }
}

struct CreateRoomRequest: Decodable {
    var name: String
    var maxParticipants: Int?
    var emptyTimeoutSeconds: Int?
    var metadata: String?

    func validated() throws(APIError) -> NewRoom {
        try RoomName.validate(name)
        try RoomLimits.validate(maxParticipants: maxParticipants, emptyTimeoutSeconds: emptyTimeoutSeconds,
                                metadata: metadata)
        return NewRoom(name: name, maxParticipants: maxParticipants ?? 0,
                       emptyTimeoutSeconds: emptyTimeoutSeconds ?? 300, metadata: metadata ?? "")
    }
}

struct UpdateRoomRequest: Decodable {
    var maxParticipants: Int?
    var emptyTimeoutSeconds: Int?
    var metadata: String?

    func validate() throws(APIError) {
        try RoomLimits.validate(maxParticipants: maxParticipants, emptyTimeoutSeconds: emptyTimeoutSeconds,
                                metadata: metadata)
    }
}

enum RoomLimits {
    static func validate(maxParticipants: Int?, emptyTimeoutSeconds: Int?, metadata: String?) throws(APIError) {
        if let maxParticipants, !(0...10_000).contains(maxParticipants) {
            throw APIError(status: .badRequest, code: "invalid_field", message: "maxParticipants must be 0-10000 (0: no limit)")
        }
        if let emptyTimeoutSeconds, !(0...86_400).contains(emptyTimeoutSeconds) {
            throw APIError(status: .badRequest, code: "invalid_field", message: "emptyTimeoutSeconds must be 0-86400")
        }
        if let metadata, metadata.utf8.count > 64 * 1024 {
            throw APIError(status: .badRequest, code: "invalid_field", message: "metadata must be at most 64 KiB")
        }
    }
}

struct RoomResponse: ResponseCodable, Equatable {
    var name: String
    var maxParticipants: Int
    var emptyTimeoutSeconds: Int
    var metadata: String
    /// RFC 3339 / ISO 8601, UTC.
    var createdAt: String

    init(_ record: RoomRecord) {
        name = record.name
        maxParticipants = record.maxParticipants
        emptyTimeoutSeconds = record.emptyTimeoutSeconds
        metadata = record.metadata
        createdAt = record.createdAt.formatted(.iso8601)
    }
}

struct RoomListResponse: ResponseCodable, Equatable {
    var rooms: [RoomResponse]
}
