/// RFC 8866 §6.7: media direction attributes. RFC 3264 §5.1 makes `sendrecv` the default.
public enum SDPDirection: String, Hashable, Sendable, CaseIterable {
    case sendrecv, sendonly, recvonly, inactive
}

/// RFC 4145 §4 / RFC 8842 §5.1: which side opens the DTLS connection.
public enum SDPSetupRole: String, Hashable, Sendable, CaseIterable {
    case actpass, active, passive, holdconn

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPSetupRole {
        guard let role = SDPSetupRole(rawValue: value) else { throw .unknownSetupRole(value) }
        return role
    }
}

/// RFC 8122 §5: `a=fingerprint:<hash-func> <hex pairs separated by ':'>` — the certificate
/// digest the DTLS handshake must match.
public struct SDPFingerprint: Hashable, Sendable {
    /// As written (`sha-256`); compare case-insensitively (RFC 8122 §5).
    public var hashFunction: String
    public var digest: [UInt8]

    public init(hashFunction: String, digest: [UInt8]) {
        self.hashFunction = hashFunction
        self.digest = digest
    }

    /// Digest sizes of the hash functions RFC 8122 §5 names; others are accepted at any length.
    static func expectedLength(of hashFunction: String) -> Int? {
        switch hashFunction.lowercased() {
        case "sha-1": 20
        case "sha-224": 28
        case "sha-256": 32
        case "sha-384": 48
        case "sha-512": 64
        case "md5", "md2": 16
        default: nil
        }
    }

    public static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPFingerprint {
        let fields = SDPTextScanning.fields(value)
        guard fields.count == 2, SDPTextScanning.isToken(fields[0]) else {
            throw .badFingerprint(.missingHashFunction)
        }
        var digest: [UInt8] = []
        for pair in fields[1].split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.utf8.count == 2, pair.utf8.allSatisfy(\.sdpIsHexDigit), let byte = UInt8(pair, radix: 16) else {
                throw .badFingerprint(.badHexPair(String(pair)))
            }
            digest.append(byte)
        }
        let hashFunction = String(fields[0])
        if let expected = expectedLength(of: hashFunction), expected != digest.count {
            throw .badFingerprint(.wrongLength(hashFunction: hashFunction, expected: expected, actual: digest.count))
        }
        return SDPFingerprint(hashFunction: hashFunction, digest: digest)
    }

    /// RFC 8122 §5 writes the digest as upper-case hex (UHEX).
    public var attributeValue: String {
        let hexDigits: [Character] = Array("0123456789ABCDEF")
        var hex = ""
        for (index, byte) in digest.enumerated() {
            if index > 0 { hex.append(":") }
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return hashFunction + " " + hex
    }
}

/// RFC 5888 §5: `a=group:<semantics> <mid> ...`, e.g. BUNDLE (RFC 9143) or LS.
public struct SDPGroup: Hashable, Sendable {
    public var semantics: String
    public var mids: [String]

    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPGroup {
        let fields = SDPTextScanning.fields(value)
        guard let first = fields.first, SDPTextScanning.isToken(first) else { throw .badGroup(value) }
        var mids: [String] = []
        for field in fields.dropFirst() {
            guard SDPTextScanning.isToken(field) else { throw .badGroup(value) }
            mids.append(String(field))
        }
        return SDPGroup(semantics: String(first), mids: mids)
    }

    var attributeValue: String { ([semantics] + mids).joined(separator: " ") }
}

/// `a=msid-semantic:` from the pre-RFC 8830 drafts, still sent by libwebrtc as
/// `a=msid-semantic: WMS <stream ids>` (note the space) and by Firefox as `a=msid-semantic:WMS *`.
public struct SDPMediaStreamSemantic: Hashable, Sendable {
    public var semantic: String
    public var streamIDs: [String]
    /// libwebrtc writes a space after the colon; kept so the line round-trips.
    public var spaceAfterColon: Bool

    public init(semantic: String, streamIDs: [String], spaceAfterColon: Bool = false) {
        self.semantic = semantic
        self.streamIDs = streamIDs
        self.spaceAfterColon = spaceAfterColon
    }

    static func parse(_ value: String) throws(SDPParseErrorReason) -> SDPMediaStreamSemantic {
        var text = Substring(value)
        let spaced = text.first == " "
        if spaced { text = text.dropFirst() }
        let fields = SDPTextScanning.fields(text)
        guard let first = fields.first, SDPTextScanning.isToken(first) else {
            throw .badMediaStreamSemantic(value)
        }
        var ids: [String] = []
        for field in fields.dropFirst() {
            guard !field.isEmpty else { throw .badMediaStreamSemantic(value) }
            ids.append(String(field))
        }
        return SDPMediaStreamSemantic(semantic: String(first), streamIDs: ids, spaceAfterColon: spaced)
    }

    var attributeValue: String {
        (spaceAfterColon ? " " : "") + ([semantic] + streamIDs).joined(separator: " ")
    }
}

extension UInt8 {
    var sdpIsHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
