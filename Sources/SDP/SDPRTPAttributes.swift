/// RFC 8866 §6.6: `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`.
public struct SDPRTPMap: Hashable, Sendable {
    public var payloadType: UInt8
    public var encodingName: String
    public var clockRate: UInt32
    /// For audio, the number of channels (RFC 8866 §6.6); nil when not written.
    public var encodingParameters: UInt16?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, encodingParameters: UInt16? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.encodingParameters = encodingParameters
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPRTPMap {
        let fields = SDPTextScanning.fields(value)
        guard fields.count == 2, let payloadType = SDPTextScanning.payloadType(fields[0]) else {
            throw .badRTPMap(value)
        }
        let parts = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), SDPTextScanning.isToken(parts[0]),
              let clockRate = SDPTextScanning.decimal(parts[1], as: UInt32.self), clockRate > 0 else {
            throw .badRTPMap(value)
        }
        var channels: UInt16?
        if parts.count == 3 {
            guard let parsed = SDPTextScanning.decimal(parts[2], as: UInt16.self) else { throw .badRTPMap(value) }
            channels = parsed
        }
        return SDPRTPMap(payloadType: payloadType, encodingName: String(parts[0]), clockRate: clockRate,
                         encodingParameters: channels)
    }

    var attributeValue: String {
        var text = "\(payloadType) \(encodingName)/\(clockRate)"
        if let encodingParameters { text += "/\(encodingParameters)" }
        return text
    }
}

/// One `name[=value]` item of an fmtp parameter list. Values without a name exist
/// (`a=fmtp:63 111/111` for RED, `a=fmtp:101 0-15` for telephone-event): name holds the text, value is nil.
public struct SDPFormatParameter: Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }
}

/// RFC 8866 §6.15: `a=fmtp:<format> <format specific parameters>`, here split on `;` into an
/// ordered list as the media type registrations (RFC 7587 opus, RFC 6184 H.264, RFC 4588 RTX) define.
public struct SDPFormatParameters: Hashable, Sendable {
    public var payloadType: UInt8
    public var parameters: [SDPFormatParameter]

    public init(payloadType: UInt8, parameters: [SDPFormatParameter]) {
        self.payloadType = payloadType
        self.parameters = parameters
    }

    public subscript(name: String) -> String? {
        parameters.first(where: { $0.name == name })?.value
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPFormatParameters {
        guard let space = value.firstIndex(of: " "),
              let payloadType = SDPTextScanning.payloadType(value[..<space]) else {
            throw .badFormatParameters(value)
        }
        var parameters: [SDPFormatParameter] = []
        for piece in value[value.index(after: space)...].split(separator: ";") {
            let item = SDPTextScanning.trimmed(piece)
            if item.isEmpty { continue }
            if let equals = item.firstIndex(of: "=") {
                let name = SDPTextScanning.trimmed(item[..<equals])
                guard !name.isEmpty else { throw .badFormatParameters(value) }
                parameters.append(SDPFormatParameter(
                    name: String(name), value: String(SDPTextScanning.trimmed(item[item.index(after: equals)...]))))
            } else {
                parameters.append(SDPFormatParameter(name: String(item)))
            }
        }
        guard !parameters.isEmpty else { throw .badFormatParameters(value) }
        return SDPFormatParameters(payloadType: payloadType, parameters: parameters)
    }

    var attributeValue: String {
        let list = parameters.map { item in item.value.map { "\(item.name)=\($0)" } ?? item.name }
        return "\(payloadType) " + list.joined(separator: ";")
    }
}

/// RFC 4585 §4.2: the payload type an `a=rtcp-fb` line applies to — one, or `*` for all.
public enum SDPRTCPFeedbackFormat: Hashable, Sendable {
    case all
    case payloadType(UInt8)

    public func applies(to payloadType: UInt8) -> Bool {
        switch self {
        case .all: true
        case .payloadType(let value): value == payloadType
        }
    }
}

/// RFC 4585 §4.2: `a=rtcp-fb:<pt|*> <type> [<parameter>]`, e.g. `nack pli`, `ccm fir`,
/// `transport-cc`, `goog-remb`, `trr-int 100`.
public struct SDPRTCPFeedback: Hashable, Sendable {
    public var format: SDPRTCPFeedbackFormat
    public var type: String
    /// Everything after the type, as written.
    public var parameter: String?

    public init(format: SDPRTCPFeedbackFormat, type: String, parameter: String? = nil) {
        self.format = format
        self.type = type
        self.parameter = parameter
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPRTCPFeedback {
        let fields = value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 2, SDPTextScanning.isToken(fields[1]) else { throw .badRTCPFeedback(value) }
        let format: SDPRTCPFeedbackFormat
        if fields[0] == "*" {
            format = .all
        } else if let payloadType = SDPTextScanning.payloadType(fields[0]) {
            format = .payloadType(payloadType)
        } else {
            throw .badRTCPFeedback(value)
        }
        var parameter: String?
        if fields.count == 3 {
            guard !fields[2].isEmpty else { throw .badRTCPFeedback(value) }
            parameter = String(fields[2])
        }
        return SDPRTCPFeedback(format: format, type: String(fields[1]), parameter: parameter)
    }

    var attributeValue: String {
        let formatText: String
        switch format {
        case .all: formatText = "*"
        case .payloadType(let value): formatText = String(value)
        }
        var text = "\(formatText) \(type)"
        if let parameter { text += " \(parameter)" }
        return text
    }
}

/// RFC 8285 §8: `a=extmap:<id>[/<direction>] <URI> [<extension attributes>]`.
public struct SDPExtensionMap: Hashable, Sendable {
    /// 1...14 for one-byte headers, up to 255 for two-byte headers, 4096...4351 for negotiation.
    public var id: UInt16
    public var direction: SDPDirection?
    public var uri: String
    public var extensionAttributes: String?

    public init(id: UInt16, direction: SDPDirection? = nil, uri: String, extensionAttributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.extensionAttributes = extensionAttributes
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPExtensionMap {
        let fields = value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 2, !fields[1].isEmpty else { throw .badExtensionMap(value) }
        let idParts = fields[0].split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(idParts.count), let id = SDPTextScanning.decimal(idParts[0], as: UInt16.self),
              (1...255).contains(id) || (4096...4351).contains(id) else {
            throw .badExtensionMap(value)
        }
        var direction: SDPDirection?
        if idParts.count == 2 {
            guard let parsed = SDPDirection(rawValue: String(idParts[1])) else { throw .badExtensionMap(value) }
            direction = parsed
        }
        var attributes: String?
        if fields.count == 3 {
            guard !fields[2].isEmpty else { throw .badExtensionMap(value) }
            attributes = String(fields[2])
        }
        return SDPExtensionMap(id: id, direction: direction, uri: String(fields[1]), extensionAttributes: attributes)
    }

    var attributeValue: String {
        var text = String(id)
        if let direction { text += "/\(direction.rawValue)" }
        text += " \(uri)"
        if let extensionAttributes { text += " \(extensionAttributes)" }
        return text
    }
}
