// libFuzzer target: RTP payload descriptors. The first input byte picks the parser, the rest
// is the RTP payload: VP8 (RFC 7741 §4.2) + in-place rewrite, VP9 (RFC 9628 §4.2) + scalability
// structure + rewrite, H.264 (RFC 6184 §5) + STAP-A units, AV1 (AV1 RTP spec §4.4) + OBU
// elements, Opus TOC (RFC 6716 §3.1). Built with the RTP module sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let selector = data[0]
    let payload = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let count = payload.count
    switch selector % 5 {
    case 0:
        guard let descriptor = try? VP8Descriptor.parse(payload) else { return 0 }
        fuzzCheck(descriptor.payloadOffset >= 1 && descriptor.payloadOffset <= count, "VP8 payloadOffset \(descriptor.payloadOffset) count \(count)")
        if let at = descriptor.pictureIDOffset { fuzzCheck(at >= 0 && at + (descriptor.pictureIDIs15Bit ? 2 : 1) <= count, "VP8 pictureIDOffset") }
        if let at = descriptor.tl0PictureIndexOffset { fuzzCheck(at >= 0 && at < count, "VP8 tl0 offset") }
        var copy = Array(payload)
        copy.withUnsafeMutableBytes { bytes in
            let rewritten = try? VP8Descriptor.rewrite(in: bytes, pictureID: 0x7ABC, tl0PictureIndex: 0x42)
            if rewritten != nil, let again = try? VP8Descriptor.parse(UnsafeRawBufferPointer(bytes)) {
                fuzzCheck(again.payloadOffset == descriptor.payloadOffset, "VP8 rewrite moved the payload")
                if descriptor.pictureID != nil {
                    fuzzCheck(again.pictureID == (descriptor.pictureIDIs15Bit ? 0x7ABC : 0x3C), "VP8 rewrite picture id \(String(describing: again.pictureID))")
                }
            }
        }
    case 1:
        guard let descriptor = try? VP9Descriptor.parse(payload) else { return 0 }
        fuzzCheck(descriptor.payloadOffset >= 1 && descriptor.payloadOffset <= count, "VP9 payloadOffset")
        if let at = descriptor.pictureIDOffset { fuzzCheck(at >= 0 && at + (descriptor.pictureIDIs15Bit ? 2 : 1) <= count, "VP9 pictureIDOffset") }
        if let at = descriptor.tl0PictureIndexOffset { fuzzCheck(at >= 0 && at < count, "VP9 tl0 offset") }
        for diff in descriptor.referenceDiffs { _ = diff }
        _ = descriptor.isKeyFrame
        if let range = descriptor.scalabilityStructureRange {
            fuzzCheck(fuzzInside(range, count), "VP9 SS range")
            _ = try? VP9ScalabilityStructure.parse(payload, from: range.lowerBound)
        }
        // The SS parser on its own, from every early offset.
        for start in 0..<min(count, 4) { _ = try? VP9ScalabilityStructure.parse(payload, from: start) }
        var copy = Array(payload)
        copy.withUnsafeMutableBytes { bytes in
            if (try? VP9Descriptor.rewrite(in: bytes, pictureID: 0x1234)) != nil {
                fuzzCheck((try? VP9Descriptor.parse(UnsafeRawBufferPointer(bytes)))?.payloadOffset == descriptor.payloadOffset, "VP9 rewrite moved the payload")
            }
        }
    case 2:
        guard let descriptor = try? H264PayloadDescriptor.parse(payload) else { return 0 }
        _ = descriptor.isKeyFrame
        if case .stapA(let units) = descriptor.packetization {
            var iterator = H264STAPAIterator()
            var seen = 0
            while let unit = try? iterator.next(in: payload) {
                seen += 1
                fuzzCheck(fuzzInside(unit.range, count), "STAP-A unit range")
                fuzzCheck(seen <= count, "STAP-A loop")
            }
            fuzzCheck(seen == units, "STAP-A yielded \(seen), parse counted \(units)")
        }
    case 3:
        guard let descriptor = try? AV1PayloadDescriptor.parse(payload) else { return 0 }
        var iterator = descriptor.obuElements()
        var seen = 0
        while let element = try? iterator.next(in: payload) {
            seen += 1
            fuzzCheck(fuzzInside(element.range, count), "AV1 OBU element range")
            fuzzCheck(seen <= count, "AV1 OBU loop")
        }
        for start in 0..<min(count, 3) { _ = try? AV1PayloadDescriptor.readLEB128(payload, at: start) }
    default:
        guard let toc = try? OpusTableOfContents.parse(payload) else { return 0 }
        _ = (toc.mode, toc.bandwidth, toc.bandwidth.hertz, toc.packetDurationMicroseconds, toc.isLikelyDTX)
        fuzzCheck(toc.frameCount >= 1 && toc.frameCount <= 48, "Opus frame count \(toc.frameCount)")
        fuzzCheck(toc.payloadLength >= 0 && toc.payloadLength <= count, "Opus payload length")
    }
    return 0
}
