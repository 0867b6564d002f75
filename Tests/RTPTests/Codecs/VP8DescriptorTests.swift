import Testing
import RTP

/// One expected decoding of a hand-built VP8 payload (RFC 7741 §4.2 layouts).
struct VP8DescriptorCase: Sendable, CustomStringConvertible {
    var name: String
    var bytes: [UInt8]
    var pictureID: UInt16?
    var pictureIDIs15Bit: Bool = false
    var tl0PictureIndex: UInt8?
    var temporalLayerID: UInt8?
    var isLayerSync: Bool = false
    var keyIndex: UInt8?
    var payloadOffset: Int
    var description: String { name }
}

let vp8DescriptorCases: [VP8DescriptorCase] = [
    .init(name: "no extension", bytes: [0x10, 0x10], payloadOffset: 1),
    .init(name: "7-bit picture id", bytes: [0x90, 0x80, 0x7F, 0x10], pictureID: 127, payloadOffset: 3),
    .init(name: "15-bit picture id", bytes: [0x90, 0x80, 0x81, 0x23, 0x10], pictureID: 0x0123,
          pictureIDIs15Bit: true, payloadOffset: 4),
    .init(name: "TL0PICIDX only", bytes: [0x90, 0x40, 0x05, 0x10], tl0PictureIndex: 5, payloadOffset: 3),
    .init(name: "TID and Y", bytes: [0x90, 0x20, 0xA0, 0x10], temporalLayerID: 2, isLayerSync: true, payloadOffset: 3),
    .init(name: "KEYIDX only", bytes: [0x90, 0x10, 0x1F, 0x10], keyIndex: 31, payloadOffset: 3),
    // Chrome simulcast shape: I, L, T with a 15-bit picture id.
    .init(name: "I L T K", bytes: [0x90, 0xF0, 0xFF, 0xFF, 0x07, 0x7E, 0x10], pictureID: 0x7FFF,
          pictureIDIs15Bit: true, tl0PictureIndex: 7, temporalLayerID: 1, isLayerSync: true, keyIndex: 30,
          payloadOffset: 6),
]

@Test(arguments: vp8DescriptorCases)
func vp8DescriptorFieldsAreDecoded(_ testCase: VP8DescriptorCase) throws {
    let descriptor = try VP8Descriptor.parse(testCase.bytes)
    #expect(descriptor.pictureID == testCase.pictureID)
    #expect(descriptor.pictureIDIs15Bit == testCase.pictureIDIs15Bit)
    #expect(descriptor.tl0PictureIndex == testCase.tl0PictureIndex)
    #expect(descriptor.temporalLayerID == testCase.temporalLayerID)
    #expect(descriptor.isLayerSync == testCase.isLayerSync)
    #expect(descriptor.keyIndex == testCase.keyIndex)
    #expect(descriptor.payloadOffset == testCase.payloadOffset)
    #expect(descriptor.isStartOfFrame)
    #expect(descriptor.isKeyFrame)
}

@Test(arguments: vp8DescriptorCases)
func vp8EveryTruncationThrows(_ testCase: VP8DescriptorCase) {
    for length in 0..<testCase.bytes.count {
        #expect(throws: VP8DescriptorError.self) { try VP8Descriptor.parse(Array(testCase.bytes.prefix(length))) }
    }
}

@Test func vp8TruncationReportsNeededLength() {
    #expect(throws: VP8DescriptorError.truncated(needed: 4, available: 3)) {
        try VP8Descriptor.parse([0x90, 0x80, 0x81])
    }
}

@Test(arguments: [
    // (first descriptor byte, first payload byte, key frame?)
    (UInt8(0x10), UInt8(0x10), true),   // S=1 PID=0, P=0
    (0x10, 0x11, false),                // P=1: inter frame
    (0x00, 0x10, false),                // S=0: continuation of partition
    (0x11, 0x10, false),                // PID=1: not the first partition
    (0x30, 0x10, true),                 // N=1 does not affect key-frame detection
])
func vp8KeyFrameDetection(descriptorByte: UInt8, payloadByte: UInt8, isKey: Bool) throws {
    let descriptor = try VP8Descriptor.parse([descriptorByte, payloadByte])
    #expect(descriptor.isKeyFrame == isKey)
}

@Test func vp8NonReferenceAndPartitionIndex() throws {
    let descriptor = try VP8Descriptor.parse([0x25, 0x00])
    #expect(descriptor.isNonReferenceFrame)
    #expect(!descriptor.isStartOfPartition)
    #expect(descriptor.partitionIndex == 5)
}

@Test(arguments: [
    // (packet, new picture id, expected picture id after rewrite, expected bytes)
    ([UInt8]([0x90, 0xC0, 0x05, 0x09, 0x10]), UInt16(300), UInt16(300 & 0x7F), [UInt8]([0x90, 0xC0, 0x2C, 0x09, 0x10])),
    ([0x90, 0xC0, 0x81, 0x23, 0x09, 0x10], 0x1234, 0x1234, [0x90, 0xC0, 0x92, 0x34, 0x09, 0x10]),
    ([0x90, 0xC0, 0x81, 0x23, 0x09, 0x10], 0x8001, 0x0001, [0x90, 0xC0, 0x80, 0x01, 0x09, 0x10]),
])
func vp8PictureIDRewriteKeepsWidth(packet: [UInt8], newID: UInt16, expectedID: UInt16, expectedBytes: [UInt8]) throws {
    var bytes = packet
    let before = try VP8Descriptor.parse(packet)
    let rewritten = try bytes.withUnsafeMutableBytes { buffer in
        try VP8Descriptor.rewrite(in: buffer, pictureID: newID)
    }
    #expect(bytes == expectedBytes)
    #expect(rewritten.pictureID == expectedID)
    let after = try VP8Descriptor.parse(bytes)
    #expect(after.pictureID == expectedID)
    #expect(after.pictureIDIs15Bit == before.pictureIDIs15Bit)
    #expect(after.payloadOffset == before.payloadOffset)
    #expect(after.tl0PictureIndex == before.tl0PictureIndex)
}

@Test func vp8TL0PictureIndexRewrite() throws {
    var bytes: [UInt8] = [0x90, 0xC0, 0x81, 0x23, 0x09, 0x10]
    try bytes.withUnsafeMutableBytes { buffer in
        _ = try VP8Descriptor.rewrite(in: buffer, tl0PictureIndex: 0xAB)
    }
    #expect(bytes == [0x90, 0xC0, 0x81, 0x23, 0xAB, 0x10])
    #expect(try VP8Descriptor.parse(bytes).tl0PictureIndex == 0xAB)
}

@Test func vp8RewriteOfAbsentFieldThrows() {
    var bytes: [UInt8] = [0x10, 0x10]
    #expect(throws: VP8DescriptorError.pictureIDAbsent) {
        try bytes.withUnsafeMutableBytes { buffer in _ = try VP8Descriptor.rewrite(in: buffer, pictureID: 1) }
    }
    #expect(throws: VP8DescriptorError.tl0PictureIndexAbsent) {
        try bytes.withUnsafeMutableBytes { buffer in _ = try VP8Descriptor.rewrite(in: buffer, tl0PictureIndex: 1) }
    }
    #expect(bytes == [0x10, 0x10])
}
