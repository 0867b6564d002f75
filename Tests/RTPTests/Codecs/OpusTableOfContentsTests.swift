import Testing
import RTP

struct OpusTOCCase: Sendable, CustomStringConvertible {
    var toc: UInt8
    var mode: OpusTableOfContents.Mode
    var bandwidth: OpusTableOfContents.Bandwidth
    var frameMicroseconds: Int
    var stereo: Bool
    var frameCount: Int
    var description: String { "TOC 0x" + String(toc, radix: 16) }
}

// RFC 6716 Table 2, one row per mode/bandwidth/duration corner.
let opusTOCCases: [OpusTOCCase] = [
    .init(toc: 0x00, mode: .silk, bandwidth: .narrowband, frameMicroseconds: 10_000, stereo: false, frameCount: 1),
    .init(toc: 0x08, mode: .silk, bandwidth: .narrowband, frameMicroseconds: 20_000, stereo: false, frameCount: 1),
    .init(toc: 0x19, mode: .silk, bandwidth: .narrowband, frameMicroseconds: 60_000, stereo: false, frameCount: 2),
    .init(toc: 0x30, mode: .silk, bandwidth: .mediumband, frameMicroseconds: 40_000, stereo: false, frameCount: 1),
    .init(toc: 0x4A, mode: .silk, bandwidth: .wideband, frameMicroseconds: 20_000, stereo: false, frameCount: 2),
    .init(toc: 0x60, mode: .hybrid, bandwidth: .superWideband, frameMicroseconds: 10_000, stereo: false, frameCount: 1),
    .init(toc: 0x68, mode: .hybrid, bandwidth: .superWideband, frameMicroseconds: 20_000, stereo: false, frameCount: 1),
    .init(toc: 0x78, mode: .hybrid, bandwidth: .fullband, frameMicroseconds: 20_000, stereo: false, frameCount: 1),  // Chrome speech
    .init(toc: 0x80, mode: .celt, bandwidth: .narrowband, frameMicroseconds: 2_500, stereo: false, frameCount: 1),
    .init(toc: 0xAD, mode: .celt, bandwidth: .wideband, frameMicroseconds: 5_000, stereo: true, frameCount: 2),
    .init(toc: 0xD0, mode: .celt, bandwidth: .superWideband, frameMicroseconds: 10_000, stereo: false, frameCount: 1),
    .init(toc: 0xFC, mode: .celt, bandwidth: .fullband, frameMicroseconds: 20_000, stereo: true, frameCount: 1),
]

@Test(arguments: opusTOCCases)
func opusTOCDecodesConfiguration(_ testCase: OpusTOCCase) throws {
    let toc = try OpusTableOfContents.parse([testCase.toc, 0x00, 0x00])
    #expect(toc.mode == testCase.mode)
    #expect(toc.bandwidth == testCase.bandwidth)
    #expect(toc.frameDurationMicroseconds == testCase.frameMicroseconds)
    #expect(toc.isStereo == testCase.stereo)
    #expect(toc.frameCount == testCase.frameCount)
    #expect(toc.configuration == testCase.toc >> 3)
    #expect(toc.frameCountCode == testCase.toc & 0x03)
}

@Test func opusCode3ReadsFrameCount() throws {
    let toc = try OpusTableOfContents.parse([0x7B, 0x03, 0x00, 0x00])
    #expect(toc.frameCount == 3)
    #expect(toc.packetDurationMicroseconds == 60_000)
}

@Test(arguments: [
    ([UInt8](), OpusPacketError.truncated(needed: 1, available: 0)),
    ([0x7B], .truncated(needed: 2, available: 1)),
    ([0x7B, 0x00], .zeroFrameCount),
    ([0x7B, 0x07], .durationTooLong(microseconds: 140_000)),
])
func opusMalformedPacketsThrow(bytes: [UInt8], error: OpusPacketError) {
    #expect(throws: error) { try OpusTableOfContents.parse(bytes) }
}

@Test(arguments: [(1, true), (2, true), (3, false), (60, false)])
func opusDTXHeuristicIsPacketSize(length: Int, isDTX: Bool) throws {
    let bytes = [UInt8(0x78)] + [UInt8](repeating: 0x00, count: length - 1)
    #expect(try OpusTableOfContents.parse(bytes).isLikelyDTX == isDTX)
}
