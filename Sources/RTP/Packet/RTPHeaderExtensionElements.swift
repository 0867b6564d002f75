/// One RFC 8285 extension element: its id and where its value lies in the packet buffer.
public struct RTPHeaderExtensionElement: Sendable, Hashable {
    public let id: UInt8
    /// Absolute byte range of the value in the packet buffer.
    public let valueRange: Range<Int>

    @inlinable
    public init(id: UInt8, valueRange: Range<Int>) {
        self.id = id
        self.valueRange = valueRange
    }
}

/// Walks the elements of an RFC 8285 extension block without allocating.
///
/// Holds only offsets; pass the same packet buffer to each `next(in:)` call.
public struct RTPHeaderExtensionCursor: Sendable, Hashable {
    public let form: RTPHeaderExtensionForm
    /// Offset of the next element header to read.
    public var offset: Int { nextOffset }
    @usableFromInline var nextOffset: Int
    /// End of the element bytes (exclusive).
    public let end: Int

    @inlinable
    public init(form: RTPHeaderExtensionForm, elements: Range<Int>) {
        self.form = form
        self.nextOffset = elements.lowerBound
        self.end = elements.upperBound
    }

    /// The next element, or nil at the end of the block (or at a one-byte id 15).
    @inlinable
    public mutating func next(in bytes: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) -> RTPHeaderExtensionElement? {
        guard end <= bytes.count else {
            throw .elementsOutsideBuffer(end: end, bufferCount: bytes.count)
        }
        switch form {
        case .oneByte:
            while nextOffset < end {
                let byte = bytes.load(fromByteOffset: nextOffset, as: UInt8.self)
                let id = byte >> 4
                // RFC 8285 §4.1/§4.2: zero bytes between elements are padding.
                if id == 0 {
                    nextOffset += 1
                    continue
                }
                // RFC 8285 §4.2: id 15 ends processing; its length field is ignored.
                if id == 15 {
                    nextOffset = end
                    return nil
                }
                // RFC 8285 §4.2: the 4-bit length is the value length minus one.
                let start = nextOffset + 1
                let valueEnd = start + Int(byte & 0x0F) + 1
                guard valueEnd <= end else {
                    nextOffset = end
                    throw .truncatedElement(id: id, needed: valueEnd - start, available: end - start)
                }
                nextOffset = valueEnd
                return RTPHeaderExtensionElement(id: id, valueRange: start..<valueEnd)
            }
            return nil
        case .twoByte:
            while nextOffset < end {
                let id = bytes.load(fromByteOffset: nextOffset, as: UInt8.self)
                // RFC 8285 §4.3: a zero id byte is padding.
                if id == 0 {
                    nextOffset += 1
                    continue
                }
                // RFC 8285 §4.3: an 8-bit id, then an 8-bit length (0...255) of the value.
                guard nextOffset + 2 <= end else {
                    nextOffset = end
                    throw .truncatedElement(id: id, needed: 1, available: 0)
                }
                let start = nextOffset + 2
                let valueEnd = start + Int(bytes.load(fromByteOffset: nextOffset + 1, as: UInt8.self))
                guard valueEnd <= end else {
                    nextOffset = end
                    throw .truncatedElement(id: id, needed: valueEnd - start, available: end - start)
                }
                nextOffset = valueEnd
                return RTPHeaderExtensionElement(id: id, valueRange: start..<valueEnd)
            }
            return nil
        }
    }
}

extension RTPHeader {
    /// A cursor over the extension elements; nil when there is no extension or its profile is
    /// not one of the RFC 8285 forms.
    public var extensionElements: RTPHeaderExtensionCursor? {
        guard let form = extensionForm else { return nil }
        return RTPHeaderExtensionCursor(form: form, elements: extensionRange)
    }

    /// Range of the first value with `id`, or nil when absent. Elements before it that are
    /// malformed make this throw.
    @inlinable
    public func extensionValueRange(id: UInt8, in bytes: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) -> Range<Int>? {
        guard let profile = extensionProfile, let form = RTPHeaderExtensionForm(profile: profile) else {
            return nil
        }
        var cursor = RTPHeaderExtensionCursor(form: form, elements: extensionRange)
        while let element = try cursor.next(in: bytes) {
            if element.id == id { return element.valueRange }
        }
        return nil
    }

    /// Reads a typed value with `id`; nil when absent.
    public func extensionValue<Value: RTPHeaderExtensionValue>(
        _ type: Value.Type, id: UInt8, in bytes: UnsafeRawBufferPointer
    ) throws(RTPHeaderExtensionError) -> Value? {
        guard let range = try extensionValueRange(id: id, in: bytes) else { return nil }
        return try Value(extensionValue: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// Replaces the value with `id` by `value` of the same length. Returns false when the id
    /// is absent; throws `.valueLengthMismatch` when the lengths differ (the packet would
    /// have to be re-laid out, which is not an in-place edit).
    public func overwriteExtensionValue(
        id: UInt8, with value: UnsafeRawBufferPointer, in packet: UnsafeMutableRawBufferPointer
    ) throws(RTPHeaderExtensionError) -> Bool {
        guard let range = try extensionValueRange(id: id, in: UnsafeRawBufferPointer(packet)) else {
            return false
        }
        guard range.count == value.count else {
            throw .valueLengthMismatch(expected: range.count, actual: value.count)
        }
        if let source = value.baseAddress, let destination = packet.baseAddress, !range.isEmpty {
            (destination + range.lowerBound).copyMemory(from: source, byteCount: range.count)
        }
        return true
    }

    /// Replaces the value with `id` by a typed value of the same encoded length, without
    /// allocating. Returns false when the id is absent.
    public func overwriteExtensionValue<Value: RTPHeaderExtensionValue>(
        id: UInt8, with value: Value, in packet: UnsafeMutableRawBufferPointer
    ) throws(RTPHeaderExtensionError) -> Bool {
        guard let range = try extensionValueRange(id: id, in: UnsafeRawBufferPointer(packet)) else {
            return false
        }
        guard range.count == value.encodedLength else {
            throw .valueLengthMismatch(expected: range.count, actual: value.encodedLength)
        }
        _ = try value.write(into: UnsafeMutableRawBufferPointer(rebasing: packet[range]))
        return true
    }
}
