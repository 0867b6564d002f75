/// RFC 8866 §5.2: `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`.
public struct SDPOrigin: Hashable, Sendable {
    public var username: String
    public var sessionID: UInt64
    /// RFC 3264 §5: bumped by one on every new offer or answer of the session.
    public var sessionVersion: UInt64
    public var networkType: String
    public var addressType: String
    public var unicastAddress: String

    public init(username: String = "-", sessionID: UInt64, sessionVersion: UInt64,
                networkType: String = "IN", addressType: String = "IP4", unicastAddress: String = "127.0.0.1") {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.unicastAddress = unicastAddress
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPOrigin {
        let fields = SDPTextScanning.fields(value)
        guard fields.count == 6, !fields[0].isEmpty,
              let sessionID = SDPTextScanning.decimal(fields[1], as: UInt64.self),
              let version = SDPTextScanning.decimal(fields[2], as: UInt64.self),
              SDPTextScanning.isToken(fields[3]), SDPTextScanning.isToken(fields[4]), !fields[5].isEmpty else {
            throw .badOrigin(value)
        }
        return SDPOrigin(username: String(fields[0]), sessionID: sessionID, sessionVersion: version,
                         networkType: String(fields[3]), addressType: String(fields[4]), unicastAddress: String(fields[5]))
    }

    var lineValue: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(unicastAddress)"
    }
}

/// RFC 8866 §5.7: `c=<nettype> <addrtype> <connection-address>`; JSEP puts the default
/// candidate's address here (RFC 8829 §5.2.1).
public struct SDPConnection: Hashable, Sendable {
    public var networkType: String
    public var addressType: String
    /// As written, including any multicast `/ttl/count` suffix.
    public var address: String

    public init(networkType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0") {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPConnection {
        let fields = SDPTextScanning.fields(value)
        guard fields.count == 3, SDPTextScanning.isToken(fields[0]), SDPTextScanning.isToken(fields[1]),
              !fields[2].isEmpty else {
            throw .badConnection(value)
        }
        return SDPConnection(networkType: String(fields[0]), addressType: String(fields[1]), address: String(fields[2]))
    }

    var lineValue: String { "\(networkType) \(addressType) \(address)" }
}

/// RFC 8866 §5.8: `b=<bwtype>:<bandwidth>`, e.g. `AS` kbit/s or `TIAS` bit/s (RFC 3890).
public struct SDPBandwidth: Hashable, Sendable {
    public var type: String
    public var value: UInt64

    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    static func parse(_ text: String) throws(SDPParseErrorReason) -> SDPBandwidth {
        guard let colon = text.firstIndex(of: ":"), SDPTextScanning.isToken(text[..<colon]),
              let value = SDPTextScanning.decimal(text[text.index(after: colon)...], as: UInt64.self) else {
            throw .badBandwidth(text)
        }
        return SDPBandwidth(type: String(text[..<colon]), value: value)
    }

    var lineValue: String { "\(type):\(value)" }
}

/// RFC 8866 §5.9 / §5.10: `t=<start> <stop>` with its `r=` repeat lines (kept verbatim).
/// JSEP always writes `t=0 0` (RFC 8829 §5.2.1).
public struct SDPTiming: Hashable, Sendable {
    public var start: UInt64
    public var stop: UInt64
    public var repeats: [String]

    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPTiming {
        let fields = SDPTextScanning.fields(value)
        guard fields.count == 2, let start = SDPTextScanning.decimal(fields[0], as: UInt64.self),
              let stop = SDPTextScanning.decimal(fields[1], as: UInt64.self) else {
            throw .badTiming(value)
        }
        return SDPTiming(start: start, stop: stop)
    }
}

/// RFC 8866 §5.14 `<media>`.
public enum SDPMediaKind: Hashable, Sendable {
    case audio, video, application, text, message
    case other(String)

    public init(token: String) {
        switch token {
        case "audio": self = .audio
        case "video": self = .video
        case "application": self = .application
        case "text": self = .text
        case "message": self = .message
        default: self = .other(token)
        }
    }

    public var token: String {
        switch self {
        case .audio: "audio"
        case .video: "video"
        case .application: "application"
        case .text: "text"
        case .message: "message"
        case .other(let token): token
        }
    }
}
