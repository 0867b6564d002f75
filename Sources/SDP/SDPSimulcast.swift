/// RFC 8851 §10 `rid-dir`.
public enum SDPRIDDirection: String, Hashable, Sendable, CaseIterable {
    case send, recv
}

/// One `key[=value]` restriction of an `a=rid` line, e.g. `max-width=1280` (RFC 8851 §5).
public struct SDPRIDRestriction: Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }
}

/// RFC 8851 §10: `a=rid:<rid-id> <send|recv> [pt=<fmt>,...;]<restriction>;...` — names one
/// RTP stream (an encoding) and what it may carry.
public struct SDPRestrictionID: Hashable, Sendable {
    public var id: String
    public var direction: SDPRIDDirection
    /// The `pt=` list; empty when absent (any payload type of the section).
    public var payloadTypes: [UInt8]
    public var restrictions: [SDPRIDRestriction]

    public init(id: String, direction: SDPRIDDirection, payloadTypes: [UInt8] = [], restrictions: [SDPRIDRestriction] = []) {
        self.id = id
        self.direction = direction
        self.payloadTypes = payloadTypes
        self.restrictions = restrictions
    }

    public func restriction(_ name: String) -> String? {
        restrictions.first(where: { $0.name == name })?.value
    }

    /// RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_").
    static func isRIDIdentifier(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 255 && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2D || byte == 0x5F
        }
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPRestrictionID {
        let fields = value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 2, isRIDIdentifier(fields[0]),
              let direction = SDPRIDDirection(rawValue: String(fields[1])) else {
            throw .badRID(value)
        }
        var rid = SDPRestrictionID(id: String(fields[0]), direction: direction)
        guard fields.count == 3 else { return rid }
        for (index, piece) in fields[2].split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            guard !piece.isEmpty else { throw .badRID(value) }
            // rid-pt-param-list: the pt= list may only come first.
            if index == 0, piece.hasPrefix("pt=") {
                for format in piece.dropFirst(3).split(separator: ",", omittingEmptySubsequences: false) {
                    guard let payloadType = SDPTextScanning.payloadType(format) else { throw .badRID(value) }
                    rid.payloadTypes.append(payloadType)
                }
                continue
            }
            if let equals = piece.firstIndex(of: "=") {
                let name = piece[..<equals]
                guard SDPTextScanning.isToken(name), name != "pt" else { throw .badRID(value) }
                rid.restrictions.append(SDPRIDRestriction(name: String(name), value: String(piece[piece.index(after: equals)...])))
            } else {
                guard SDPTextScanning.isToken(piece) else { throw .badRID(value) }
                rid.restrictions.append(SDPRIDRestriction(name: String(piece)))
            }
        }
        return rid
    }

    var attributeValue: String {
        var pieces: [String] = []
        if !payloadTypes.isEmpty { pieces.append("pt=" + payloadTypes.map(String.init).joined(separator: ",")) }
        for item in restrictions { pieces.append(item.value.map { "\(item.name)=\($0)" } ?? item.name) }
        var text = "\(id) \(direction.rawValue)"
        if !pieces.isEmpty { text += " " + pieces.joined(separator: ";") }
        return text
    }
}

/// RFC 8853 §5.1 `sc-id`: a rid, `~` in front when the stream starts paused.
public struct SDPSimulcastStream: Hashable, Sendable {
    public var rid: String
    public var paused: Bool

    public init(rid: String, paused: Bool = false) {
        self.rid = rid
        self.paused = paused
    }
}

/// RFC 8853 §5.1: `a=simulcast:send <list> [recv <list>]` (either order). Each list is
/// `;`-separated simulcast streams, each a `,`-separated set of alternatives (preferred first).
public struct SDPSimulcast: Hashable, Sendable {
    public var send: [[SDPSimulcastStream]]?
    public var receive: [[SDPSimulcastStream]]?
    /// True when `recv` was written before `send`; kept so the line round-trips.
    public var receiveListedFirst: Bool

    public init(send: [[SDPSimulcastStream]]? = nil, receive: [[SDPSimulcastStream]]? = nil, receiveListedFirst: Bool = false) {
        self.send = send
        self.receive = receive
        self.receiveListedFirst = receiveListedFirst
    }

    static func parseList(_ text: Substring, original value: String) throws(SDPParseErrorReason) -> [[SDPSimulcastStream]] {
        var streams: [[SDPSimulcastStream]] = []
        for alternativesText in text.split(separator: ";", omittingEmptySubsequences: false) {
            var alternatives: [SDPSimulcastStream] = []
            for idText in alternativesText.split(separator: ",", omittingEmptySubsequences: false) {
                let paused = idText.first == "~"
                let rid = paused ? idText.dropFirst() : idText
                guard SDPRestrictionID.isRIDIdentifier(rid) else { throw .badSimulcast(value) }
                alternatives.append(SDPSimulcastStream(rid: String(rid), paused: paused))
            }
            streams.append(alternatives)
        }
        return streams
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPSimulcast {
        let fields = SDPTextScanning.fields(value)
        guard fields.count == 2 || fields.count == 4 else { throw .badSimulcast(value) }
        var simulcast = SDPSimulcast()
        var index = 0
        while index < fields.count {
            let list = try parseList(fields[index + 1], original: value)
            switch fields[index] {
            case "send" where simulcast.send == nil:
                simulcast.send = list
            case "recv" where simulcast.receive == nil:
                simulcast.receive = list
                if index == 0, fields.count == 4 { simulcast.receiveListedFirst = true }
            default:
                throw .badSimulcast(value)
            }
            index += 2
        }
        return simulcast
    }

    static func listText(_ list: [[SDPSimulcastStream]]) -> String {
        list.map { alternatives in
            alternatives.map { ($0.paused ? "~" : "") + $0.rid }.joined(separator: ",")
        }.joined(separator: ";")
    }

    var attributeValue: String {
        var parts: [String] = []
        if let send { parts.append("send " + Self.listText(send)) }
        if let receive {
            let text = "recv " + Self.listText(receive)
            if receiveListedFirst { parts.insert(text, at: 0) } else { parts.append(text) }
        }
        return parts.joined(separator: " ")
    }
}
