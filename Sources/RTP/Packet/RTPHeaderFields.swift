/// One extension element to write: local id and value bytes.
public struct RTPHeaderExtensionItem: Sendable, Hashable {
    public var id: UInt8
    public var value: [UInt8]

    public init(id: UInt8, value: [UInt8]) {
        self.id = id
        self.value = value
    }
}

/// The fields of an RTP header to write into a caller-provided buffer (RFC 3550 §5.1).
///
/// Extensions use the one-byte form when every id is 1...14 and every value 1...16 bytes
/// (RFC 8285 §4.2), otherwise the two-byte form (RFC 8285 §4.3).
public struct RTPHeaderFields: Sendable, Hashable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    public var extensions: [RTPHeaderExtensionItem]
    /// Sets the P bit only; the caller appends the padding octets after the payload, the
    /// last one holding their count (RFC 3550 §5.1).
    public var hasPadding: Bool

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32,
        ssrc: UInt32, csrcs: [UInt32] = [], extensions: [RTPHeaderExtensionItem] = [],
        hasPadding: Bool = false
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = extensions
        self.hasPadding = hasPadding
    }

    /// The form `write` will use, or nil when there are no extensions.
    public var extensionForm: RTPHeaderExtensionForm? {
        guard !extensions.isEmpty else { return nil }
        let fitsOneByte = extensions.allSatisfy {
            (1...RTPHeaderExtensionForm.oneByteMaximumID).contains($0.id)
                && (1...RTPHeaderExtensionForm.oneByteMaximumLength).contains($0.value.count)
        }
        return fitsOneByte ? .oneByte : .twoByte(appBits: 0)
    }

    /// Bytes `write` produces; throws for fields that cannot be encoded.
    public func encodedLength() throws(RTPHeaderWriteError) -> Int {
        guard payloadType <= 0x7F else { throw .payloadTypeOutOfRange(payloadType) }
        guard csrcs.count <= 15 else { throw .tooManyCSRCs(csrcs.count) }
        var length = RTPHeader.fixedLength + 4 * csrcs.count
        if let form = extensionForm {
            let elements = try extensionElementsLength(form: form)
            // RFC 3550 §5.3.1: the block is padded to whole 32-bit words.
            let padded = (elements + 3) & ~3
            guard padded / 4 <= Int(UInt16.max) else { throw .extensionBlockTooLong(bytes: padded) }
            length += 4 + padded
        }
        return length
    }

    private func extensionElementsLength(form: RTPHeaderExtensionForm) throws(RTPHeaderWriteError) -> Int {
        var seen = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var total = 0
        for item in extensions {
            // RFC 8285 §4.2/§4.3: id 0 is padding, never an element.
            guard item.id != 0 else { throw .invalidExtensionID(0) }
            guard item.value.count <= RTPHeaderExtensionForm.twoByteMaximumLength else {
                throw .extensionValueTooLong(id: item.id, length: item.value.count)
            }
            let bit = UInt64(1) << UInt64(item.id & 63)
            let duplicate: Bool
            switch item.id >> 6 {
            case 0: duplicate = seen.0 & bit != 0; seen.0 |= bit
            case 1: duplicate = seen.1 & bit != 0; seen.1 |= bit
            case 2: duplicate = seen.2 & bit != 0; seen.2 |= bit
            default: duplicate = seen.3 & bit != 0; seen.3 |= bit
            }
            guard !duplicate else { throw .duplicateExtensionID(item.id) }
            switch form {
            case .oneByte: total += 1 + item.value.count
            case .twoByte: total += 2 + item.value.count
            }
        }
        return total
    }

    /// Writes the header at the start of `buffer`, returning the bytes written.
    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RTPHeaderWriteError) -> Int {
        let length = try encodedLength()
        guard buffer.count >= length else { throw .bufferTooSmall(needed: length, available: buffer.count) }

        // RFC 3550 §5.1: V=2, P, X, CC | M, PT | sequence | timestamp | SSRC | CSRCs.
        let form = extensionForm
        var first = RTPHeader.version << 6 | UInt8(csrcs.count)
        if hasPadding { first |= 0x20 }
        if form != nil { first |= 0x10 }
        buffer.storeBytes(of: first, toByteOffset: 0, as: UInt8.self)
        buffer.storeBytes(of: (marker ? 0x80 : 0) | payloadType, toByteOffset: 1, as: UInt8.self)
        buffer.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
        buffer.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
        var offset = RTPHeader.fixedLength
        for csrc in csrcs {
            buffer.storeBytes(of: csrc.bigEndian, toByteOffset: offset, as: UInt32.self)
            offset += 4
        }

        guard let form else { return offset }
        // RFC 3550 §5.3.1: profile field, then length in 32-bit words.
        let words = (length - offset - 4) / 4
        buffer.storeBytes(of: form.profile.bigEndian, toByteOffset: offset, as: UInt16.self)
        buffer.storeBytes(of: UInt16(words).bigEndian, toByteOffset: offset + 2, as: UInt16.self)
        offset += 4
        for item in extensions {
            switch form {
            case .oneByte:
                // RFC 8285 §4.2: ID in the high nibble, length minus one in the low nibble.
                let header = item.id << 4 | UInt8(item.value.count - 1)
                buffer.storeBytes(of: header, toByteOffset: offset, as: UInt8.self)
                offset += 1
            case .twoByte:
                // RFC 8285 §4.3: ID octet, then length octet.
                buffer.storeBytes(of: item.id, toByteOffset: offset, as: UInt8.self)
                buffer.storeBytes(of: UInt8(item.value.count), toByteOffset: offset + 1, as: UInt8.self)
                offset += 2
            }
            for byte in item.value {
                buffer.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
                offset += 1
            }
        }
        // RFC 8285 §4.1: fill to the word boundary with zero (padding) bytes.
        while offset < length {
            buffer.storeBytes(of: UInt8(0), toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
        return length
    }

    /// Convenience: the header as a new array.
    public func encoded() throws(RTPHeaderWriteError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: try encodedLength())
        let result = bytes.withUnsafeMutableBytes { raw in
            Result { () throws(RTPHeaderWriteError) -> Int in try write(into: raw) }
        }
        _ = try result.get()
        return bytes
    }
}
