import RTP
import SFU
import Testing

/// One VP8 frame offered to the picture id rewriter and what it should become.
struct PictureStep: Sendable {
    var ssrc: UInt32 = 0xA
    var pictureID: UInt16
    var tl0: UInt8
    var forward = true
    /// Expected (picture id, TL0PICIDX), or nil when the packet must be dropped.
    var expected: (UInt16, UInt8)?
}

struct PictureScenario: Sendable, CustomStringConvertible {
    var description: String
    var steps: [PictureStep]
}

private func frame(_ pictureID: UInt16, tl0: UInt8, ssrc: UInt32 = 0xA, forward: Bool = true,
                   expect expected: (UInt16, UInt8)?) -> PictureStep {
    PictureStep(ssrc: ssrc, pictureID: pictureID, tl0: tl0, forward: forward, expected: expected)
}

let pictureScenarios: [PictureScenario] = [
    .init(description: "dropped TID 2 frames are skipped without a gap", steps: [
        // TIDs 0,2,1,2,0: the TID 2 frames are dropped.
        frame(10, tl0: 5, expect: (10, 5)), frame(11, tl0: 5, forward: false, expect: nil),
        frame(12, tl0: 5, expect: (11, 5)), frame(13, tl0: 5, forward: false, expect: nil),
        frame(14, tl0: 6, expect: (12, 6)),
    ]),
    .init(description: "dropped base-layer frames do not advance TL0PICIDX", steps: [
        frame(10, tl0: 5, expect: (10, 5)), frame(11, tl0: 6, forward: false, expect: nil),
        frame(12, tl0: 7, forward: false, expect: nil), frame(13, tl0: 8, expect: (11, 6)),
    ]),
    .init(description: "a frame lost upstream stays a gap", steps: [
        frame(10, tl0: 5, expect: (10, 5)), frame(12, tl0: 5, expect: (12, 5)),
    ]),
    .init(description: "switch continues at last + 1", steps: [
        frame(10, tl0: 5, expect: (10, 5)), frame(11, tl0: 5, expect: (11, 5)),
        frame(900, tl0: 77, ssrc: 0xB, forward: false, expect: nil),
        frame(901, tl0: 78, ssrc: 0xB, expect: (12, 6)), frame(902, tl0: 78, ssrc: 0xB, expect: (13, 6)),
        // A late frame of the old source, not selected, changes nothing.
        frame(12, tl0: 5, forward: false, expect: nil),
        frame(903, tl0: 79, ssrc: 0xB, expect: (14, 7)),
    ]),
    .init(description: "picture id wraps at 0x7FFF", steps: [
        frame(0x7FFE, tl0: 255, expect: (0x7FFE, 255)), frame(0x7FFF, tl0: 255, forward: false, expect: nil),
        frame(0, tl0: 0, expect: (0x7FFF, 0)), frame(1, tl0: 0, expect: (0, 0)),
    ]),
    .init(description: "late packets map like their frame", steps: [
        frame(10, tl0: 5, expect: (10, 5)), frame(11, tl0: 5, forward: false, expect: nil),
        frame(13, tl0: 6, expect: (12, 6)),  // 12 lost so far: held open at 11
        frame(12, tl0: 5, expect: (11, 5)),  // arrives late: its held id
        frame(11, tl0: 5, forward: true, expect: nil),  // the dropped frame stays dropped
        frame(13, tl0: 6, expect: (12, 6)),  // retransmission
    ]),
]

@Test(arguments: pictureScenarios)
func pictureIDsStayContinuous(_ scenario: PictureScenario) {
    var rewriter = VP8PictureIDRewriter()
    for (index, input) in scenario.steps.enumerated() {
        let result = rewriter.map(sourceSSRC: input.ssrc, pictureID: input.pictureID, tl0PictureIndex: input.tl0,
                                  forward: input.forward)
        if let (pictureID, tl0) = input.expected {
            #expect(result == VP8PictureIDMapping(pictureID: pictureID, tl0PictureIndex: tl0), "step \(index)")
        } else {
            #expect(result == nil, "step \(index)")
        }
    }
}

@Test func sevenBitPictureIDsUnwrapAtTheirOwnWidth() {
    var rewriter = VP8PictureIDRewriter()
    var outputs: [UInt16?] = []
    for pictureID: UInt16 in [126, 127, 0, 1] {
        outputs.append(rewriter.map(sourceSSRC: 1, pictureID: pictureID, pictureIDIs15Bit: false, tl0PictureIndex: nil,
                                    forward: true)?.pictureID)
    }
    // Output counts on in 15 bits; the 7-bit field on the wire takes it modulo 128.
    #expect(outputs == [126, 127, 128, 129])
}

@Test func rewriteWritesPictureIDAndTL0InPlace() throws {
    var rewriter = VP8PictureIDRewriter()
    func payload(_ pictureID: UInt16, tl0: UInt8) -> [UInt8] {
        SimulcastPublisherModel.vp8Payload(start: true, pictureID: pictureID, tl0: tl0, temporalID: 0,
                                           layerSync: false, keyFrame: true, tag: [0xEE])
    }
    var first = payload(0x1234, tl0: 9)
    _ = try first.withUnsafeMutableBytes { try rewriter.rewrite(in: $0, sourceSSRC: 1, forward: true) }
    var switched = payload(0x0042, tl0: 200)
    let original = switched
    let mapping = try switched.withUnsafeMutableBytes { try rewriter.rewrite(in: $0, sourceSSRC: 2, forward: true) }
    #expect(mapping == VP8PictureIDMapping(pictureID: 0x1235, tl0PictureIndex: 10))
    let parsed = try VP8Descriptor.parse(switched)
    #expect(parsed.pictureID == 0x1235)
    #expect(parsed.tl0PictureIndex == 10)
    #expect(parsed.temporalLayerID == 0 && parsed.isKeyFrame)
    #expect(switched[5...] == original[5...])

    var dropped = payload(0x0043, tl0: 200)
    let before = dropped
    #expect(try dropped.withUnsafeMutableBytes { try rewriter.rewrite(in: $0, sourceSSRC: 2, forward: false) } == nil)
    #expect(dropped == before)
}

@Test func rewriteRejectsTruncatedDescriptors() {
    let bytes = SimulcastPublisherModel.vp8Payload(start: true, pictureID: 1, tl0: 1, temporalID: 0, layerSync: false,
                                                   keyFrame: true, tag: [])
    for length in 0..<bytes.count {
        var rewriter = VP8PictureIDRewriter()
        var truncated = Array(bytes.prefix(length))
        #expect(throws: VP8DescriptorError.self) {
            _ = try truncated.withUnsafeMutableBytes { try rewriter.rewrite(in: $0, sourceSSRC: 1, forward: true) }
        }
    }
}
