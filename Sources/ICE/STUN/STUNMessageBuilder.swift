/// Ready-made ICE Binding messages (RFC 8445 §7.1, §7.3; RFC 8489 §6). Each writes into a
/// caller-provided buffer and returns the number of bytes written, or returns a `[UInt8]`.
/// With a key, MESSAGE-INTEGRITY is added; with `fingerprint`, FINGERPRINT (RFC 8445 §7.2.2
/// requires both on connectivity checks).
public enum STUNMessageBuilder {
    /// RFC 8445 §7.1: a connectivity check. `username` is "remoteUfrag:localUfrag" and `key`
    /// the remote agent's password.
    public static func bindingRequest(
        into buffer: UnsafeMutableRawBufferPointer, transactionID: STUNTransactionID,
        username: String, key: [UInt8]?, priority: UInt32, role: STUNICERole,
        useCandidate: Bool = false, software: String? = nil, fingerprint: Bool = true
    ) throws(STUNBuildError) -> Int {
        var writer = try STUNMessageWriter(into: buffer, type: .bindingRequest, transactionID: transactionID)
        if let software { try writer.appendSoftware(software) }
        try writer.appendUsername(username)
        try writer.appendPriority(priority)
        try writer.appendRole(role)
        if useCandidate { try writer.appendUseCandidate() }
        return try finish(&writer, key: key, fingerprint: fingerprint)
    }

    /// RFC 8445 §7.3.1.2 / RFC 8489 §6.3.1: success response carrying the request's source
    /// address in XOR-MAPPED-ADDRESS, signed with the local password.
    public static func bindingSuccessResponse(
        into buffer: UnsafeMutableRawBufferPointer, transactionID: STUNTransactionID,
        mappedAddress: STUNTransportAddress, key: [UInt8]?, software: String? = nil, fingerprint: Bool = true
    ) throws(STUNBuildError) -> Int {
        var writer = try STUNMessageWriter(into: buffer, type: .bindingSuccessResponse, transactionID: transactionID)
        if let software { try writer.appendSoftware(software) }
        try writer.appendXORMappedAddress(mappedAddress)
        return try finish(&writer, key: key, fingerprint: fingerprint)
    }

    /// RFC 8489 §6.3.1.1: error response. For 420, pass the types from
    /// `STUNMessage.unknownComprehensionRequired` as `unknownAttributes`. 400 and 401 are
    /// sent without a key (RFC 8489 §9.1.3).
    public static func bindingErrorResponse(
        into buffer: UnsafeMutableRawBufferPointer, transactionID: STUNTransactionID,
        errorCode: Int, reason: String, unknownAttributes: some Collection<STUNAttributeType> = [STUNAttributeType](),
        key: [UInt8]?, software: String? = nil, fingerprint: Bool = true
    ) throws(STUNBuildError) -> Int {
        var writer = try STUNMessageWriter(into: buffer, type: .bindingErrorResponse, transactionID: transactionID)
        if let software { try writer.appendSoftware(software) }
        try writer.appendErrorCode(errorCode, reason: reason)
        if !unknownAttributes.isEmpty { try writer.appendUnknownAttributes(unknownAttributes) }
        return try finish(&writer, key: key, fingerprint: fingerprint)
    }

    /// RFC 8445 §11: a Binding indication used as a consent/keepalive; no authentication.
    public static func bindingIndication(
        into buffer: UnsafeMutableRawBufferPointer, transactionID: STUNTransactionID, fingerprint: Bool = true
    ) throws(STUNBuildError) -> Int {
        var writer = try STUNMessageWriter(into: buffer, type: .bindingIndication, transactionID: transactionID)
        return try finish(&writer, key: nil, fingerprint: fingerprint)
    }

    private static func finish(
        _ writer: inout STUNMessageWriter, key: [UInt8]?, fingerprint: Bool
    ) throws(STUNBuildError) -> Int {
        if let key { try writer.appendMessageIntegrity(key: key) }
        if fingerprint { try writer.appendFingerprint() }
        return writer.count
    }

