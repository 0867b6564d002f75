extension SessionDescription {
    /// Parses a session description received from a peer. Accepts CRLF or bare LF line endings
    /// (RFC 8866 §5 asks parsers to), keeps unknown attributes verbatim, and refuses input over
    /// the default `SDPParseLimits`.
    public static func parse(_ text: String) throws(SDPParseError) -> SessionDescription {
        try parse(text, limits: .default)
    }

    public static func parse(_ text: String, limits: SDPParseLimits) throws(SDPParseError) -> SessionDescription {
        var parser = SDPTextParser(limits: limits)
        return try parser.parse(text)
    }
}

/// The line loop behind `SessionDescription.parse`: splits lines, enforces the caps, and keeps
/// track of whether it is at session or media level (RFC 8866 §5).
struct SDPTextParser {
    let limits: SDPParseLimits
    var lineNumber = 0
    var description = SessionDescription(origin: SDPOrigin(sessionID: 0, sessionVersion: 0), timings: [])
    var seen: Set<Character> = []

    init(limits: SDPParseLimits) {
        self.limits = limits
    }

    mutating func parse(_ text: String) throws(SDPParseError) -> SessionDescription {
        let byteCount = text.utf8.count
        guard byteCount <= limits.maxBytes else {
            throw SDPParseError(line: 0, reason: .inputTooLarge(bytes: byteCount, limit: limits.maxBytes))
        }
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            // RFC 8866 §5: lines end in CRLF, but a bare LF must be accepted too.
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lineNumber += 1
            guard lineNumber <= limits.maxLines else { throw failure(.tooManyLines(limit: limits.maxLines)) }
            guard end - start <= limits.maxLineLength else {
                throw failure(.lineTooLong(length: end - start, limit: limits.maxLineLength))
            }
            if end == start {
                // Blank lines are only tolerated as trailing padding.
                if bytes[start...].allSatisfy({ $0 == 0x0D || $0 == 0x0A }) { lineNumber -= 1; break }
                throw failure(.emptyLine)
            }
            try parseLine(bytes[start..<end])
            start = next
        }
        return try finish()
    }

    private func failure(_ reason: SDPParseErrorReason) -> SDPParseError {
        SDPParseError(line: lineNumber, reason: reason)
    }

    private mutating func parseLine(_ line: ArraySlice<UInt8>) throws(SDPParseError) {
        // RFC 8866 §9: text is any byte but NUL, CR and LF; other controls are refused too.
        if let bad = line.first(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            throw failure(.invalidCharacter(bad))
        }
        // RFC 8866 §5: <type>=<value>, type a single lower-case letter.
        guard line.count >= 2, let typeByte = line.first, (0x61...0x7A).contains(typeByte),
              line[line.startIndex + 1] == 0x3D else {
            throw failure(lineNumber == 1 ? .missingVersion : .malformedLine)
        }
        let type = Character(Unicode.Scalar(typeByte))
        let value = String(decoding: line.dropFirst(2), as: UTF8.self)
        do {
            try dispatch(type, value)
        } catch {
            throw failure(error)
        }
    }

    private mutating func dispatch(_ type: Character, _ value: String) throws(SDPParseErrorReason) {
        // RFC 8866 §5: v=, o=, s= come first and in that order.
        switch lineNumber {
        case 1:
            guard type == "v" else { throw .missingVersion }
            guard value == "0" else { throw .unsupportedVersion(value) }
            seen.insert("v")
            return
        case 2:
            guard type == "o" else { throw .missingLine("o") }
            description.origin = try SDPOrigin.parse(value)
            seen.insert("o")
            return
        case 3:
            guard type == "s" else { throw .missingLine("s") }
            description.sessionName = value
            seen.insert("s")
            return
        default:
            break
        }
        if description.mediaSections.isEmpty {
            try sessionLine(type, value)
        } else {
            try mediaLine(type, value)
        }
    }

    private mutating func once(_ type: Character) throws(SDPParseErrorReason) {
        guard seen.insert(type).inserted else { throw .duplicateLine(type) }
    }

    private mutating func sessionLine(_ type: Character, _ value: String) throws(SDPParseErrorReason) {
        switch type {
        case "v", "o", "s": throw .duplicateLine(type)
        case "i": try once(type); description.sessionInformation = value
        case "u": try once(type); description.uri = value
        case "e": description.emails.append(value)
        case "p": description.phoneNumbers.append(value)
        case "c": try once(type); description.connection = try SDPConnection.parse(value)
        case "b": description.bandwidths.append(try SDPBandwidth.parse(value))
        case "t": description.timings.append(try SDPTiming.parse(value))
        case "r":
            // RFC 8866 §5.10: repeat times belong to the preceding t= line.
            guard !description.timings.isEmpty else { throw .lineOutOfPlace("r") }
            description.timings[description.timings.count - 1].repeats.append(value)
        case "z": try once(type); description.timeZones = value
        case "k": try once(type); description.encryptionKey = value
        case "a":
            guard description.attributes.count < limits.maxAttributesPerSection else {
                throw .tooManyAttributes(limit: limits.maxAttributesPerSection)
            }
            description.attributes.append(try SDPAttribute.parse(value))
        case "m":
            // RFC 8866 §5: at least one t= line precedes the media sections.
            guard !description.timings.isEmpty else { throw .missingLine("t") }
            try startMediaSection(value)
        default:
            throw .unknownLineType(type)
        }
    }

    private mutating func startMediaSection(_ value: String) throws(SDPParseErrorReason) {
        guard description.mediaSections.count < limits.maxMediaSections else {
            throw .tooManyMediaSections(limit: limits.maxMediaSections)
        }
        description.mediaSections.append(try SDPMediaSection.parseMediaLine(value))
        seen.subtract(["i", "k"])
    }

    private mutating func mediaLine(_ type: Character, _ value: String) throws(SDPParseErrorReason) {
        let index = description.mediaSections.count - 1
        switch type {
        case "m": try startMediaSection(value)
        case "i": try once(type); description.mediaSections[index].information = value
        case "c": description.mediaSections[index].connections.append(try SDPConnection.parse(value))
        case "b": description.mediaSections[index].bandwidths.append(try SDPBandwidth.parse(value))
        case "k": try once(type); description.mediaSections[index].encryptionKey = value
        case "a":
            guard description.mediaSections[index].attributes.count < limits.maxAttributesPerSection else {
                throw .tooManyAttributes(limit: limits.maxAttributesPerSection)
            }
            description.mediaSections[index].attributes.append(try SDPAttribute.parse(value))
        case "v", "o", "s", "u", "e", "p", "t", "r", "z":
            // RFC 8866 §5: these are session-level only.
            throw .lineOutOfPlace(type)
        default:
            throw .unknownLineType(type)
        }
    }

    private mutating func finish() throws(SDPParseError) -> SessionDescription {
        let missing: Character?
        if !seen.contains("v") {
            missing = "v"
        } else if !seen.contains("o") {
            missing = "o"
        } else if !seen.contains("s") {
            missing = "s"
        } else if description.timings.isEmpty {
            missing = "t"
        } else {
            missing = nil
        }
        guard let missing else { return description }
        let line = lineNumber + 1
        throw SDPParseError(line: line, reason: missing == "v" ? .missingVersion : .missingLine(missing))
    }
}
