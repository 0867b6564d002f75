import Testing
import RTP

private func l1t3Structure() throws -> DependencyStructure {
    try #require(try DependencyDescriptor.parse(l1t3KeyFrameDescriptor(), structure: nil).attachedStructure)
}

@Test func keyFrameDescriptorCarriesTheL1T3Structure() throws {
    let bytes = l1t3KeyFrameDescriptor()
    #expect(bytes.count == 20)   // 153 bits + zero padding
    let descriptor = try DependencyDescriptor.parse(bytes, structure: nil)
    #expect(descriptor.isStartOfFrame && descriptor.isEndOfFrame)
    #expect(descriptor.templateID == 5)
    #expect(descriptor.frameNumber == 100)
    #expect(descriptor.spatialID == 0 && descriptor.temporalID == 0)
    #expect(Array(descriptor.decodeTargetIndications) == [.switch, .switch, .switch])
    #expect(descriptor.frameDiffs.isEmpty)
    #expect(Array(descriptor.chainDiffs) == [0])
    #expect(descriptor.activeDecodeTargetsBitmask == 0b111)
    #expect(descriptor.maximumResolution == DependencyDescriptorResolution(width: 640, height: 360))

    let structure = try #require(descriptor.attachedStructure)
    #expect(structure.templateIDOffset == 5)
    #expect(structure.decodeTargetCount == 3)
    #expect(structure.templates.map(\.spatialID) == [0, 0, 0, 0, 0])
    #expect(structure.templates.map(\.temporalID) == [0, 0, 1, 2, 2])
    #expect(structure.templates.map { Array($0.frameDiffs) } == [[], [4], [2], [1], [1]])
    #expect(structure.templates.map { Array($0.chainDiffs) } == [[0], [4], [2], [1], [3]])
    #expect(Array(structure.templates[2].decodeTargetIndications) == [.notPresent, .discardable, .switch])
    #expect(structure.chainCount == 1)
    #expect(structure.decodeTargetProtectedByChain == [0, 0, 0])
    // Template layer walk: DT0 = T0, DT1 = T0+T1, DT2 = T0+T1+T2.
    #expect(structure.decodeTargetLayers == [
        .init(spatialID: 0, maximumTemporalID: 0),
        .init(spatialID: 0, maximumTemporalID: 1),
        .init(spatialID: 0, maximumTemporalID: 2),
    ])
    #expect(structure.resolutions == [DependencyDescriptorResolution(width: 640, height: 360)])
}

@Test(arguments: [
    // (template id, temporal id, DTIs, fdiffs, chain diffs)
    (UInt32(6), UInt8(0), [DecodeTargetIndication.switch, .switch, .switch], [UInt16(4)], [UInt8(4)]),
    (7, 1, [.notPresent, .discardable, .switch], [2], [2]),
    (8, 2, [.notPresent, .notPresent, .discardable], [1], [1]),
    (9, 2, [.notPresent, .notPresent, .discardable], [1], [3]),
])
func mandatoryOnlyDescriptorUsesStoredL1T3Structure(
    templateID: UInt32, temporalID: UInt8, dtis: [DecodeTargetIndication], fdiffs: [UInt16], chains: [UInt8]
) throws {
    let structure = try l1t3Structure()
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: false, templateID: templateID, frameNumber: 0xFFFF)
    #expect(writer.bytes.count == 3)
    let descriptor = try DependencyDescriptor.parse(writer.bytes, structure: structure)
    #expect(descriptor.isStartOfFrame && !descriptor.isEndOfFrame)
    #expect(descriptor.frameNumber == 0xFFFF)
    #expect(descriptor.spatialID == 0)
    #expect(descriptor.temporalID == temporalID)
    #expect(Array(descriptor.decodeTargetIndications) == dtis)
    #expect(Array(descriptor.frameDiffs) == fdiffs)
    #expect(Array(descriptor.chainDiffs) == chains)
    #expect(descriptor.activeDecodeTargetsBitmask == nil)
    #expect(descriptor.attachedStructure == nil)
    #expect(descriptor.maximumResolution == DependencyDescriptorResolution(width: 640, height: 360))
}

