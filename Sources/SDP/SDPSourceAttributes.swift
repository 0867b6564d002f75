/// RFC 5576 §4.1: `a=ssrc:<ssrc-id> <attribute>[:<value>]`, e.g. `cname:...`, `msid:<stream> <track>`.
public struct SDPSourceAttribute: Hashable, Sendable {
    public var ssrc: UInt32
    public var attribute: String
    public var value: String?

    public init(ssrc: UInt32, attribute: String, value: String? = nil) {
        self.ssrc = ssrc
        self.attribute = attribute
        self.value = value
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPSourceAttribute {
        guard let space = value.firstIndex(of: " "),
              let ssrc = SDPTextScanning.decimal(value[..<space], as: UInt32.self) else {
            throw .badSourceAttribute(value)
        }
        let rest = value[value.index(after: space)...]
        let name: Substring
        var attributeValue: String?
        if let colon = rest.firstIndex(of: ":") {
            name = rest[..<colon]
            attributeValue = String(rest[rest.index(after: colon)...])
        } else {
            name = rest
        }
        guard SDPTextScanning.isToken(name) else { throw .badSourceAttribute(value) }
        return SDPSourceAttribute(ssrc: ssrc, attribute: String(name), value: attributeValue)
    }

    var attributeValue: String {
        var text = "\(ssrc) \(attribute)"
        if let value { text += ":\(value)" }
        return text
    }
}

/// RFC 5576 §4.2: `a=ssrc-group:<semantics> <ssrc-id> ...` — FID pairs a media SSRC with its
/// RTX SSRC (RFC 4588 §8), SIM lists simulcast SSRCs (libwebrtc).
public struct SDPSourceGroup: Hashable, Sendable {
    public var semantics: String
    public var ssrcs: [UInt32]

    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPSourceGroup {
        let fields = SDPTextScanning.fields(value)
        guard fields.count >= 2, SDPTextScanning.isToken(fields[0]) else { throw .badSourceGroup(value) }
        var ssrcs: [UInt32] = []
        for field in fields.dropFirst() {
            guard let ssrc = SDPTextScanning.decimal(field, as: UInt32.self) else { throw .badSourceGroup(value) }
            ssrcs.append(ssrc)
        }
        return SDPSourceGroup(semantics: String(fields[0]), ssrcs: ssrcs)
    }

    var attributeValue: String { ([semantics] + ssrcs.map(String.init)).joined(separator: " ") }
}

/// RFC 8830 §2: `a=msid:<stream id> [<track id>]` — which MediaStream the track belongs to.
public struct SDPMediaStreamID: Hashable, Sendable {
    public var streamID: String
    /// RFC 8830 "msid-appdata"; libwebrtc puts the track id here.
    public var trackID: String?

    public init(streamID: String, trackID: String? = nil) {
        self.streamID = streamID
        self.trackID = trackID
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPMediaStreamID {
        let fields = SDPTextScanning.fields(value)
        guard (1...2).contains(fields.count), fields.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
            throw .badMediaStreamID(value)
        }
        return SDPMediaStreamID(streamID: String(fields[0]), trackID: fields.count == 2 ? String(fields[1]) : nil)
    }

    var attributeValue: String { trackID.map { "\(streamID) \($0)" } ?? streamID }
}
