import ArgumentParser
import Auth
import Foundation

/// `parley room create|list|delete`: the room API from the command line.
struct RoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room", abstract: "Create, list and delete rooms on a running server.",
        subcommands: [Create.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a room.")
        @Argument(help: "The room's name.") var name: String
        @Option(help: "Most participants at once (0: no limit).") var maxParticipants: Int?
        @Option(help: "Seconds an empty room stays open.") var emptyTimeout: Int?
        @Option(help: "Free-form metadata for the application.") var metadata: String?
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            var body: [String: Any] = ["name": name]
            if let maxParticipants { body["maxParticipants"] = maxParticipants }
            if let emptyTimeout { body["emptyTimeoutSeconds"] = emptyTimeout }
            if let metadata { body["metadata"] = metadata }
            printJSON(try await admin.call("POST", "v1/rooms", json: body, grants: VideoGrants(roomCreate: true)))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open rooms.")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            printJSON(try await admin.call("GET", "v1/rooms", grants: VideoGrants(roomList: true)))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a room (everyone in it leaves).")
        @Argument(help: "The room's name.") var name: String
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            _ = try await admin.call("DELETE", "v1/rooms/\(name)", grants: VideoGrants(roomCreate: true))
            print("deleted \(name)")
        }
    }
}
