import Testing
import RTP

/// STAP-A as Chrome sends before an IDR: SPS (Constrained Baseline 3.1), PPS.
let h264STAPASPSAndPPS: [UInt8] = [
    0x78,
    0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F,
    0x00, 0x04, 0x68, 0xCE, 0x3C, 0x80,
]

@Test(arguments: [
    // (payload, key frame?, IDR?, SPS?, PPS?)
    ([UInt8]([0x65, 0x88, 0x84]), true, true, false, false),          // single IDR
    ([0x41, 0x9A, 0x02], false, false, false, false),                  // single non-IDR slice
    ([0x67, 0x42, 0xC0, 0x1F], false, false, true, false),             // SPS alone
    ([0x68, 0xCE, 0x3C, 0x80], false, false, false, true),             // PPS alone
    (h264STAPASPSAndPPS, true, false, true, true),                     // STAP-A SPS+PPS
    ([0x78, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F], false, false, true, false), // STAP-A SPS only
    ([0x78, 0x00, 0x02, 0x09, 0xF0, 0x00, 0x02, 0x65, 0x88], true, true, false, false), // AUD + IDR
    ([0x7C, 0x85, 0x88, 0x84], true, true, false, false),              // FU-A start of IDR
    ([0x7C, 0x05, 0x88, 0x84], false, false, false, false),            // FU-A middle of IDR
    ([0x7C, 0x45, 0x88, 0x84], false, false, false, false),            // FU-A end of IDR
    ([0x5C, 0x81, 0x9A, 0x02], false, false, false, false),            // FU-A start of non-IDR
])
func h264KeyFrameDetection(payload: [UInt8], isKey: Bool, idr: Bool, sps: Bool, pps: Bool) throws {
    let descriptor = try H264PayloadDescriptor.parse(payload)
    #expect(descriptor.isKeyFrame == isKey)
    #expect(descriptor.containsIDR == idr)
    #expect(descriptor.containsSPS == sps)
    #expect(descriptor.containsPPS == pps)
}

@Test func h264PacketizationModes() throws {
    #expect(try H264PayloadDescriptor.parse([0x65, 0x88]).packetization == .singleNALUnit(type: 5))
    #expect(try H264PayloadDescriptor.parse(h264STAPASPSAndPPS).packetization == .stapA(nalUnitCount: 2))
    let fragment = try H264PayloadDescriptor.parse([0x7C, 0x85, 0x88])
    #expect(fragment.packetization == .fuA(type: 5, isStart: true, isEnd: false))
    #expect(fragment.reassembledNALHeader == 0x65)
    #expect(try H264PayloadDescriptor.parse([0x7C, 0x45, 0x88]).packetization == .fuA(type: 5, isStart: false, isEnd: true))
}

@Test func h264STAPAIteratorYieldsEachNALUnitRange() throws {
    var units: [H264NALUnit] = []
    try h264STAPASPSAndPPS.withUnsafeBytes { buffer in
        var iterator = H264STAPAIterator()
        while let unit = try iterator.next(in: buffer) { units.append(unit) }
    }
    #expect(units == [H264NALUnit(header: 0x67, range: 3..<7), H264NALUnit(header: 0x68, range: 9..<13)])
    #expect(units.map(\.type) == [7, 8])
    #expect(units[0].nalReferenceIndicator == 3)
}

@Test(arguments: [
    // (payload, expected error)
    ([UInt8]([0x78, 0x00, 0x05, 0x67, 0x42, 0xC0, 0x1F]), H264PayloadError.invalidAggregationUnitSize(offset: 1, size: 5)),
    ([0x78, 0x00, 0x00, 0x67], .invalidAggregationUnitSize(offset: 1, size: 0)),
    ([0x78, 0x00, 0x01, 0x67, 0x00], .truncated(needed: 6, available: 5)),
    ([0x78, 0xFF, 0xFF, 0x67], .invalidAggregationUnitSize(offset: 1, size: 0xFFFF)),
    ([0x78], .emptyAggregation),
    ([0x78, 0x00, 0x01, 0x78], .invalidInnerNALUnitType(24)),
])
func h264STAPAWithBadLengthsThrows(payload: [UInt8], error: H264PayloadError) {
    #expect(throws: error) { try H264PayloadDescriptor.parse(payload) }
}

@Test func h264EveryTruncationOfSTAPAThrows() {
    // Cutting inside the last unit or its size field must throw; cutting exactly after the first
    // unit (length 7) leaves a valid one-unit STAP-A.
    for length in 0..<h264STAPASPSAndPPS.count where length != 7 {
        #expect(throws: H264PayloadError.self) { try H264PayloadDescriptor.parse(Array(h264STAPASPSAndPPS.prefix(length))) }
    }
}

@Test(arguments: [
    ([UInt8]([]), H264PayloadError.truncated(needed: 1, available: 0)),
    ([0x7C, 0x85], .truncated(needed: 3, available: 2)),
    ([0x7C, 0xC5, 0x00], .fragmentStartAndEnd),
    ([0x7C, 0x98, 0x00], .invalidInnerNALUnitType(24)),
    ([0x00, 0x00], .undefinedNALUnitType(0)),
    ([0x1E, 0x00], .undefinedNALUnitType(30)),
    ([0x1F, 0x00], .undefinedNALUnitType(31)),
    ([0x19, 0x00], .unsupportedPacketization(25)),
    ([0x1A, 0x00], .unsupportedPacketization(26)),
    ([0x1B, 0x00], .unsupportedPacketization(27)),
    ([0x1D, 0x00], .unsupportedPacketization(29)),
])
func h264MalformedPayloadsThrow(payload: [UInt8], error: H264PayloadError) {
    #expect(throws: error) { try H264PayloadDescriptor.parse(payload) }
}

@Test func h264ForbiddenBitIsReported() throws {
    #expect(try H264PayloadDescriptor.parse([0xE5, 0x00]).forbiddenBitSet)
    #expect(try !H264PayloadDescriptor.parse([0x65, 0x00]).forbiddenBitSet)
}
