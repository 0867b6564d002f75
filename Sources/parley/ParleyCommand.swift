import ArgumentParser
import Foundation

/// `parley`: the server and, later, the admin commands that talk to a running server.
struct ParleyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Parley, a WebRTC selective forwarding unit.",
        subcommands: [ServeCommand.self, RoomCommand.self, ParticipantCommand.self, TokenCommand.self]
    )
}

/// Entry point. ArgumentParser's own `main()` prints usage text after every error; a bad flag
/// here prints exactly one line (`parley: …`) and exits non-zero, which is easier to read in a
/// service log.
@main
enum ParleyMain {
    static func main() async {
        do {
            var command = try ParleyCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let exitCode = ParleyCommand.exitCode(for: error)
            if exitCode == .success {
                print(ParleyCommand.fullMessage(for: error))
                exit(0)
            }
            let message = ParleyCommand.message(for: error)
            FileHandle.standardError.write(Data("parley: \(message)\n".utf8))
            exit(exitCode.rawValue)
        }
    }
}
