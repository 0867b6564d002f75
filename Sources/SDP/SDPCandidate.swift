/// RFC 8839 §5.1 `cand-type`.
public enum SDPCandidateType: Hashable, Sendable {
    case host
    case serverReflexive
    case peerReflexive
    case relayed
    /// A type token this code does not know; kept so the line round-trips.
    case other(String)

    public init(token: String) {
        switch token {
        case "host": self = .host
        case "srflx": self = .serverReflexive
        case "prflx": self = .peerReflexive
        case "relay": self = .relayed
        default: self = .other(token)
        }
    }

    public var token: String {
        switch self {
        case .host: "host"
        case .serverReflexive: "srflx"
        case .peerReflexive: "prflx"
        case .relayed: "relay"
        case .other(let token): token
        }
    }
}

/// RFC 6544 §4.5: the role of a TCP candidate.
public enum SDPCandidateTCPType: String, Hashable, Sendable, CaseIterable {
    case active, passive, so
}

/// One `extension-att-name extension-att-value` pair after the candidate type (RFC 8839 §5.1),
/// e.g. `tcptype active`, `generation 0`, `ufrag abcd`, `network-id 1`.
public struct SDPCandidateExtension: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// RFC 8839 §5.1 `a=candidate:`. Extensions stay in their original order so the line round-trips;
/// `tcpType`, `generation` and `usernameFragment` read the well-known ones.
public struct SDPCandidate: Hashable, Sendable {
    public var foundation: String
    public var componentID: UInt16
    /// As written: `udp`/`UDP`/`tcp`. Compare case-insensitively.
    public var transport: String
    public var priority: UInt32
    /// IPv4, IPv6 or an FQDN such as an mDNS `.local` name.
    public var address: String
    public var port: UInt16
    public var type: SDPCandidateType
    public var relatedAddress: String?
    public var relatedPort: UInt16?
    public var extensions: [SDPCandidateExtension]

    public init(
        foundation: String, componentID: UInt16, transport: String, priority: UInt32,
        address: String, port: UInt16, type: SDPCandidateType,
        relatedAddress: String? = nil, relatedPort: UInt16? = nil,
        extensions: [SDPCandidateExtension] = []
    ) {
        self.foundation = foundation
        self.componentID = componentID
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.extensions = extensions
    }

    public func extensionValue(_ name: String) -> String? {
        extensions.first(where: { $0.name == name })?.value
    }

    /// RFC 6544 §4.5 `tcptype`; nil for UDP candidates.
    public var tcpType: SDPCandidateTCPType? {
        extensionValue("tcptype").flatMap(SDPCandidateTCPType.init(rawValue:))
    }

    /// libwebrtc's `generation` extension (ICE restart counter).
    public var generation: UInt32? {
        extensionValue("generation").flatMap { SDPTextScanning.decimal($0, as: UInt32.self) }
    }

    /// The `ufrag` extension trickled candidates carry to name their ICE generation.
    public var usernameFragment: String? { extensionValue("ufrag") }

    public var isUDP: Bool { transport.lowercased() == "udp" }

    /// Parses the value after `candidate:` — also the form trickled over signalling
    /// (`candidate:` prefix accepted there too).
    public static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPCandidate {
        var text = Substring(value)
        if text.hasPrefix("candidate:") { text = text.dropFirst("candidate:".count) }
        let fields = SDPTextScanning.fields(text)
        // foundation component transport priority address port "typ" type
        guard fields.count >= 8 else { throw .badCandidate(.tooFewFields(fields.count)) }
        // RFC 8839 §5.1: foundation = 1*32 ice-char; ice-char = ALPHA / DIGIT / "+" / "/".
        let foundation = fields[0]
        guard (1...32).contains(foundation.utf8.count), foundation.utf8.allSatisfy(Self.isICEChar) else {
            throw .badCandidate(.badFoundation(String(foundation)))
        }
        // component-id = 1*3 DIGIT, 1...256 (RFC 8445 §5.1.1.1).
        guard fields[1].utf8.count <= 3, let component = SDPTextScanning.decimal(fields[1], as: UInt16.self),
              (1...256).contains(component) else {
            throw .badCandidate(.badComponentID(String(fields[1])))
        }
        guard SDPTextScanning.isToken(fields[2]) else { throw .badCandidate(.badTransport(String(fields[2]))) }
        // priority = 1*10 DIGIT, a 32-bit value (RFC 8445 §5.1.2).
        guard let priority = SDPTextScanning.decimal(fields[3], as: UInt32.self) else {
            throw .badCandidate(.badPriority(String(fields[3])))
        }
        guard Self.isAddress(fields[4]) else { throw .badCandidate(.badAddress(String(fields[4]))) }
        guard let port = SDPTextScanning.decimal(fields[5], as: UInt16.self) else {
            throw .badCandidate(.badPort(String(fields[5])))
        }
        guard fields[6] == "typ", SDPTextScanning.isToken(fields[7]) else { throw .badCandidate(.missingType) }
        var candidate = SDPCandidate(
            foundation: String(foundation), componentID: component, transport: String(fields[2]),
            priority: priority, address: String(fields[4]), port: port, type: SDPCandidateType(token: String(fields[7])))
        var index = 8
        // rel-addr = "raddr" SP connection-address; rel-port = "rport" SP port — in that order.
        if index < fields.count, fields[index] == "raddr" {
            guard index + 1 < fields.count, Self.isAddress(fields[index + 1]) else { throw .badCandidate(.badRelatedAddress) }
            candidate.relatedAddress = String(fields[index + 1])
            index += 2
        }
        if index < fields.count, fields[index] == "rport" {
            guard index + 1 < fields.count, let relatedPort = SDPTextScanning.decimal(fields[index + 1], as: UInt16.self) else {
                throw .badCandidate(.badRelatedPort(index + 1 < fields.count ? String(fields[index + 1]) : ""))
            }
            candidate.relatedPort = relatedPort
            index += 2
        }
        // *(SP extension-att-name SP extension-att-value)
        while index < fields.count {
            let name = fields[index]
            guard index + 1 < fields.count, SDPTextScanning.isToken(name), !fields[index + 1].isEmpty else {
                throw .badCandidate(.unpairedExtension(String(name)))
            }
            let value = fields[index + 1]
            if name == "tcptype", SDPCandidateTCPType(rawValue: String(value)) == nil {
                throw .badCandidate(.badTCPType(String(value)))
            }
            candidate.extensions.append(SDPCandidateExtension(name: String(name), value: String(value)))
            index += 2
        }
        return candidate
    }

    /// The attribute value, without the `candidate:` prefix.
    public var attributeValue: String {
        var text = "\(foundation) \(componentID) \(transport) \(priority) \(address) \(port) typ \(type.token)"
        if let relatedAddress { text += " raddr \(relatedAddress)" }
        if let relatedPort { text += " rport \(relatedPort)" }
        for item in extensions { text += " \(item.name) \(item.value)" }
        return text
    }

    static func isICEChar(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            || byte == 0x2B || byte == 0x2F
    }

    /// Loose check: an IPv4/IPv6 literal or a host name — visible ASCII, no spaces.
    static func isAddress(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 255 && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
