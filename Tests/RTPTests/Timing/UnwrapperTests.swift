import RTP
import Testing

@Test func sequenceNumbersUnwrapAcrossTheWrap() {
    var unwrapper = SequenceNumberUnwrapper()
    let input: [UInt16] = [65533, 65534, 65535, 0, 1, 2]
    #expect(input.map { unwrapper.unwrap($0) } == [65533, 65534, 65535, 65536, 65537, 65538])
}

@Test func reorderedOlderPacketsMapBelowNewerOnesAroundTheWrap() {
    var unwrapper = SequenceNumberUnwrapper()
    let input: [UInt16] = [65534, 0, 65535, 65533, 2, 1, 3]
    #expect(input.map { unwrapper.unwrap($0) } == [65534, 65536, 65535, 65533, 65538, 65537, 65539])
    #expect(unwrapper.lastUnwrapped == 65539)
}

@Test func manyWrapsKeepCounting() {
    var unwrapper = SequenceNumberUnwrapper()
    var sequence: UInt16 = 40000
    var last: Int64 = 0
    for _ in 0..<300_000 {
        last = unwrapper.unwrap(sequence)
        sequence &+= 1
    }
    #expect(last == 40000 + 299_999)
}

@Test func olderThanFirstGoesNegativeAndPeekDoesNotMove() {
    var unwrapper = SequenceNumberUnwrapper()
    #expect(unwrapper.peek(5) == 5)
    #expect(unwrapper.unwrap(2) == 2)
    #expect(unwrapper.peek(65535) == -1)
    #expect(unwrapper.lastUnwrapped == 2)
    #expect(unwrapper.unwrap(65535) == -1)
}

@Test func timestampsUnwrapAcrossTheWrapWithReordering() {
    var unwrapper = TimestampUnwrapper()
    let base = Int64(UInt32.max) - 2999
    #expect(unwrapper.unwrap(UInt32.max - 2999) == base)
    #expect(unwrapper.unwrap(2000) == base + 5000)
    #expect(unwrapper.unwrap(UInt32.max - 100) == base + 2899)
    #expect(unwrapper.unwrap(5000) == base + 8000)
}
