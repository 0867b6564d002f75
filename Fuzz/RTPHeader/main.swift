// libFuzzer target: RTP fixed header (RFC 3550 §5.1), RFC 8285 extension elements, and every
// typed extension value read from them. Built with the RTP module sources as one module
// (see Fuzz/run.sh), so there is no `import RTP`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let header = try? RTPHeader.parse(bytes) else { return 0 }

    // Every range the parser hands out lies inside the packet.
    fuzzCheck(header.headerLength >= RTPHeader.fixedLength && header.headerLength <= size, "headerLength \(header.headerLength)")
    fuzzCheck(fuzzInside(header.payloadRange, size), "payloadRange \(header.payloadRange) size \(size)")
    fuzzCheck(header.packetLength == size, "packetLength \(header.packetLength) size \(size)")
    fuzzCheck(fuzzInside(header.csrcRange, size), "csrcRange")
    fuzzCheck(fuzzInside(header.extensionRange, size), "extensionRange \(header.extensionRange)")
    for index in 0..<header.csrcCount { fuzzCheck(header.csrc(at: index, in: bytes) != nil, "csrc \(index)") }

    guard var cursor = header.extensionElements else { return 0 }
    var seenIDs: [UInt8] = []
    while true {
        let next: RTPHeaderExtensionElement?
        do { next = try cursor.next(in: bytes) } catch { break }
        guard let element = next else { break }
        fuzzCheck(fuzzInside(element.valueRange, size), "element \(element)")
        fuzzCheck(element.valueRange.lowerBound >= header.extensionRange.lowerBound
                  && element.valueRange.upperBound <= header.extensionRange.upperBound, "element outside block")
        seenIDs.append(element.id)
        let value = UnsafeRawBufferPointer(rebasing: bytes[element.valueRange])
        // Typed reads: each throws or returns a value, never traps.
        _ = try? AbsoluteSendTimeExtension(extensionValue: value)
        _ = try? AudioLevelExtension(extensionValue: value)
        _ = try? PlayoutDelayExtension(extensionValue: value)
        _ = try? TransportWideSequenceNumberExtension(extensionValue: value)
        _ = try? VideoOrientationExtension(extensionValue: value)
        _ = try? MidExtension(extensionValue: value)
        _ = try? RTPStreamIDExtension(extensionValue: value)
        _ = try? RepairedRTPStreamIDExtension(extensionValue: value)
        _ = MidExtension.value(value, equals: "0")
        if let descriptor = try? DependencyDescriptor.parse(value, structure: nil),
           let structure = descriptor.attachedStructure {
            _ = try? DependencyDescriptor.parse(value, structure: structure)
        }
        if seenIDs.count > 300 { break }
    }

    // Lookup by id and in-place overwrite on a copy, for the first few ids seen.
    var copy = Array(UnsafeRawBufferPointer(start: data, count: size))
    copy.withUnsafeMutableBytes { packet in
        for id in seenIDs.prefix(4) {
            _ = try? header.extensionValue(AudioLevelExtension.self, id: id, in: bytes)
            _ = try? header.overwriteExtensionValue(id: id, with: TransportWideSequenceNumberExtension(sequenceNumber: 0xBEEF), in: packet)
            _ = try? header.overwriteExtensionValue(id: id, with: AbsoluteSendTimeExtension(rawValue: 0x123456), in: packet)
        }
        _ = try? RTPHeader.rewrite(ssrc: 1, sequenceNumber: 2, timestamp: 3, in: packet)
        // Rewriting fixed fields never changes the header layout.
        if let again = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)) {
            fuzzCheck(again.extensionRange == header.extensionRange && again.payloadRange == header.payloadRange, "layout changed")
        } else {
            fuzzCheck(false, "rewritten packet no longer parses")
        }
    }
    return 0
}
