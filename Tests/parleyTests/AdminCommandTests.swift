import Foundation
import HummingbirdWSClient
import Logging
import Testing

/// `parley room …` and `parley token create` against a real `parley serve`, as separate
/// processes.
@Suite struct AdminCommandTests {
    static let key = ["--api-key", "APItestkey0001", "--api-secret", String(repeating: "s3cr3t-", count: 8)]

    @Test func roomCommandsTalkToTheServerAndTokensAreMintedLocally() async throws {
        let folder = NSTemporaryDirectory() + "parley-admin-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = Process()
        server.executableURL = ParleyProcess.executable
        server.arguments = ["serve", "--http-host", "127.0.0.1", "--http-port", "0", "--rtc-port", "0",
                            "--announce", "127.0.0.1", "--data-dir", folder, "--log-level", "warning"] + Self.key
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        let url = try listeningURL(output.fileHandleForReading)
        let admin = ["--server", url] + Self.key

        let created = try await ParleyProcess.run(["room", "create", "standup", "--max-participants", "4"] + admin)
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains(#""name" : "standup""#))

        let duplicate = try await ParleyProcess.run(["room", "create", "standup"] + admin)
        #expect(duplicate.status != 0)
        #expect(duplicate.standardError.hasPrefix("parley: room_exists: "))

        let listed = try await ParleyProcess.run(["room", "list"] + admin)
        #expect(listed.status == 0 && listed.standardOutput.contains("standup"))

        let deleted = try await ParleyProcess.run(["room", "delete", "standup"] + admin)
        #expect(deleted.status == 0)
        let listedAgain = try await ParleyProcess.run(["room", "list"] + admin)
        #expect(!listedAgain.standardOutput.contains("standup"))

        let wrongKey = try await ParleyProcess.run(["room", "list", "--server", url, "--api-key", "APIother",
                                                    "--api-secret", String(repeating: "x", count: 64)])
        #expect(wrongKey.standardError.hasPrefix("parley: unknown_api_key: "))

        let token = try await ParleyProcess.run(["token", "create", "--identity", "ada", "--room", "standup"] + Self.key)
        #expect(token.status == 0)
        #expect(token.standardOutput.split(separator: ".").count == 3, "a JWT: header.payload.signature")

        // Ada joins over signaling with that token; the participant commands see and remove her.
        let socketURL = url.replacingOccurrences(of: "http://", with: "ws://") + "v1/rtc?access_token="
            + token.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let (received, receivedContinuation) = AsyncStream.makeStream(of: String.self)
        let ada = Task {
            _ = try? await WebSocketClient.connect(url: socketURL, logger: Logger(label: "ada")) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"v":1,"type":"join","id":1,"data":{"client":{"sdk":"cli-test","sdkVersion":"1"}}}"#))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { receivedContinuation.yield(text) }
                }
            }
            receivedContinuation.finish()
        }
        defer { ada.cancel() }
        var messages = received.makeAsyncIterator()
        let first = await messages.next()
        #expect(first?.contains(#""type":"joined""#) == true, "\(String(describing: first))")

        let participants = try await ParleyProcess.run(["participant", "list", "standup"] + admin)
        #expect(participants.status == 0, "\(participants.standardError)")
        #expect(participants.standardOutput.contains(#""identity" : "ada""#), "\(participants.standardOutput)")
        let removed = try await ParleyProcess.run(["participant", "remove", "standup", "ada"] + admin)
        #expect(removed.status == 0 && removed.standardOutput.contains("removed ada"), "\(removed.standardError)")
        var leave: String?
        while let text = await messages.next() {
            if text.contains(#""type":"leave""#) {
                leave = text
                break
            }
        }
        #expect(leave?.contains(#""reason":"kicked""#) == true, "Ada's session hears why it ends")
        let again = try await ParleyProcess.run(["participant", "remove", "standup", "ada"] + admin)
        #expect(again.standardError.hasPrefix("parley: not_found: "))
        let left = try await ParleyProcess.run(["participant", "list", "standup", "--include-left"] + admin)
        #expect(left.standardOutput.contains(#""leaveReason" : "kicked""#), "\(left.standardOutput) \(left.standardError)")
    }

    private func listeningURL(_ handle: FileHandle) throws -> String {
        var text = ""
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"http://[^ /]+/"#, options: .regularExpression) { return String(text[range]) }
        }
        throw CancellationError()
    }
}
