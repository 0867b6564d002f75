// libFuzzer target: AV1 dependency descriptor extension (AV1 RTP spec Appendix A.8), with and
// without a structure. Input: one length byte N, then N bytes parsed with no structure (a key
// frame's descriptor, which may attach one); the rest is cut into length-prefixed chunks
// (length byte, bytes), each parsed with the latest structure, as a receiver does for the
// frames that follow. Built with the RTP module sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    var offset = 1
    func nextChunk(length: Int) -> UnsafeRawBufferPointer {
        let length = min(length, size - offset)
        defer { offset += length }
        return UnsafeRawBufferPointer(start: data + offset, count: length)
    }
    var structure: DependencyStructure? = nil
    let first = nextChunk(length: Int(data[0]))
    if let descriptor = try? DependencyDescriptor.parse(first, structure: nil) {
        check(descriptor)
        structure = descriptor.attachedStructure
        // Parsing again with its own structure gives the same descriptor.
        if let attached = descriptor.attachedStructure {
            let again = try? DependencyDescriptor.parse(first, structure: attached)
            fuzzCheck(again == descriptor, "reparse with the attached structure differs")
        }
    }
    while offset < size {
        let length = Int(data[offset])
        offset += 1
        let chunk = nextChunk(length: length)
        guard let descriptor = try? DependencyDescriptor.parse(chunk, structure: structure) else { continue }
        check(descriptor)
        if let attached = descriptor.attachedStructure { structure = attached }
    }
    return 0
}

private func check(_ descriptor: DependencyDescriptor) {
    // Walk the fixed-capacity collections through their subscripts.
    for indication in descriptor.decodeTargetIndications { _ = indication }
    for diff in descriptor.frameDiffs { _ = diff }
    for diff in descriptor.chainDiffs { _ = diff }
    if let structure = descriptor.attachedStructure {
        fuzzCheck(structure.decodeTargetCount >= 1 && structure.decodeTargetCount <= 32, "decode target count")
        fuzzCheck(structure.templates.count <= 64, "template count \(structure.templates.count)")
    }
}
