import ArgumentParser
import Auth
import Foundation

/// `parley token create`: mints a join token locally with the API key (no server needed), as an
/// application's backend would.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Make access tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mint a token to join a room.")
        @Option(help: "The participant's identity.") var identity: String
        @Option(help: "The room to join.") var room: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Seconds the token stays valid.") var ttl: Int = 6 * 3600
        @Flag(help: "Only subscribe: no publishing.") var subscribeOnly = false
        @Flag(help: "Also allow administering the room (REST calls for it).") var admin = false
        @OptionGroup var keys: AdminOptions

        func run() async throws {
            guard (60...366 * 86_400).contains(ttl) else { throw ValidationError("--ttl must be 60 s to 366 days") }
            let grants = VideoGrants(roomAdmin: admin, roomJoin: true, room: room,
                                     canPublish: subscribeOnly ? false : nil)
            print(try await TokenIssuer(key: keys.keyPair()).mint(identity: identity, name: name, grants: grants,
                                                                 validFor: .seconds(ttl)))
        }
    }
}
