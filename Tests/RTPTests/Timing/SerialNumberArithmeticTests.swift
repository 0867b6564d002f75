import RTP
import Testing

@Test func newerComparesTheShortWayRound() {
    #expect(SerialNumberArithmetic.isNewer(UInt16(1), than: 0))
    #expect(!SerialNumberArithmetic.isNewer(UInt16(0), than: 1))
    #expect(SerialNumberArithmetic.isNewer(UInt16(0), than: 65535))
    #expect(SerialNumberArithmetic.isNewer(UInt16(10), than: 65530))
    #expect(!SerialNumberArithmetic.isNewer(UInt16(65530), than: 10))
    #expect(!SerialNumberArithmetic.isNewer(UInt16(7), than: 7))
    #expect(SerialNumberArithmetic.isNewer(UInt16(0x7FFF), than: 0))
    #expect(!SerialNumberArithmetic.isNewer(UInt16(0x8001), than: 0))
    #expect(SerialNumberArithmetic.isNewer(UInt32(0), than: UInt32.max))
    #expect(!SerialNumberArithmetic.isNewer(UInt32.max, than: 0))
    #expect(SerialNumberArithmetic.latest(65535, 2) == 2)
}

@Test(arguments: [(UInt16(0), UInt16(0x8000)), (0x1234, 0x9234), (0xFFFF, 0x7FFF)])
func halfwayTieIsAntisymmetric(a: UInt16, b: UInt16) {
    #expect(SerialNumberArithmetic.isNewer(a, than: b) != SerialNumberArithmetic.isNewer(b, than: a))
}

@Test func distanceIsSignedAcrossTheWrap() {
    #expect(SerialNumberArithmetic.distance(from: UInt16(65535), to: 0) == 1)
    #expect(SerialNumberArithmetic.distance(from: UInt16(0), to: 65535) == -1)
    #expect(SerialNumberArithmetic.distance(from: UInt16(100), to: 90) == -10)
    #expect(SerialNumberArithmetic.distance(from: UInt16(65500), to: 36) == 72)
    #expect(SerialNumberArithmetic.distance(from: UInt32.max, to: 9) == 10)
}
