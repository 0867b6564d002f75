import Testing
import RTP

@Test(arguments: [
    // (aggregation header, Z, Y, W, N)
    (UInt8(0x00), false, false, UInt8(0), false),
    (0x18, false, false, 1, true),      // key frame: one OBU element, new coded video sequence
    (0x28, false, false, 2, true),
    (0x80, true, false, 0, false),      // continuation of a fragmented OBU
    (0x40, false, true, 0, false),      // continues in next packet
    (0xF0, true, true, 3, false),
    (0x07, false, false, 0, false),     // reserved bits are ignored
])
func av1AggregationHeaderBits(header: UInt8, z: Bool, y: Bool, w: UInt8, n: Bool) throws {
    let descriptor = try AV1PayloadDescriptor.parse([header, 0x30])
    #expect(descriptor.continuesPreviousOBU == z)
    #expect(descriptor.continuesInNextPacket == y)
    #expect(descriptor.obuElementCount == w)
    #expect(descriptor.startsNewCodedVideoSequence == n)
    #expect(descriptor.isKeyFrame == n)
    #expect(descriptor.payloadOffset == 1)
}

@Test func av1RejectsTooShortAndContradictoryHeaders() {
    #expect(throws: AV1PayloadError.truncated(needed: 2, available: 0)) { try AV1PayloadDescriptor.parse([]) }
    #expect(throws: AV1PayloadError.truncated(needed: 2, available: 1)) { try AV1PayloadDescriptor.parse([0x18]) }
    #expect(throws: AV1PayloadError.newSequenceOnContinuation) { try AV1PayloadDescriptor.parse([0x88, 0x30]) }
}

private func av1Elements(_ bytes: [UInt8]) throws -> [AV1OBUElement] {
    try bytes.withUnsafeBytes { buffer in
        let descriptor = try AV1PayloadDescriptor.parse(buffer)
        var iterator = descriptor.obuElements()
        var elements: [AV1OBUElement] = []
        while let element = try iterator.next(in: buffer) { elements.append(element) }
        return elements
    }
}

@Test func av1ElementsWithLengthFieldsWhenWIsZero() throws {
    // N=1 W=0: sequence header OBU (3 bytes), frame OBU with extension (TID2 SID1, 3 bytes).
    let packet: [UInt8] = [0x08, 0x03, 0x08, 0xAA, 0xBB, 0x03, 0x34, 0x48, 0xCC]
    let elements = try av1Elements(packet)
    #expect(elements.map(\.range) == [2..<5, 6..<9])
    #expect(elements.map(\.obuType) == [1, 6])
    #expect(elements[0].obuExtension == nil)
    #expect(elements[1].temporalID == 2)
    #expect(elements[1].spatialID == 1)
}

@Test func av1LastElementHasNoLengthWhenWIsSet() throws {
    // W=2: first element with length, last runs to the end.
    let elements = try av1Elements([0x20, 0x02, 0x08, 0xAA, 0x30, 0x01, 0x02, 0x03])
    #expect(elements.map(\.range) == [2..<4, 4..<8])
    #expect(elements.map(\.obuType) == [1, 6])
}

@Test func av1ContinuationElementHasNoOBUHeader() throws {
    let elements = try av1Elements([0x90, 0x11, 0x22])
    #expect(elements.count == 1)
    #expect(elements[0].obuHeader == nil)
    #expect(elements[0].range == 1..<3)
}

@Test func av1MultiByteLEB128Length() throws {
    var packet: [UInt8] = [0x00, 0x80, 0x01]
    packet += [0x30] + [UInt8](repeating: 0xEE, count: 127)
    let elements = try av1Elements(packet)
    #expect(elements.map(\.range) == [3..<131])
}

@Test(arguments: [
    // (packet, error)
    ([UInt8]([0x00, 0x05, 0x30, 0x00]), AV1PayloadError.elementOverrun(offset: 1, length: 5)),
    ([0x00, 0x80, 0x80], .truncated(needed: 4, available: 3)),
    ([0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], .invalidLEB128(offset: 1)),
    ([0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], .invalidLEB128(offset: 1)),   // > 2^32 - 1
    ([0x30, 0x01, 0x08, 0x01, 0x08], .truncated(needed: 6, available: 5)), // W=3, only 2 elements
])
func av1MalformedElementsThrow(packet: [UInt8], error: AV1PayloadError) {
    #expect(throws: error) { _ = try av1Elements(packet) }
}

@Test func av1EveryTruncationWithLengthFieldsThrowsOrEndsOnABoundary() throws {
    let packet: [UInt8] = [0x08, 0x03, 0x08, 0xAA, 0xBB, 0x03, 0x34, 0x48, 0xCC]
    // Cutting exactly after the first element (length 5) leaves one whole element; other cuts
    // land inside an element or its length and must throw.
    for length in 0..<packet.count where length != 5 {
        #expect(throws: AV1PayloadError.self) { _ = try av1Elements(Array(packet.prefix(length))) }
    }
}
