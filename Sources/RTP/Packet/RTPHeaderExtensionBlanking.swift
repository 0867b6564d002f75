extension RTPHeader {
    /// Turns the header-extension elements whose id `shouldBlank` accepts into padding, in
    /// place: every byte of the element (id, length, value) becomes 0, which receivers skip as
    /// padding (RFC 8285 §4.2, §4.3). The packet keeps its length and layout, so a forwarder can
    /// drop extensions that only mean something on the sender's connection (its mid, rid,
    /// transport-wide sequence number) without moving the payload. Returns how many were blanked.
    @discardableResult
    public func blankExtensions(where shouldBlank: (UInt8) -> Bool,
                                in bytes: UnsafeMutableRawBufferPointer) -> Int {
        guard var cursor = extensionElements, extensionRange.upperBound <= bytes.count else { return 0 }
        let elementHeaderSize: Int
        if case .oneByte = cursor.form { elementHeaderSize = 1 } else { elementHeaderSize = 2 }
        var blanked = 0
        while true {
            let element: RTPHeaderExtensionElement?
            do {
                element = try cursor.next(in: UnsafeRawBufferPointer(bytes))
            } catch {
                break
            }
            guard let element else { break }
            guard shouldBlank(element.id) else { continue }
            let start = element.valueRange.lowerBound - elementHeaderSize
            guard start >= extensionRange.lowerBound else { continue }
            for index in start..<element.valueRange.upperBound { bytes[index] = 0 }
            blanked += 1
        }
        return blanked
    }
}
