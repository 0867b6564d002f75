import Testing
import RTP

/// Non-flexible key frame: I=1 B=1 L=1, 15-bit picture id 0x0102, TID0 SID0, TL0PICIDX 7.
let vp9NonFlexibleKeyFrame: [UInt8] = [0xA8, 0x81, 0x02, 0x00, 0x07, 0x9D]
/// Flexible inter frame: I P L F B E, 7-bit picture id 5, TID2 U SID0, P_DIFFs 1 and 2.
let vp9FlexibleInterFrame: [UInt8] = [0xFC, 0x05, 0x50, 0x03, 0x04, 0x9D]
/// Key frame with SS (I B E V): 3 spatial layers with resolutions, a group of 2 pictures.
let vp9KeyFrameWithScalabilityStructure: [UInt8] = [
    0x8E, 0x00,
    0x58,                                   // N_S=2 Y=1 G=1
    0x01, 0x40, 0x00, 0xB4,                 // 320x180
    0x02, 0x80, 0x01, 0x68,                 // 640x360
    0x05, 0x00, 0x02, 0xD0,                 // 1280x720
    0x02,                                   // N_G=2
    0x04, 0x04,                             // TID0 U0 R1, P_DIFF 4
    0x34, 0x01,                             // TID1 U1 R1, P_DIFF 1
    0x9D,
]

@Test func vp9NonFlexibleModeFields() throws {
    let descriptor = try VP9Descriptor.parse(vp9NonFlexibleKeyFrame)
    #expect(descriptor.pictureID == 0x0102)
    #expect(descriptor.pictureIDIs15Bit)
    #expect(!descriptor.isFlexibleMode)
    #expect(descriptor.temporalID == 0)
    #expect(descriptor.spatialID == 0)
    #expect(descriptor.tl0PictureIndex == 7)
    #expect(descriptor.tl0PictureIndexOffset == 4)
    #expect(descriptor.referenceDiffs.isEmpty)
    #expect(descriptor.payloadOffset == 5)
    #expect(descriptor.isBeginningOfFrame && !descriptor.isEndOfFrame)
    #expect(descriptor.isKeyFrame)
}

@Test func vp9FlexibleModeReferenceDiffs() throws {
    let descriptor = try VP9Descriptor.parse(vp9FlexibleInterFrame)
    #expect(descriptor.isFlexibleMode)
    #expect(descriptor.pictureID == 5 && !descriptor.pictureIDIs15Bit)
    #expect(descriptor.temporalID == 2)
    #expect(descriptor.isSwitchingUpPoint)
    #expect(descriptor.spatialID == 0)
    #expect(descriptor.tl0PictureIndex == nil)
    #expect(Array(descriptor.referenceDiffs) == [1, 2])
    #expect(descriptor.payloadOffset == 5)
    #expect(!descriptor.isKeyFrame)
}

@Test(arguments: [
    // Flags byte with only B, E, Z combinations; nothing else follows.
    [UInt8]([0x01, 0x00]), [0x04, 0x00], [0x08, 0x00], [0x0C, 0x00],
])
func vp9MinimalDescriptorFlags(bytes: [UInt8]) throws {
    let descriptor = try VP9Descriptor.parse(bytes)
    #expect(descriptor.isNotReferenceForUpperSpatialLayers == (bytes[0] & 0x01 != 0))
    #expect(descriptor.isEndOfFrame == (bytes[0] & 0x04 != 0))
    #expect(descriptor.isBeginningOfFrame == (bytes[0] & 0x08 != 0))
    #expect(descriptor.pictureID == nil)
    #expect(descriptor.payloadOffset == 1)
}

@Test(arguments: [
    // (flags, layer byte, key frame?)
    (UInt8(0xA8), UInt8(0x00), true),   // P=0 B=1 SID0
    (0xA8, 0x02, false),                // SID1: intra-only layer switch, not a key frame
    (0xE8, 0x00, false),                // P=1
    (0xA0, 0x00, false),                // B=0: not the start of the frame
    (0xA8, 0x41, true),                 // TID2 D=1 still SID0
])
func vp9KeyFrameDetection(flags: UInt8, layer: UInt8, isKey: Bool) throws {
    let descriptor = try VP9Descriptor.parse([flags, 0x10, layer, 0x00, 0x9D])
    #expect(descriptor.isKeyFrame == isKey)
}

