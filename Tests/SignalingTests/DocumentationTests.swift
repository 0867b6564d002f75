import Foundation
import Signaling
import Testing

/// docs/signaling.md, found by walking up from this file (works from the repo and from a
/// scratch package that symlinks Tests/ and docs/).
private func signalingDocument(filePath: String = #filePath) throws -> String {
    var url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    for _ in 0..<6 {
        let candidate = url.appendingPathComponent("docs/signaling.md")
        if FileManager.default.fileExists(atPath: candidate.path) {
            return try String(contentsOf: candidate, encoding: .utf8)
        }
        url = url.deletingLastPathComponent()
    }
    throw CocoaError(.fileNoSuchFile)
}

/// A fenced block of the doc whose info string is `json client` or `json server`.
private struct DocumentExample {
    var direction: String
    var json: String
    var line: Int
}

private func documentExamples() throws -> [DocumentExample] {
    var examples: [DocumentExample] = []
    var current: (direction: String, lines: [String], line: Int)?
    for (number, line) in try signalingDocument().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if var open = current {
            if line.hasPrefix("```") {
                examples.append(DocumentExample(direction: open.direction, json: open.lines.joined(separator: "\n"), line: open.line))
                current = nil
            } else {
                open.lines.append(String(line))
                current = open
            }
        } else if line.hasPrefix("```json") {
            let words = line.dropFirst(3).split(separator: " ")
            current = (words.count > 1 ? String(words[1]) : "", [], number + 1)
        }
    }
    return examples
}

private func json(_ data: Data) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: data)
}

@Test func everyJSONBlockInTheDocIsTaggedWithItsDirection() throws {
    let examples = try documentExamples()
    #expect(examples.count >= ClientMessage.allTypes.count + ServerMessage.allTypes.count)
    for example in examples {
        #expect(["client", "server"].contains(example.direction), "block at line \(example.line) needs ```json client or ```json server")
    }
}

@Test func everyDocExampleDecodesAndIsExactlyATestExample() throws {
    for example in try documentExamples() {
        let data = Data(example.json.utf8)
        do {
            switch example.direction {
            case "client":
                let decoded = try SignalingCodec.decodeClientEnvelope(data)
                let known = SignalingExamples.client.contains(decoded)
                #expect(known, "docs/signaling.md line \(example.line): this \(decoded.message.type) is not in SignalingExamples.client")
                // Field for field the JSON the encoder writes (no extra, misspelled or defaulted keys).
                let same = try json(data) == json(SignalingCodec.encode(decoded.message, id: decoded.id))
                #expect(same, "docs/signaling.md line \(example.line): JSON differs from the encoder's")
            case "server":
                let decoded = try SignalingCodec.decodeServerEnvelope(data)
                let known = SignalingExamples.server.contains(decoded)
                #expect(known, "docs/signaling.md line \(example.line): this \(decoded.message.type) is not in SignalingExamples.server")
                let same = try json(data) == json(SignalingCodec.encode(decoded.message, id: decoded.id))
                #expect(same, "docs/signaling.md line \(example.line): JSON differs from the encoder's")
            default:
                continue
            }
        } catch {
            Issue.record("docs/signaling.md line \(example.line) does not decode: \(error)")
        }
    }
}

@Test func theDocShowsEveryExample() throws {
    let blocks = try documentExamples()
    let client = blocks.filter { $0.direction == "client" }.compactMap { try? SignalingCodec.decodeClientEnvelope(Data($0.json.utf8)) }
    let server = blocks.filter { $0.direction == "server" }.compactMap { try? SignalingCodec.decodeServerEnvelope(Data($0.json.utf8)) }
    for example in SignalingExamples.client {
        let shown = client.contains(example)
        #expect(shown, "docs/signaling.md lacks the client example of \(example.message.type)")
    }
    for example in SignalingExamples.server {
        let shown = server.contains(example)
        #expect(shown, "docs/signaling.md lacks the server example of \(example.message.type)")
    }
}

/// `SIGNALING_PRINT_EXAMPLES=1 swift test --filter printDocExamples` prints the doc's JSON
/// blocks from the Swift examples, to paste into docs/signaling.md after changing a message.
@Test(.enabled(if: ProcessInfo.processInfo.environment["SIGNALING_PRINT_EXAMPLES"] != nil))
func printDocExamples() throws {
    for example in SignalingExamples.client {
        let value = try json(SignalingCodec.encode(example.message, id: example.id))
        print("### client \(example.message.type)\n```json client\n\(pretty(value))\n```\n")
    }
    for example in SignalingExamples.server {
        let value = try json(SignalingCodec.encode(example.message, id: example.id))
        print("### server \(example.message.type)\n```json server\n\(pretty(value))\n```\n")
    }
}

/// Keys in the order a reader expects them (envelope first, ids before details); others sort
/// alphabetically after these.
private let keyOrder = ["v", "type", "id", "data", "code", "message", "requestId", "reason", "canReconnect",
                        "sdp", "version", "target", "candidate", "room", "participant", "participants", "sid", "participantSid", "trackSid", "cid", "identity",
                        "name", "kind", "source", "metadata", "muted", "layers", "mid", "tracks", "permissions",
                        "rid", "width", "height", "maxBitrate", "unpublish", "sdpMid",
                        "sdpMLineIndex", "usernameFragment", "client", "sdk", "sdkVersion", "os", "browser",
                        "autoSubscribe", "resume", "subscribe", "maxLayer", "timestamp", "serverTime", "iceServers", "reconnectToken",
                        "pingInterval", "pingTimeout", "resumed", "urls", "username", "credential", "speakers", "level",
                        "updates", "quality", "paused"]

private func pretty(_ value: JSONValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .null: return "null"
    case let .bool(b): return b ? "true" : "false"
    case let .number(n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    case let .string(s): return quoted(s)
    case let .array(items):
        if items.isEmpty { return "[]" }
        if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
            return "[" + items.map { pretty($0) }.joined(separator: ", ") + "]"
        }
        return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case let .object(fields):
        if fields.isEmpty { return "{}" }
        let keys = fields.keys.sorted { a, b in
            let ra = keyOrder.firstIndex(of: a) ?? Int.max, rb = keyOrder.firstIndex(of: b) ?? Int.max
            return ra == rb ? a < b : ra < rb
        }
        return "{\n" + keys.map { inner + quoted($0) + ": " + pretty(fields[$0] ?? .null, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
    }
}

private func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16) }
            else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}
