/// A session description that could not be parsed, with the 1-based line where it went wrong
/// (0 when the whole input was refused before any line was read).
public struct SDPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: SDPParseErrorReason

    public init(line: Int, reason: SDPParseErrorReason) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "SDP line \(line): \(reason)" }
}

/// What was wrong with a line. String payloads carry the offending text (the attribute value,
/// or the field) so a log line says exactly what the peer sent.
public enum SDPParseErrorReason: Error, Hashable, Sendable {
    // Caps against hostile input from the network.
    case inputTooLarge(bytes: Int, limit: Int)
    case tooManyLines(limit: Int)
    case lineTooLong(length: Int, limit: Int)
    case tooManyMediaSections(limit: Int)
    case tooManyAttributes(limit: Int)

    // RFC 8866 §5 line structure.
    case invalidCharacter(UInt8)
    case emptyLine
    case malformedLine
    case unknownLineType(Character)
    case missingVersion
    case unsupportedVersion(String)
    case missingLine(Character)
    case duplicateLine(Character)
    case lineOutOfPlace(Character)

    // Session and media level lines.
    case badOrigin(String)
    case badConnection(String)
    case badBandwidth(String)
    case badTiming(String)
    case badMediaLine(SDPMediaLineDefect)

    // Attributes.
    case badAttributeName(String)
    case emptyAttributeValue(String)
    case badRTPMap(String)
    case badFormatParameters(String)
    case badRTCPFeedback(String)
    case badExtensionMap(String)
    case badCandidate(SDPCandidateDefect)
    case unknownSetupRole(String)
    case badFingerprint(SDPFingerprintDefect)
    case badSourceAttribute(String)
    case badSourceGroup(String)
    case badMediaStreamID(String)
    case badGroup(String)
    case badMediaStreamSemantic(String)
    case badRID(String)
    case badSimulcast(String)
    case badSCTPPort(String)
    case badMaxMessageSize(String)
}

/// RFC 8866 §5.14: what was wrong with an `m=` line.
public enum SDPMediaLineDefect: Hashable, Sendable {
    case tooFewFields(Int)
    case badMediaKind(String)
    case badPort(String)
    case badNumberOfPorts(String)
    case badProtocol(String)
    /// An empty format (doubled space) or one with control characters.
    case badFormat(String)
    /// RTP profiles need payload types 0...127 as formats (RFC 3551 §3).
    case badPayloadType(String)
}

/// RFC 8839 §5.1: what was wrong with a `candidate` attribute.
public enum SDPCandidateDefect: Hashable, Sendable {
    case tooFewFields(Int)
    case badFoundation(String)
    case badComponentID(String)
    case badTransport(String)
    case badPriority(String)
    case badAddress(String)
    case badPort(String)
    case missingType
    case badRelatedAddress
    case badRelatedPort(String)
    case unpairedExtension(String)
    case badTCPType(String)
}

/// RFC 8122 §5: what was wrong with a `fingerprint` attribute.
public enum SDPFingerprintDefect: Hashable, Sendable {
    case missingHashFunction
    case badHexPair(String)
    /// The digest length does not match the named hash function.
    case wrongLength(hashFunction: String, expected: Int, actual: Int)
}
