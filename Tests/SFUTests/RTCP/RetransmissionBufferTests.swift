import RTP
import SFU
import Testing

/// A fake packet whose bytes encode its sequence number, so a wrong slot is visible.
private func fakePacket(_ sequenceNumber: UInt16, length: Int = 20) -> [UInt8] {
    var bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: sequenceNumber), count: length)
    bytes[0] = 0x80
    bytes[2] = UInt8(sequenceNumber >> 8)
    bytes[3] = UInt8(truncatingIfNeeded: sequenceNumber)
    return bytes
}

@Test func storedPacketIsReturnedWithItsBytesAndSendTime() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    try buffer.store(fakePacket(7, length: 33), sequenceNumber: 7, sendTimeMicroseconds: 1_000)
    try buffer.store(fakePacket(8, length: 40), sequenceNumber: 8, sendTimeMicroseconds: 2_000)
    let entry = try #require(buffer.packet(sequenceNumber: 7, nowMicroseconds: 5_000))
    #expect(entry.sequenceNumber == 7)
    #expect(entry.sendTimeMicroseconds == 1_000)
    #expect(entry.length == 33)
    #expect(entry.retransmissionCount == 0)
    #expect(entry.lastRetransmissionMicroseconds == nil)
    #expect(buffer.withPacketBytes(entry) { Array($0) } == fakePacket(7, length: 33))
    #expect(buffer.packetBytes(sequenceNumber: 8, nowMicroseconds: 5_000) == fakePacket(8, length: 40))
}

@Test func capacityIsRoundedUpToAPowerOfTwo() {
    #expect(RetransmissionBuffer(capacity: 500).capacity == 512)
    #expect(RetransmissionBuffer(capacity: 512).capacity == 512)
    #expect(RetransmissionBuffer(capacity: 1).capacity == 16)
}

@Test func olderPacketsAreOverwrittenOnceTheRingWrapsAround() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    for sequenceNumber: UInt16 in 0..<20 {
        try buffer.store(fakePacket(sequenceNumber), sequenceNumber: sequenceNumber, sendTimeMicroseconds: 0)
    }
    // 16 slots hold 4...19; 0...3 were overwritten by 16...19.
    for sequenceNumber: UInt16 in 0..<4 {
        #expect(buffer.packet(sequenceNumber: sequenceNumber, nowMicroseconds: 0) == nil)
    }
    for sequenceNumber: UInt16 in 4..<20 {
        #expect(buffer.packetBytes(sequenceNumber: sequenceNumber, nowMicroseconds: 0) == fakePacket(sequenceNumber))
    }
}

@Test func packetsOlderThanTheMaximumAgeAreRefused() throws {
    var buffer = RetransmissionBuffer(capacity: 16, maximumAgeMicroseconds: 1_000_000)
    try buffer.store(fakePacket(1), sequenceNumber: 1, sendTimeMicroseconds: 10_000_000)
    #expect(buffer.packet(sequenceNumber: 1, nowMicroseconds: 11_000_000) != nil)
    #expect(buffer.packet(sequenceNumber: 1, nowMicroseconds: 11_000_001) == nil)
}

@Test func numbersNeverStoredOrNotYetSentAreNil() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    #expect(buffer.packet(sequenceNumber: 0, nowMicroseconds: 0) == nil)
    try buffer.store(fakePacket(1), sequenceNumber: 1, sendTimeMicroseconds: 0)
    try buffer.store(fakePacket(3), sequenceNumber: 3, sendTimeMicroseconds: 0)
    #expect(buffer.packet(sequenceNumber: 2, nowMicroseconds: 0) == nil)
    #expect(buffer.packet(sequenceNumber: 4, nowMicroseconds: 0) == nil)
    // 17 shares slot 1 but was never sent.
    #expect(buffer.packet(sequenceNumber: 17, nowMicroseconds: 0) == nil)
}

