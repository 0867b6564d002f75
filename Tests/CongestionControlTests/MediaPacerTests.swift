import CongestionControl
import Testing

/// The pacer's leaky bucket and queue, driven by hand: packets are byte arrays whose first two
/// bytes number them, time is in µs.
struct MediaPacerTests {
    static func packet(_ number: Int, size: Int = 1_200) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xAB, count: size)
        bytes[0] = UInt8(number >> 8)
        bytes[1] = UInt8(number & 0xFF)
        return bytes
    }

    static func number(of packet: UnsafeRawBufferPointer) -> Int { Int(packet[0]) << 8 | Int(packet[1]) }

    /// Offers `packets` all at `now`, as a key frame arriving in one burst; returns those sent at once.
    static func offer(_ packets: [[UInt8]], to pacer: inout MediaPacer, now: Int64) -> [Int] {
        var sentNow: [Int] = []
        for (index, bytes) in packets.enumerated() {
            if pacer.mustWait(size: bytes.count, now: now) {
                let queued = bytes.withUnsafeBytes { packet in pacer.enqueue(packet, now: now) }
                #expect(queued, "packet \(index) should fit in the queue")
            } else {
                sentNow.append(index)
            }
        }
        return sentNow
    }

    @Test func withoutAnEstimateNothingWaits() {
        var pacer = MediaPacer()
        let sent = Self.offer((0..<100).map { Self.packet($0) }, to: &pacer, now: 0)
        #expect(sent.count == 100)
        #expect(pacer.isEmpty && pacer.packetsDelayed == 0)
    }

    @Test func aBurstLeavesAtTheMultipleOfTheEstimateInOrder() {
        var pacer = MediaPacer()
        // 1.2 Mbit/s estimate → 3 Mbit/s pacing = 375 bytes per ms.
        pacer.setEstimate(1_200_000, now: 0)
        // 60 packets of 1,200 bytes (72 KB, a large key frame) offered at once at t = 1 ms.
        let packets = (0..<60).map { Self.packet($0) }
        let immediate = Self.offer(packets, to: &pacer, now: 1_000)
        // Only the budget earned in the first millisecond goes at once.
        #expect(immediate == [0])
        #expect(!pacer.isEmpty && pacer.queuedBytes == 59 * 1_200)

        // Drained every 5 ms, the queue empties after about 72 KB / 375 B per ms ≈ 190 ms.
        var order = immediate
        var sentAt: [Int64] = []
        var now: Int64 = 1_000
        while !pacer.isEmpty, now < 1_000_000 {
            now += 5_000
            pacer.drain(now: now) { bytes in
                order.append(Self.number(of: bytes))
                sentAt.append(now)
                #expect(bytes.count == 1_200 && bytes[2] == 0xAB)
            }
        }
        #expect(order == Array(0..<60))
        let lastAt = sentAt.last ?? 0
        #expect(lastAt >= 170_000 && lastAt <= 215_000, "last packet left at \(lastAt) µs")
        // No 5 ms slice sends more than its share plus one packet of debt.
        let perSlice = Dictionary(grouping: sentAt, by: { $0 }).values.map(\.count)
        #expect(perSlice.allSatisfy { $0 <= 3 }, "\(perSlice)")
    }

    @Test func unusedRateBuildsUpOnlyAShortBurst() {
        var pacer = MediaPacer()
        // 4 Mbit/s estimate → 10 Mbit/s pacing; 10 ms of it is 12,500 bytes.
        pacer.setEstimate(4_000_000, now: 0)
        _ = pacer.mustWait(size: 0, now: 0)
        // A second idle: still only ~10 ms of rate may leave at once.
        let sent = Self.offer((0..<40).map { Self.packet($0) }, to: &pacer, now: 1_000_000)
        #expect(sent.count == 11, "12,500 bytes of budget lets 11 packets of 1,200 out (the last into debt)")
    }

    @Test func audioAndRepairsChargeTheBudgetThatVideoWaitsOn() {
        var pacer = MediaPacer()
        pacer.setEstimate(400_000, now: 0) // 1 Mbit/s pacing: 125 bytes per ms
        _ = pacer.mustWait(size: 0, now: 0)
        let audioWaits = pacer.mustWait(size: 100, now: 10_000) // 1,250 bytes earned (the ceiling is 1,500)
        pacer.charge(size: 1_200, now: 10_000) // a retransmission leaves outside the queue
        let videoWaitsInDebt = pacer.mustWait(size: 1_200, now: 10_000)
        let videoWaitsLater = pacer.mustWait(size: 1_200, now: 20_000) // 10 ms later it has paid off
        #expect(!audioWaits && videoWaitsInDebt && !videoWaitsLater)
    }

    @Test func aLongQueueDrainsFasterThanTheRateWithinItsLimit() {
        var pacer = MediaPacer()
        // 100 kbit/s estimate → 250 kbit/s: 200 packets (240 KB) would take 7.7 s at that rate.
        pacer.setEstimate(100_000, now: 0)
        _ = Self.offer((0..<200).map { Self.packet($0) }, to: &pacer, now: 1)
        var now: Int64 = 1
        var sent = 0
        while !pacer.isEmpty, now < 10_000_000 {
            now += 5_000
            pacer.drain(now: now) { _ in sent += 1 }
        }
        #expect(sent >= 199)
        // The queue-time limit raises the rate: empty in about the limit (within three drain
        // intervals), not 7.7 s.
        #expect(now <= MediaPacer.maximumQueueMicroseconds + 15_000, "emptied at \(now) µs")
    }

    @Test func theRingRefusesWhenFullAndWrapsAroundKeepingTheOrder() {
        var pacer = MediaPacer()
        pacer.setEstimate(1_000_000, now: 0)
        _ = pacer.mustWait(size: 0, now: 0)
        func fill(from first: Int) -> Int {
            var next = first
            while Self.packet(next, size: 1_000).withUnsafeBytes({ pacer.enqueue($0, now: now) }) { next += 1 }
            return next
        }
        // 1,000-byte packets until the 256 KiB storage refuses one.
        var now: Int64 = 0
        var next = fill(from: 0)
        #expect(next == MediaPacer.queueBytes / 1_000)
        // Partial drains free the front; new packets, no longer fitting at the end, go there.
        var received: [Int] = []
        for _ in 0..<50 {
            now += 10_000
            pacer.drain(now: now) { received.append(Self.number(of: $0)) }
            next = fill(from: next)
        }
        pacer.drain(now: now, everything: true) { received.append(Self.number(of: $0)) }
        #expect(next > 2 * MediaPacer.queueBytes / 1_000, "the storage was reused at least twice")
        #expect(received == Array(0..<next) && pacer.isEmpty && pacer.queuedBytes == 0)
    }

    @Test func theRingStartsSmallAndGrowsWithTheQueueKeepingTheOrder() {
        var pacer = MediaPacer()
        pacer.setEstimate(1_000_000, now: 0)
        _ = pacer.mustWait(size: 0, now: 0)
        #expect(pacer.reservedBytes == 0, "nothing is reserved before a packet waits")
        var received: [Int] = []
        var next = 0
        func enqueue(_ packets: Int, now: Int64) {
            for _ in 0..<packets {
                let queued = Self.packet(next, size: 1_000).withUnsafeBytes { pacer.enqueue($0, now: now) }
                #expect(queued)
                next += 1
            }
        }
        // A few packets fit in the initial reservation; drain some so the ring wraps.
        enqueue(20, now: 0)
        #expect(pacer.reservedBytes == MediaPacer.initialQueueBytes)
        pacer.drain(now: 40_000) { received.append(Self.number(of: $0)) }
        #expect(!received.isEmpty && !pacer.isEmpty)
        enqueue(25, now: 40_000)
        // A key frame's worth more: the ring grows (moving what waits, wrapped or not).
        enqueue(100, now: 40_000)
        #expect(pacer.reservedBytes > MediaPacer.initialQueueBytes && pacer.reservedBytes <= MediaPacer.queueBytes)
        pacer.drain(now: 40_000, everything: true) { received.append(Self.number(of: $0)) }
        #expect(received == Array(0..<next) && pacer.isEmpty)
    }
}
