// libFuzzer target: STUN (RFC 8489 §5, §14) and the ICE-lite Binding handling (RFC 8445 §7.3).
// 1. `STUNMessage(parsing:)` on the raw input, then everything a caller reads from it:
//    attribute cursor, USERNAME fragments and strings, MESSAGE-INTEGRITY and FINGERPRINT checks.
// 2. A copy of the input whose MESSAGE-INTEGRITY and FINGERPRINT are recomputed (so random
//    mutations get past the checksums and reach the later steps) goes to
//    `ICELiteAgent.handleBindingRequest`; a response it writes must itself parse and verify.
// Built with the ICE module sources (links OpenSSL for HMAC-SHA1).

private let localUsernameFragment = "LFRG"
private let localPassword = "localPasswordOf24Chars00"
private let localKey = Array(localPassword.utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let message = try? STUNMessage(parsing: bytes) else {
        _ = ICELiteAgent.localUsernameFragment(of: bytes)
        return 0
    }
    readEverything(message, in: bytes)

    var copy = Array(bytes)
    copy.withUnsafeMutableBytes { packet in
        resign(message, packet)
        let request = UnsafeRawBufferPointer(packet)
        let remote = size > 8 && data[8] & 1 == 1 ? ICECredentials(usernameFragment: "RFRG", password: "remotePasswordOf24Chars0") : nil
        let agent = ICELiteAgent(local: ICECredentials(usernameFragment: localUsernameFragment, password: localPassword), remote: remote)
        let source = STUNTransportAddress(ipv4: 0xC000_0201, port: 50_000)
        // A short response buffer now and then exercises the builder's length checks.
        let responseSize = size > 9 && data[9] & 0x0F == 0 ? Int(data[9] >> 4) * 8 : 1500
        var response = [UInt8](repeating: 0, count: responseSize)
        let outcome = response.withUnsafeMutableBytes { output in
            agent.handleBindingRequest(request, from: source, now: .now, response: output)
        }
        switch outcome {
        case let .respond(length, _), let .respondWithError(length):
            fuzzCheck(length > 0 && length <= responseSize, "response length \(length)")
            response.withUnsafeBytes { written in
                let answer = UnsafeRawBufferPointer(rebasing: written[0..<length])
                guard let parsed = try? STUNMessage(parsing: answer) else {
                    fuzzCheck(false, "our own response does not parse")
                    return
                }
                fuzzCheck(parsed.transactionID == message.transactionID, "response transaction id")
                fuzzCheck(parsed.verifyFingerprint(in: answer), "response fingerprint")
                if parsed.messageIntegrityOffset != nil {
                    fuzzCheck(parsed.verifyMessageIntegrity(key: localKey, in: answer), "response integrity")
                }
                if case .respond = outcome {
                    fuzzCheck(parsed.xorMappedAddress == source, "XOR-MAPPED-ADDRESS is not the source")
                }
            }
        case .drop:
            break
        }
    }
    return 0
}

private func readEverything(_ message: STUNMessage, in bytes: UnsafeRawBufferPointer) {
    let size = bytes.count
    fuzzCheck(message.length + STUNMessage.headerLength <= size, "length field beyond buffer")
    if let username = message.username { fuzzCheck(fuzzInside(username, size), "USERNAME range") }
    if let software = message.software { fuzzCheck(fuzzInside(software, size), "SOFTWARE range") }
    if let unknown = message.unknownAttributes { fuzzCheck(fuzzInside(unknown, size), "UNKNOWN-ATTRIBUTES range") }
    if let at = message.messageIntegrityOffset { fuzzCheck(at >= STUNMessage.headerLength && at + 24 <= size, "MESSAGE-INTEGRITY offset") }
    if let at = message.fingerprintOffset { fuzzCheck(at >= STUNMessage.headerLength && at + 8 <= size, "FINGERPRINT offset") }
    var cursor = message.attributeCursor()
    var attributes = 0
    while let attribute = try? cursor.next(in: bytes) {
        attributes += 1
        fuzzCheck(fuzzInside(attribute.value, size), "attribute value range")
        fuzzCheck(attributes <= STUNAttributeCursor.maximumAttributeCount, "attribute count")
    }
    if let fragments = message.usernameFragments(in: bytes) {
        fuzzCheck(fuzzInside(fragments.local, size) && fuzzInside(fragments.remote, size), "ufrag ranges")
        _ = STUNMessage.bytes(fragments.local, in: bytes, equal: localUsernameFragment)
    }
    _ = message.usernameString(in: bytes)
    _ = message.softwareString(in: bytes)
    _ = message.verifyMessageIntegrity(key: localKey, in: bytes)
    _ = message.verifyMessageIntegrity(key: [UInt8](), in: bytes)
    _ = message.verifyFingerprint(in: bytes)
    _ = ICELiteAgent.localUsernameFragment(of: bytes)
}

/// Rewrites MESSAGE-INTEGRITY (RFC 8489 §14.5, keyed with the local password) and then
/// FINGERPRINT (§14.7) to the values a genuine peer would send.
private func resign(_ message: STUNMessage, _ packet: UnsafeMutableRawBufferPointer) {
    let bytes = UnsafeRawBufferPointer(packet)
    if let at = message.messageIntegrityOffset, at >= STUNMessage.headerLength, at + 24 <= packet.count {
        let covered = at + 24 - STUNMessage.headerLength
        var header = Array(UnsafeRawBufferPointer(rebasing: bytes[0..<STUNMessage.headerLength]))
        header[2] = UInt8(truncatingIfNeeded: covered >> 8)
        header[3] = UInt8(truncatingIfNeeded: covered)
        var mac = [UInt8](repeating: 0, count: 20)
        let ok = localKey.withUnsafeBytes { key in
            header.withUnsafeBytes { first in
                mac.withUnsafeMutableBytes { output in
                    STUNHMACSHA1.authenticate(
                        key: key, first: first,
                        second: UnsafeRawBufferPointer(rebasing: bytes[STUNMessage.headerLength..<at]), into: output)
                }
            }
        }
        if ok { for index in 0..<20 { packet[at + 4 + index] = mac[index] } }
    }
    if let at = message.fingerprintOffset, at >= STUNMessage.headerLength, at + 8 <= packet.count {
        let crc = STUNCRC32.fingerprint(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(packet)[0..<at]))
        packet.storeBytes(of: crc.bigEndian, toByteOffset: at + 4, as: UInt32.self)
    }
}