@Test func descriptorWithoutAnyStructureThrows() {
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: true, templateID: 7, frameNumber: 1)
    #expect(throws: DependencyDescriptorError.structureRequired) {
        try DependencyDescriptor.parse(writer.bytes, structure: nil)
    }
}

@Test(arguments: [UInt32(4), 10, 63])
func templateIDOutsideTheStructureThrows(templateID: UInt32) throws {
    let structure = try l1t3Structure()
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: true, templateID: templateID, frameNumber: 1)
    #expect(throws: DependencyDescriptorError.unknownTemplate(id: UInt8(templateID))) {
        try DependencyDescriptor.parse(writer.bytes, structure: structure)
    }
}

@Test func customFieldsAndActiveDecodeTargetsOverrideTheTemplate() throws {
    let structure = try l1t3Structure()
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: false, end: true, templateID: 8, frameNumber: 102)
    writer.write(false)            // no structure
    writer.write(true)             // active_decode_targets_present_flag
    writer.write(true)             // custom_dtis_flag
    writer.write(true)             // custom_fdiffs_flag
    writer.write(true)             // custom_chains_flag
    writer.write(0b011, bits: 3)   // active_decode_targets_bitmask (DtCnt = 3)
    for _ in 0..<3 { writer.write(3, bits: 2) }   // frame_dtis: R R R
    writer.write(1, bits: 2); writer.write(0, bits: 4)      // fdiff 1
    writer.write(2, bits: 2); writer.write(0x1F, bits: 8)   // fdiff 32
    writer.write(0, bits: 2)                                // end of fdiffs
    writer.write(7, bits: 8)                                // frame_chains: one chain
    let descriptor = try DependencyDescriptor.parse(writer.bytes, structure: structure)
    #expect(!descriptor.isStartOfFrame && descriptor.isEndOfFrame)
    #expect(descriptor.temporalID == 2)
    #expect(descriptor.activeDecodeTargetsBitmask == 0b011)
    #expect(Array(descriptor.decodeTargetIndications) == [.required, .required, .required])
    #expect(Array(descriptor.frameDiffs) == [1, 32])
    #expect(Array(descriptor.chainDiffs) == [7])
}

@Test func everyTruncationOfTheStructureDescriptorThrows() throws {
    let bytes = l1t3KeyFrameDescriptor()
    let structure = try l1t3Structure()
    for length in 0..<bytes.count {
        let prefix = Array(bytes.prefix(length))
        #expect(throws: DependencyDescriptorError.self) { try DependencyDescriptor.parse(prefix, structure: nil) }
        if length == 3 {
            // Three bytes are a complete mandatory-only descriptor (A.8.2: sz > 3 selects the
            // extended fields), valid once a structure is known.
            #expect(try DependencyDescriptor.parse(prefix, structure: structure).temporalID == 0)
        } else {
            #expect(throws: DependencyDescriptorError.self) { try DependencyDescriptor.parse(prefix, structure: structure) }
        }
    }
}

@Test func templateCountIsCappedAt64() {
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: true, templateID: 0, frameNumber: 0)
    writer.write(0b10000, bits: 5)
    writer.write(0, bits: 6)
    writer.write(0, bits: 5)
    for _ in 0..<64 { writer.write(0, bits: 2) }   // 65th template would follow
    writer.write(3, bits: 2)
    #expect(throws: DependencyDescriptorError.tooManyTemplates) {
        try DependencyDescriptor.parse(writer.bytes, structure: nil)
    }
}