    // MARK: [UInt8] conveniences

    private static func size(ofText text: String?) -> Int {
        text.map { STUNMessageWriter.encodedSize(valueLength: $0.utf8.count) } ?? 0
    }

    /// Room for MESSAGE-INTEGRITY (24) and FINGERPRINT (8).
    private static let trailerSize = 24 + 8

    /// Builds into a fresh array of `capacity` bytes, trimmed to what was written.
    private static func makeArray(
        capacity: Int, _ body: (UnsafeMutableRawBufferPointer) throws(STUNBuildError) -> Int
    ) throws(STUNBuildError) -> [UInt8] {
        var failure: STUNBuildError?
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { storage, initialized in
            do throws(STUNBuildError) {
                initialized = try body(UnsafeMutableRawBufferPointer(storage))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    public static func bindingRequest(
        transactionID: STUNTransactionID, username: String, key: [UInt8]?, priority: UInt32, role: STUNICERole,
        useCandidate: Bool = false, software: String? = nil, fingerprint: Bool = true
    ) throws(STUNBuildError) -> [UInt8] {
        // Header, SOFTWARE, USERNAME, PRIORITY (8), role (12), USE-CANDIDATE (4), trailer.
        let capacity = STUNMessage.headerLength + size(ofText: software) + size(ofText: username) + 8 + 12 + 4 + trailerSize
        return try makeArray(capacity: capacity) { buffer throws(STUNBuildError) in
            try bindingRequest(
                into: buffer, transactionID: transactionID, username: username, key: key, priority: priority,
                role: role, useCandidate: useCandidate, software: software, fingerprint: fingerprint)
        }
    }

    public static func bindingSuccessResponse(
        transactionID: STUNTransactionID, mappedAddress: STUNTransportAddress, key: [UInt8]?,
        software: String? = nil, fingerprint: Bool = true
    ) throws(STUNBuildError) -> [UInt8] {
        // Header, SOFTWARE, XOR-MAPPED-ADDRESS (at most 24), trailer.
        let capacity = STUNMessage.headerLength + size(ofText: software) + 24 + trailerSize
        return try makeArray(capacity: capacity) { buffer throws(STUNBuildError) in
            try bindingSuccessResponse(
                into: buffer, transactionID: transactionID, mappedAddress: mappedAddress, key: key,
                software: software, fingerprint: fingerprint)
        }
    }

    public static func bindingErrorResponse(
        transactionID: STUNTransactionID, errorCode: Int, reason: String,
        unknownAttributes: some Collection<STUNAttributeType> = [STUNAttributeType](), key: [UInt8]?,
        software: String? = nil, fingerprint: Bool = true
    ) throws(STUNBuildError) -> [UInt8] {
        // Header, SOFTWARE, ERROR-CODE, UNKNOWN-ATTRIBUTES, trailer.
        let capacity = STUNMessage.headerLength + size(ofText: software)
            + STUNMessageWriter.encodedSize(valueLength: 4 + reason.utf8.count)
            + STUNMessageWriter.encodedSize(valueLength: 2 * unknownAttributes.count) + trailerSize
        return try makeArray(capacity: capacity) { buffer throws(STUNBuildError) in
            try bindingErrorResponse(
                into: buffer, transactionID: transactionID, errorCode: errorCode, reason: reason,
                unknownAttributes: unknownAttributes, key: key, software: software, fingerprint: fingerprint)
        }
    }

    public static func bindingIndication(
        transactionID: STUNTransactionID, fingerprint: Bool = true
    ) throws(STUNBuildError) -> [UInt8] {
        try makeArray(capacity: STUNMessage.headerLength + 8) { buffer throws(STUNBuildError) in
            try bindingIndication(into: buffer, transactionID: transactionID, fingerprint: fingerprint)
        }
    }
}
