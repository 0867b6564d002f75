extension SessionDescription {
    /// The description as text, CRLF line endings (RFC 8866 §5), lines in the RFC 8866 §5 order:
    /// v o s i u e p c b (t r) z k a, then per media section m i c b k a.
    public func serialized() -> String {
        var text = ""
        func line(_ type: Character, _ value: String) {
            text.append(type)
            text.append("=")
            text.append(value)
            text.append("\r\n")
        }
        line("v", String(version))
        line("o", origin.lineValue)
        line("s", sessionName)
        if let sessionInformation { line("i", sessionInformation) }
        if let uri { line("u", uri) }
        for email in emails { line("e", email) }
        for phone in phoneNumbers { line("p", phone) }
        if let connection { line("c", connection.lineValue) }
        for bandwidth in bandwidths { line("b", bandwidth.lineValue) }
        for timing in timings {
            line("t", "\(timing.start) \(timing.stop)")
            for repeatTime in timing.repeats { line("r", repeatTime) }
        }
        if let timeZones { line("z", timeZones) }
        if let encryptionKey { line("k", encryptionKey) }
        for attribute in attributes {
            text.append(attribute.line)
            text.append("\r\n")
        }
        for section in mediaSections {
            line("m", section.mediaLineValue)
            if let information = section.information { line("i", information) }
            for connection in section.connections { line("c", connection.lineValue) }
            for bandwidth in section.bandwidths { line("b", bandwidth.lineValue) }
            if let key = section.encryptionKey { line("k", key) }
            for attribute in section.attributes {
                text.append(attribute.line)
                text.append("\r\n")
            }
        }
        return text
    }
}