@Test func vp9MoreThanThreeReferenceDiffsThrows() {
    #expect(throws: VP9DescriptorError.tooManyReferenceDiffs) {
        try VP9Descriptor.parse([0x50, 0x03, 0x05, 0x07, 0x09, 0x00])
    }
    #expect(throws: VP9DescriptorError.zeroReferenceDiff) {
        try VP9Descriptor.parse([0x50, 0x00, 0x00])
    }
}

@Test func vp9ThreeReferenceDiffsAreAccepted() throws {
    let descriptor = try VP9Descriptor.parse([0x50, 0x03, 0x05, 0x06, 0x00])
    #expect(Array(descriptor.referenceDiffs) == [1, 2, 3])
}

@Test func vp9ScalabilityStructureIsLocatedAndDecoded() throws {
    let descriptor = try VP9Descriptor.parse(vp9KeyFrameWithScalabilityStructure)
    let range = try #require(descriptor.scalabilityStructureRange)
    #expect(range == 2..<20)
    #expect(descriptor.payloadOffset == 20)
    #expect(descriptor.isKeyFrame)
    let structure = try vp9KeyFrameWithScalabilityStructure.withUnsafeBytes { buffer in
        try VP9ScalabilityStructure.parse(buffer, from: range.lowerBound)
    }
    #expect(structure.spatialLayerCount == 3)
    #expect(structure.resolutions == [
        .init(width: 320, height: 180), .init(width: 640, height: 360), .init(width: 1280, height: 720),
    ])
    let group = try #require(structure.pictureGroup)
    #expect(group.count == 2)
    #expect(group[0].temporalID == 0 && !group[0].isSwitchingUpPoint && Array(group[0].referenceDiffs) == [4])
    #expect(group[1].temporalID == 1 && group[1].isSwitchingUpPoint && Array(group[1].referenceDiffs) == [1])
}

@Test func vp9ScalabilityStructureWithoutOptionalParts() throws {
    // V only; N_S=0, Y=0, G=0.
    let bytes: [UInt8] = [0x0A, 0x00, 0x9D]
    let descriptor = try VP9Descriptor.parse(bytes)
    #expect(descriptor.scalabilityStructureRange == 1..<2)
    let structure = try bytes.withUnsafeBytes { try VP9ScalabilityStructure.parse($0, from: 1) }
    #expect(structure == VP9ScalabilityStructure(spatialLayerCount: 1, resolutions: nil, pictureGroup: nil))
}

@Test(arguments: [vp9NonFlexibleKeyFrame, vp9FlexibleInterFrame, vp9KeyFrameWithScalabilityStructure])
func vp9EveryTruncationOfTheDescriptorThrows(packet: [UInt8]) throws {
    let payloadOffset = try VP9Descriptor.parse(packet).payloadOffset
    for length in 0..<payloadOffset {
        #expect(throws: VP9DescriptorError.self) { try VP9Descriptor.parse(Array(packet.prefix(length))) }
    }
}

@Test(arguments: [
    ([UInt8]([0xA8, 0x05, 0x00, 0x07]), UInt16(0x1FF), UInt16(0x7F), [UInt8]([0xA8, 0x7F, 0x00, 0x07])),
    ([0xA8, 0x81, 0x02, 0x00, 0x07], 0x7ABC, 0x7ABC, [0xA8, 0xFA, 0xBC, 0x00, 0x07]),
])
func vp9PictureIDRewriteKeepsWidth(packet: [UInt8], newID: UInt16, expectedID: UInt16, expectedBytes: [UInt8]) throws {
    var bytes = packet
    let before = try VP9Descriptor.parse(packet)
    _ = try bytes.withUnsafeMutableBytes { try VP9Descriptor.rewrite(in: $0, pictureID: newID) }
    #expect(bytes == expectedBytes)
    let after = try VP9Descriptor.parse(bytes)
    #expect(after.pictureID == expectedID)
    #expect(after.pictureIDIs15Bit == before.pictureIDIs15Bit)
    #expect(after.tl0PictureIndex == before.tl0PictureIndex)
}

@Test func vp9RewriteWithoutPictureIDThrows() {
    var bytes: [UInt8] = [0x08, 0x00]
    #expect(throws: VP9DescriptorError.pictureIDAbsent) {
        try bytes.withUnsafeMutableBytes { _ = try VP9Descriptor.rewrite(in: $0, pictureID: 1) }
    }
}
