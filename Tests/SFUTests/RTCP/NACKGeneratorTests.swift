import RTP
import SFU
import Testing

private let millisecond: Int64 = 1_000

@Test func inOrderPacketsProduceNoNACK() {
    var generator = NACKGenerator()
    #expect(generator.received(sequenceNumber: 1, nowMicroseconds: 0) == .first)
    for sequenceNumber: UInt16 in 2...50 {
        #expect(generator.received(sequenceNumber: sequenceNumber, nowMicroseconds: 0) == .inOrder)
    }
    #expect(generator.poll(nowMicroseconds: 100 * millisecond, roundTripTimeMicroseconds: 50 * millisecond).isEmpty)
}

@Test func aGapIsNACKedAndPacksIntoOnePIDBLPPair() throws {
    var generator = NACKGenerator()
    generator.received(sequenceNumber: 1, nowMicroseconds: 0)
    generator.received(sequenceNumber: 2, nowMicroseconds: 0)
    #expect(generator.received(sequenceNumber: 5, nowMicroseconds: 0) == .gap(missing: 2))
    let lost = generator.poll(nowMicroseconds: 1 * millisecond, roundTripTimeMicroseconds: 50 * millisecond)
    #expect(lost == [3, 4])
    #expect(RTCPGenericNACK.pairs(packing: lost) == [RTCPNACKPair(packetID: 3, bitmaskOfLostPackets: 0x0001)])
}

@Test func repeatsWaitForOneRoundTrip() {
    var generator = NACKGenerator()
    generator.received(sequenceNumber: 10, nowMicroseconds: 0)
    generator.received(sequenceNumber: 12, nowMicroseconds: 0)
    let rtt = 80 * millisecond
    #expect(generator.poll(nowMicroseconds: 0, roundTripTimeMicroseconds: rtt) == [11])
    #expect(generator.poll(nowMicroseconds: 40 * millisecond, roundTripTimeMicroseconds: rtt).isEmpty)
    #expect(generator.poll(nowMicroseconds: 79 * millisecond, roundTripTimeMicroseconds: rtt).isEmpty)
    #expect(generator.poll(nowMicroseconds: 80 * millisecond, roundTripTimeMicroseconds: rtt) == [11])
    // The next repeat counts from the last request, not from detection.
    #expect(generator.poll(nowMicroseconds: 150 * millisecond, roundTripTimeMicroseconds: rtt).isEmpty)
    #expect(generator.poll(nowMicroseconds: 160 * millisecond, roundTripTimeMicroseconds: rtt) == [11])
}

@Test func aTinyRoundTripIsFlooredByTheMinimumInterval() {
    var generator = NACKGenerator(configuration: .init(minimumIntervalMicroseconds: 5 * millisecond))
    generator.received(sequenceNumber: 10, nowMicroseconds: 0)
    generator.received(sequenceNumber: 12, nowMicroseconds: 0)
    #expect(generator.poll(nowMicroseconds: 0, roundTripTimeMicroseconds: 0) == [11])
    #expect(generator.poll(nowMicroseconds: 4 * millisecond, roundTripTimeMicroseconds: 0).isEmpty)
    #expect(generator.poll(nowMicroseconds: 5 * millisecond, roundTripTimeMicroseconds: 0) == [11])
}

@Test func aRetransmittedPacketIsNoLongerNACKed() {
    var generator = NACKGenerator()
    generator.received(sequenceNumber: 100, nowMicroseconds: 0)
    generator.received(sequenceNumber: 104, nowMicroseconds: 0)
    #expect(generator.poll(nowMicroseconds: 0, roundTripTimeMicroseconds: 20 * millisecond) == [101, 102, 103])
    #expect(generator.received(sequenceNumber: 102, nowMicroseconds: 10 * millisecond) == .recovered)
    #expect(generator.missingSequenceNumbers == [101, 103])
    #expect(generator.poll(nowMicroseconds: 20 * millisecond, roundTripTimeMicroseconds: 20 * millisecond) == [101, 103])
    // A second copy is just a duplicate.
    #expect(generator.received(sequenceNumber: 102, nowMicroseconds: 21 * millisecond) == .duplicateOrStale)
}

@Test func reorderingWithinTheInitialDelayIsNeverNACKed() {
    var generator = NACKGenerator(configuration: .init(initialDelayMicroseconds: 20 * millisecond))
    generator.received(sequenceNumber: 10, nowMicroseconds: 0)
    generator.received(sequenceNumber: 12, nowMicroseconds: 1 * millisecond)
    #expect(generator.poll(nowMicroseconds: 10 * millisecond, roundTripTimeMicroseconds: 50 * millisecond).isEmpty)
    #expect(generator.received(sequenceNumber: 11, nowMicroseconds: 12 * millisecond) == .recovered)
    generator.received(sequenceNumber: 14, nowMicroseconds: 13 * millisecond)
    #expect(generator.poll(nowMicroseconds: 30 * millisecond, roundTripTimeMicroseconds: 50 * millisecond).isEmpty)
    #expect(generator.poll(nowMicroseconds: 33 * millisecond, roundTripTimeMicroseconds: 50 * millisecond) == [13])
}

