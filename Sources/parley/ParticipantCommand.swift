import ArgumentParser
import Auth
import Foundation

/// `parley participant list|remove`: who is in a room, and removing someone (kick).
struct ParticipantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "participant", abstract: "List and remove participants of a room on a running server.",
        subcommands: [List.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a room's participants.")
        @Argument(help: "The room's name.") var room: String
        @Flag(help: "Also list those who left.") var includeLeft = false
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let query = includeLeft ? [URLQueryItem(name: "includeLeft", value: "true")] : []
            printJSON(try await admin.call("GET", "v1/rooms/\(room)/participants", query: query,
                                           grants: VideoGrants(roomAdmin: true, room: room)))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a participant from a room (kick).")
        @Argument(help: "The room's name.") var room: String
        @Argument(help: "The participant's identity.") var identity: String
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            _ = try await admin.call("DELETE", "v1/rooms/\(room)/participants/\(identity)",
                                     grants: VideoGrants(roomAdmin: true, room: room))
            print("removed \(identity) from \(room)")
        }
    }
}
