extension RTPHeader {
    /// Turns the header-extension elements whose id `shouldBlank` accepts into padding, in
    /// place: every byte of the element (id, length, value) becomes 0, which receivers skip as
    /// padding (RFC 8285 §4.2, §4.3). The packet keeps its length and layout, so a forwarder can
    /// drop extensions that only mean something on the sender's connection (its mid, rid,
    /// transport-wide sequence number) without moving the payload. Returns how many were blanked.
    @discardableResult
    public func blankExtensions(where shouldBlank: (UInt8) -> Bool,
                                in bytes: UnsafeMutableRawBufferPointer) -> Int {
        rewriteExtensionIDs({ shouldBlank($0) ? nil : $0 }, in: bytes).blanked
    }

    /// Gives each header-extension element the id `newID` returns for its id, in place, or
    /// blanks it to padding when that is nil. A forwarder uses it to move extensions from the
    /// sender's id space into the receiver's (RFC 8285 §6: ids are per connection), dropping
    /// the ones the receiver did not negotiate. An id the element's form cannot carry (above 14
    /// in the one-byte form, RFC 8285 §4.2) blanks the element too.
    @discardableResult
    public func rewriteExtensionIDs(_ newID: (UInt8) -> UInt8?,
                                    in bytes: UnsafeMutableRawBufferPointer) -> (rewritten: Int, blanked: Int) {
        guard var cursor = extensionElements, extensionRange.upperBound <= bytes.count else { return (0, 0) }
        let isOneByte: Bool
        if case .oneByte = cursor.form { isOneByte = true } else { isOneByte = false }
        let elementHeaderSize = isOneByte ? 1 : 2
        var rewritten = 0, blanked = 0
        while true {
            let element: RTPHeaderExtensionElement?
            do {
                element = try cursor.next(in: UnsafeRawBufferPointer(bytes))
            } catch {
                break
            }
            guard let element else { break }
            let start = element.valueRange.lowerBound - elementHeaderSize
            guard start >= extensionRange.lowerBound else { continue }
            let target = newID(element.id)
            if let target, target == element.id { continue }
            if let target, target > 0, !isOneByte || target <= 14 {
                bytes[start] = isOneByte ? (target << 4) | (bytes[start] & 0x0F) : target
                rewritten += 1
            } else {
                for index in start..<element.valueRange.upperBound { bytes[index] = 0 }
                blanked += 1
            }
        }
        return (rewritten, blanked)
    }
}