@Test func aPacketIsNACKedAtMostMaximumRequestsTimes() {
    var generator = NACKGenerator(configuration: .init(maximumRequests: 3))
    generator.received(sequenceNumber: 1, nowMicroseconds: 0)
    generator.received(sequenceNumber: 3, nowMicroseconds: 0)
    var requests = 0
    for step in Int64(0)..<10 {
        requests += generator.poll(nowMicroseconds: step * 30 * millisecond, roundTripTimeMicroseconds: 30 * millisecond).count
    }
    #expect(requests == 3)
    #expect(generator.missingCount == 0)
}

@Test func missingPacketsAgeOut() {
    var generator = NACKGenerator(configuration: .init(maximumAgeMicroseconds: 100 * millisecond))
    generator.received(sequenceNumber: 1, nowMicroseconds: 0)
    generator.received(sequenceNumber: 3, nowMicroseconds: 0)
    #expect(generator.poll(nowMicroseconds: 100 * millisecond, roundTripTimeMicroseconds: 10 * millisecond) == [2])
    #expect(generator.poll(nowMicroseconds: 101 * millisecond, roundTripTimeMicroseconds: 0).isEmpty)
    #expect(generator.missingCount == 0)
}

@Test func gapsAcrossTheWrapAreDetected() {
    var generator = NACKGenerator()
    generator.received(sequenceNumber: 65533, nowMicroseconds: 0)
    generator.received(sequenceNumber: 65534, nowMicroseconds: 0)
    #expect(generator.received(sequenceNumber: 1, nowMicroseconds: 0) == .gap(missing: 2))
    let lost = generator.poll(nowMicroseconds: 0, roundTripTimeMicroseconds: 0)
    #expect(lost == [65535, 0])
    #expect(RTCPGenericNACK.pairs(packing: lost) == [RTCPNACKPair(packetID: 65535, bitmaskOfLostPackets: 0x0001)])
    #expect(generator.received(sequenceNumber: 65535, nowMicroseconds: 0) == .recovered)
    #expect(generator.missingSequenceNumbers == [0])
}

@Test func theMissingListDropsItsOldestEntriesWhenFull() {
    var generator = NACKGenerator(configuration: .init(maximumMissing: 10))
    generator.received(sequenceNumber: 0, nowMicroseconds: 0)
    generator.received(sequenceNumber: 8, nowMicroseconds: 0) // 1...7 missing
    generator.received(sequenceNumber: 14, nowMicroseconds: 0) // 9...13 missing: 12 > 10
    #expect(generator.missingSequenceNumbers == [3, 4, 5, 6, 7, 9, 10, 11, 12, 13])
}

@Test func aGapLargerThanTheListAsksForAKeyFrame() {
    var generator = NACKGenerator(configuration: .init(maximumMissing: 100))
    generator.received(sequenceNumber: 0, nowMicroseconds: 0)
    generator.received(sequenceNumber: 2, nowMicroseconds: 0)
    #expect(generator.received(sequenceNumber: 103, nowMicroseconds: 0) == .gap(missing: 100))
    #expect(generator.missingCount == 100) // 1 was dropped to make room
    #expect(generator.received(sequenceNumber: 205, nowMicroseconds: 0) == .keyFrameRequired)
    #expect(generator.missingCount == 0)
    #expect(generator.received(sequenceNumber: 206, nowMicroseconds: 0) == .inOrder)
    #expect(generator.poll(nowMicroseconds: 0, roundTripTimeMicroseconds: 0).isEmpty)
}

@Test func olderMissingPacketsCanBeDroppedAfterAKeyFrame() {
    var generator = NACKGenerator()
    generator.received(sequenceNumber: 0, nowMicroseconds: 0)
    generator.received(sequenceNumber: 10, nowMicroseconds: 0)
    generator.removeMissing(olderThan: 7)
    #expect(generator.missingSequenceNumbers == [7, 8, 9])
}

@Test func pollAppendsToAReusedArray() {
    var generator = NACKGenerator()
    generator.received(sequenceNumber: 0, nowMicroseconds: 0)
    generator.received(sequenceNumber: 2, nowMicroseconds: 0)
    var output: [UInt16] = [999]
    generator.poll(nowMicroseconds: 0, roundTripTimeMicroseconds: 0, into: &output)
    #expect(output == [999, 1])
}
