/// Why an extension element could not be appended to a packet.
public enum RTPHeaderExtensionAppendError: Error, Sendable, Hashable {
    /// The packet's extension is not an RFC 8285 element list (another profile).
    case foreignExtensionProfile(UInt16)
    /// The id or value length does not fit the packet's extension form (RFC 8285 §4.2, §4.3).
    case elementDoesNotFit(id: UInt8, length: Int)
    /// The target buffer is smaller than the packet plus the element.
    case targetTooSmall(needed: Int, available: Int)
}

extension RTPHeader {
    /// Bytes `copy(_:into:appending:id:)` may add: the element with its header, padded to a
    /// 32-bit word, plus the extension header if the packet has none.
    @inlinable
    public static func appendedExtensionBytes(valueLength: Int) -> Int {
        (2 + valueLength + 3) / 4 * 4 + 4
    }

    /// Copies `packet` (whose header is `header`) into `target` with one more header extension
    /// element at the end of its extension block, and returns the new length. The copy is the
    /// one a sender makes anyway (into its datagram), so a forwarded packet gains an element
    /// without a second pass over its payload.
    ///
    /// A packet without an extension gets the one-byte form (RFC 8285 §4.2), or the two-byte
    /// form (§4.3) when `id` is above 14; a packet that has one keeps its form, and its block
    /// grows by the element, zero-padded to a word. The payload and RTP padding follow unchanged.
    @inlinable
    public static func copy<Value: RTPHeaderExtensionValue>(
        _ packet: UnsafeRawBufferPointer, header: RTPHeader, into target: UnsafeMutableRawBufferPointer,
        appending value: Value, id: UInt8
    ) throws(RTPHeaderExtensionAppendError) -> Int {
        let length = value.encodedLength
        let form: RTPHeaderExtensionForm
        if let profile = header.extensionProfile {
            guard let existing = RTPHeaderExtensionForm(profile: profile) else {
                throw .foreignExtensionProfile(profile)
            }
            form = existing
        } else {
            form = id <= RTPHeaderExtensionForm.oneByteMaximumID ? .oneByte : .twoByte(appBits: 0)
        }
        let elementLength: Int
        switch form {
        case .oneByte:
            guard (1...RTPHeaderExtensionForm.oneByteMaximumID).contains(id),
                  (1...RTPHeaderExtensionForm.oneByteMaximumLength).contains(length) else {
                throw .elementDoesNotFit(id: id, length: length)
            }
            elementLength = 1 + length
        case .twoByte:
            guard id >= 1, length <= RTPHeaderExtensionForm.twoByteMaximumLength else {
                throw .elementDoesNotFit(id: id, length: length)
            }
            elementLength = 2 + length
        }
        // Where the elements end now (after the extension header when there is none yet).
        let hasExtension = header.extensionProfile != nil
        let blockStart = hasExtension ? header.extensionRange.lowerBound : header.headerLength + 4
        let oldBlockLength = hasExtension ? header.extensionRange.count : 0
        let newBlockLength = (oldBlockLength + elementLength + 3) / 4 * 4
        let added = newBlockLength - oldBlockLength + (hasExtension ? 0 : 4)
        let needed = packet.count + added
        guard target.count >= needed, let to = target.baseAddress, let from = packet.baseAddress else {
            throw .targetTooSmall(needed: needed, available: target.count)
        }
        // Header (with the old extension block, if any), then the new element, then the rest.
        let headerBytes = hasExtension ? header.extensionRange.upperBound : header.headerLength
        to.copyMemory(from: from, byteCount: headerBytes)
        if !hasExtension {
            target[0] |= 0x10 // the X bit
            target.storeBytes(of: form.profile.bigEndian, toByteOffset: header.headerLength, as: UInt16.self)
        }
        target.storeBytes(of: UInt16(newBlockLength / 4).bigEndian, toByteOffset: blockStart - 2, as: UInt16.self)
        var offset = blockStart + oldBlockLength
        switch form {
        case .oneByte:
            target[offset] = id << 4 | UInt8(length - 1)
            offset += 1
        case .twoByte:
            target[offset] = id
            target[offset + 1] = UInt8(length)
            offset += 2
        }
        do {
            _ = try value.write(into: UnsafeMutableRawBufferPointer(rebasing: target[offset..<(offset + length)]))
        } catch {
            throw .elementDoesNotFit(id: id, length: length)
        }
        offset += length
        let paddingEnd = blockStart + newBlockLength
        while offset < paddingEnd {
            target[offset] = 0
            offset += 1
        }
        (to + offset).copyMemory(from: from + headerBytes, byteCount: packet.count - headerBytes)
        return needed
    }
}