@Test(arguments: [
    (UInt32(1), 8, DependencyDescriptorError.tooManyTemporalLayers),
    (2, 4, .tooManySpatialLayers),
])
func layerWalkIsCapped(idc: UInt32, repeats: Int, error: DependencyDescriptorError) {
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: true, templateID: 0, frameNumber: 0)
    writer.write(0b10000, bits: 5)
    writer.write(0, bits: 6)
    writer.write(0, bits: 5)
    for _ in 0..<repeats { writer.write(idc, bits: 2) }
    writer.write(3, bits: 2)
    writer.write(0, bits: 32)
    #expect(throws: error) { try DependencyDescriptor.parse(writer.bytes, structure: nil) }
}

@Test func customFrameDiffsAreCapped() throws {
    let structure = try l1t3Structure()
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: true, templateID: 6, frameNumber: 1)
    writer.write(0b00010, bits: 5)   // custom_fdiffs_flag only
    for _ in 0...DependencyDescriptorFrameDiffs.capacity { writer.write(1, bits: 2); writer.write(0, bits: 4) }
    writer.write(0, bits: 2)
    #expect(throws: DependencyDescriptorError.tooManyFrameDiffs) {
        try DependencyDescriptor.parse(writer.bytes, structure: structure)
    }
}

@Test(arguments: [
    // (bits as a byte, ns(5) value, bits consumed)
    (UInt8(0b0000_0000), UInt32(0), 2),
    (0b1000_0000, 2, 2),
    (0b1100_0000, 3, 3),
    (0b1110_0000, 4, 3),
])
func bitReaderDecodesNonSymmetricValues(byte: UInt8, value: UInt32, consumed: Int) throws {
    try [byte].withUnsafeBytes { (buffer) throws in
        var reader = DependencyDescriptorBitReader(buffer)
        #expect(try reader.readNonSymmetric(5) == value)
        #expect(reader.bitOffset == consumed)
    }
}

@Test func bitReaderReadsAcrossByteBoundaries() throws {
    try [UInt8]([0xAB, 0xCD, 0xEF]).withUnsafeBytes { (buffer) throws in
        var reader = DependencyDescriptorBitReader(buffer)
        #expect(try reader.read(4) == 0xA)
        #expect(try reader.read(12) == 0xBCD)
        #expect(try reader.read(0) == 0)
        #expect(throws: DependencyDescriptorError.truncated(neededBits: 25, availableBits: 24)) { try reader.read(9) }
        #expect(try reader.read(8) == 0xEF)
    }
}

@Test func randomBytesNeverTrap() throws {
    let structure = try l1t3Structure()
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var parsed = 0
    for _ in 0..<5_000 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let length = Int(state >> 59)   // 0...31
        var bytes: [UInt8] = []
        for _ in 0..<length {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        if (try? DependencyDescriptor.parse(bytes, structure: structure)) != nil { parsed += 1 }
        _ = try? DependencyDescriptor.parse(bytes, structure: nil)
    }
    // Some random descriptors name one of the five templates and parse; most do not.
    #expect(parsed > 0 && parsed < 5_000)
}

@Test func extensionURIMatchesTheSpec() {
    #expect(DependencyDescriptor.extensionURI
        == "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension")
}

@Test func mandatoryFieldsReadWithoutAStructure() throws {
    let fields = try DependencyDescriptorMandatoryFields.parse(l1t3KeyFrameDescriptor())
    #expect(fields == DependencyDescriptorMandatoryFields(
        isStartOfFrame: true, isEndOfFrame: true, templateID: 5, frameNumber: 100, hasExtendedFields: true))
    let short = try DependencyDescriptorMandatoryFields.parse([0x47, 0x12, 0x34])
    #expect(short == DependencyDescriptorMandatoryFields(
        isStartOfFrame: false, isEndOfFrame: true, templateID: 7, frameNumber: 0x1234, hasExtendedFields: false))
    for length in 0..<3 {
        #expect(throws: DependencyDescriptorError.truncated(neededBits: 24, availableBits: length * 8)) {
            try DependencyDescriptorMandatoryFields.parse(Array(repeating: 0, count: length))
        }
    }
}