@Test func aSlotLeftOverFromBeforeAJumpDoesNotAnswerForANewerNumber() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    try buffer.store(fakePacket(0), sequenceNumber: 0, sendTimeMicroseconds: 0)
    try buffer.store(fakePacket(40), sequenceNumber: 40, sendTimeMicroseconds: 0)
    // 32 is within reach (25...40) and maps to slot 0, which still holds 0.
    #expect(buffer.packet(sequenceNumber: 32, nowMicroseconds: 0) == nil)
    #expect(buffer.packet(sequenceNumber: 0, nowMicroseconds: 0) == nil)
    #expect(buffer.packetBytes(sequenceNumber: 40, nowMicroseconds: 0) == fakePacket(40))
}

@Test func sequenceNumbersWrapFrom65535ToZero() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    var sequenceNumber: UInt16 = 65530
    for _ in 0..<12 {
        try buffer.store(fakePacket(sequenceNumber), sequenceNumber: sequenceNumber, sendTimeMicroseconds: 0)
        sequenceNumber &+= 1
    }
    for wanted: UInt16 in [65530, 65533, 65535, 0, 2, 5] {
        #expect(buffer.packetBytes(sequenceNumber: wanted, nowMicroseconds: 0) == fakePacket(wanted))
    }
    #expect(buffer.packet(sequenceNumber: 6, nowMicroseconds: 0) == nil)
    #expect(buffer.packet(sequenceNumber: 65529, nowMicroseconds: 0) == nil)
}

@Test func aLateStoreBeyondTheRingIsIgnoredAndDoesNotClobberANewerPacket() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    try buffer.store(fakePacket(100), sequenceNumber: 100, sendTimeMicroseconds: 0)
    try buffer.store(fakePacket(84), sequenceNumber: 84, sendTimeMicroseconds: 0) // slot of 100
    #expect(buffer.packetBytes(sequenceNumber: 100, nowMicroseconds: 0) == fakePacket(100))
    #expect(buffer.packet(sequenceNumber: 84, nowMicroseconds: 0) == nil)
    // A reordered store within reach is kept.
    try buffer.store(fakePacket(90), sequenceNumber: 90, sendTimeMicroseconds: 0)
    #expect(buffer.packetBytes(sequenceNumber: 90, nowMicroseconds: 0) == fakePacket(90))
}

@Test func packetsLargerThanASlotAreRejected() {
    var buffer = RetransmissionBuffer(capacity: 16, maximumPacketSize: 1500)
    #expect(throws: RetransmissionBufferError.packetTooLarge(size: 1501, maximum: 1500)) {
        try buffer.store([UInt8](repeating: 0, count: 1501), sequenceNumber: 1, sendTimeMicroseconds: 0)
    }
    #expect(buffer.packet(sequenceNumber: 1, nowMicroseconds: 0) == nil)
}

@Test func retransmissionsAreCountedPerPacketAndResetWhenTheSlotIsReused() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    try buffer.store(fakePacket(5), sequenceNumber: 5, sendTimeMicroseconds: 0)
    buffer.recordRetransmission(sequenceNumber: 5, nowMicroseconds: 30_000)
    buffer.recordRetransmission(sequenceNumber: 5, nowMicroseconds: 80_000)
    let entry = try #require(buffer.packet(sequenceNumber: 5, nowMicroseconds: 90_000))
    #expect(entry.retransmissionCount == 2)
    #expect(entry.lastRetransmissionMicroseconds == 80_000)
    try buffer.store(fakePacket(21), sequenceNumber: 21, sendTimeMicroseconds: 100_000)
    let reused = try #require(buffer.packet(sequenceNumber: 21, nowMicroseconds: 100_000))
    #expect(reused.retransmissionCount == 0)
}

@Test func removeAllForgetsEveryPacket() throws {
    var buffer = RetransmissionBuffer(capacity: 16)
    try buffer.store(fakePacket(5), sequenceNumber: 5, sendTimeMicroseconds: 0)
    buffer.removeAll()
    #expect(buffer.packet(sequenceNumber: 5, nowMicroseconds: 0) == nil)
}
