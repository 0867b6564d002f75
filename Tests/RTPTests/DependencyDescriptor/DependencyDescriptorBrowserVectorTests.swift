import Testing
import RTP

/// Decodes hex text written as in a packet capture.
private func dependencyDescriptorBytes(hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var high: UInt8? = nil
    for character in hex.utf8 {
        let nibble: UInt8
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
        default: continue
        }
        if let value = high {
            bytes.append(value << 4 | nibble)
            high = nil
        } else {
            high = nibble
        }
    }
    return bytes
}

/// A browser L1T3 key-frame descriptor with its template structure (published with the
/// decoded field values in baresip/re test/dd.c): 16 bytes, frame 303, 5 templates, 3 DTs.
let browserL1T3KeyFrameHex = "80012f800214eaa860414d1410208426"
/// Chrome 118 L1T1 key-frame descriptor (baresip/re test/dd.c interop vector): 1 DT,
/// 2 templates, no chains, 640x480.
let chrome118L1T1KeyFrameHex = "80000180003a40813f80ef80"

@Test func browserL1T3StructureDecodes() throws {
    let descriptor = try DependencyDescriptor.parse(dependencyDescriptorBytes(hex: browserL1T3KeyFrameHex), structure: nil)
    #expect(descriptor.isStartOfFrame && !descriptor.isEndOfFrame)
    #expect(descriptor.templateID == 0)
    #expect(descriptor.frameNumber == 303)
    #expect(descriptor.activeDecodeTargetsBitmask == 0b111)
    #expect(descriptor.maximumResolution == nil)
    let structure = try #require(descriptor.attachedStructure)
    #expect(structure.templateIDOffset == 0)
    #expect(structure.decodeTargetCount == 3)
    #expect(structure.templates.map(\.spatialID) == [0, 0, 0, 0, 0])
    #expect(structure.templates.map(\.temporalID) == [0, 0, 1, 2, 2])
    #expect(structure.templates.map { Array($0.decodeTargetIndications) } == [
        [.switch, .switch, .switch], [.switch, .switch, .switch], [.notPresent, .discardable, .switch],
        [.notPresent, .notPresent, .discardable], [.notPresent, .notPresent, .discardable],
    ])
    #expect(structure.templates.map { Array($0.frameDiffs) } == [[], [4], [2], [1], [1]])
    #expect(structure.templates.map { Array($0.chainDiffs) } == [[0], [4], [2], [1], [3]])
    #expect(structure.chainCount == 1)
    #expect(structure.decodeTargetProtectedByChain == [0, 0, 0])
    #expect(structure.decodeTargetLayers.map(\.maximumTemporalID) == [0, 1, 2])
    #expect(structure.resolutions == nil)

    // The browser's structure matches the hand-encoded L1T3 one except for the template id
    // offset and resolutions, so a packet of frame 304 on template 3 decodes against it.
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: true, templateID: 3, frameNumber: 304)
    let next = try DependencyDescriptor.parse(writer.bytes, structure: structure)
    #expect(next.temporalID == 2)
    #expect(Array(next.decodeTargetIndications) == [.notPresent, .notPresent, .discardable])
}

@Test func chrome118L1T1StructureDecodes() throws {
    let descriptor = try DependencyDescriptor.parse(dependencyDescriptorBytes(hex: chrome118L1T1KeyFrameHex), structure: nil)
    #expect(descriptor.isStartOfFrame && !descriptor.isEndOfFrame)
    #expect(descriptor.frameNumber == 1)
    #expect(descriptor.activeDecodeTargetsBitmask == 1)
    #expect(descriptor.maximumResolution == DependencyDescriptorResolution(width: 640, height: 480))
    let structure = try #require(descriptor.attachedStructure)
    #expect(structure.decodeTargetCount == 1)
    #expect(structure.templates.count == 2)
    #expect(structure.templates.map(\.temporalID) == [0, 0])
    #expect(structure.templates.map { Array($0.decodeTargetIndications) } == [[.switch], [.switch]])
    #expect(structure.chainCount == 0)
    #expect(structure.decodeTargetProtectedByChain.isEmpty)
    #expect(descriptor.chainDiffs.isEmpty)
}

@Test(arguments: [browserL1T3KeyFrameHex, chrome118L1T1KeyFrameHex])
func browserVectorsThrowOnEveryTruncationWithoutAStructure(hex: String) {
    let bytes = dependencyDescriptorBytes(hex: hex)
    for length in 0..<bytes.count {
        #expect(throws: DependencyDescriptorError.self) {
            try DependencyDescriptor.parse(Array(bytes.prefix(length)), structure: nil)
        }
    }
}
