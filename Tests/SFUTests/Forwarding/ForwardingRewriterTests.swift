import RTP
import SFU
import Testing

/// One input packet for the rewriter: source, sequence number, timestamp, arrival, router decision.
struct RewriterStep: Sendable {
    var ssrc: UInt32 = 0xA
    var sequenceNumber: UInt16
    var timestamp: UInt32 = 1000
    var arrival: Int64 = 0
    var forward = true
    /// Expected output sequence number, or nil when the packet must be dropped.
    var expected: UInt16?
}

struct RewriterScenario: Sendable, CustomStringConvertible {
    var description: String
    var steps: [RewriterStep]
}

private func step(_ sequenceNumber: UInt16, forward: Bool = true, expect expected: UInt16?) -> RewriterStep {
    RewriterStep(sequenceNumber: sequenceNumber, forward: forward, expected: expected)
}

let rewriterScenarios: [RewriterScenario] = [
    .init(description: "deliberate drops leave no gap", steps: [
        step(100, expect: 500), step(101, forward: false, expect: nil), step(102, forward: false, expect: nil),
        step(103, expect: 501), step(104, expect: 502), step(105, forward: false, expect: nil), step(106, expect: 503),
    ]),
    .init(description: "upstream loss stays a gap", steps: [
        step(100, expect: 500), step(101, expect: 501), step(104, expect: 504), step(105, expect: 505),
    ]),
    .init(description: "loss then a deliberate drop keeps the lost numbers open", steps: [
        step(100, expect: 500), step(103, forward: false, expect: nil), step(104, expect: 503),
        step(101, expect: 501), step(102, expect: 502),
    ]),
    .init(description: "reordered packet fills its gap", steps: [
        step(100, expect: 500), step(102, expect: 502), step(101, expect: 501), step(103, expect: 503),
    ]),
    .init(description: "retransmission keeps its original number", steps: [
        step(100, expect: 500), step(101, forward: false, expect: nil), step(102, expect: 501),
        step(103, expect: 502), step(102, expect: 501), step(100, expect: 500),
    ]),
    .init(description: "a deliberately dropped number stays dropped", steps: [
        step(100, expect: 500), step(101, forward: false, expect: nil), step(102, expect: 501),
        step(101, expect: nil),
    ]),
    .init(description: "wrap of input and output", steps: [
        step(65_534, expect: 500), step(65_535, forward: false, expect: nil), step(0, expect: 501),
        step(2, expect: 503), step(1, expect: 502),
    ]),
    .init(description: "packet before the first forwarded one is dropped", steps: [
        step(100, expect: 500), step(99, expect: nil), step(101, expect: 501),
    ]),
]

@Test(arguments: rewriterScenarios)
func rewriterMapsSequenceNumbers(_ scenario: RewriterScenario) {
    var rewriter = ForwardingRewriter(ssrc: 0xFEED, clockRate: 90_000, initialSequenceNumber: 500, initialTimestamp: 7)
    for (index, input) in scenario.steps.enumerated() {
        let result = rewriter.process(sourceSSRC: input.ssrc, sequenceNumber: input.sequenceNumber,
                                      timestamp: input.timestamp, arrivalMicroseconds: input.arrival,
                                      forward: input.forward)
        #expect(result.forwarded?.sequenceNumber == input.expected, "step \(index): \(result)")
        if let header = result.forwarded { #expect(header.ssrc == 0xFEED) }
    }
}

@Test func outputWrapsFrom65535ToZeroWithoutAGap() {
    var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 90_000, initialSequenceNumber: 65_534)
    var outputs: [UInt16] = []
    for offset in 0..<4 {
        let result = rewriter.process(sourceSSRC: 9, sequenceNumber: 7 + UInt16(offset), timestamp: 0,
                                      arrivalMicroseconds: 0, forward: true)
        outputs.append(result.forwarded?.sequenceNumber ?? 0xDEAD)
    }
    #expect(outputs == [65_534, 65_535, 0, 1])
}

@Test func lateAndRepeatedPacketsAreLabelled() {
    var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 90_000)
    _ = rewriter.process(sourceSSRC: 9, sequenceNumber: 10, timestamp: 0, arrivalMicroseconds: 0, forward: true)
    let gap = rewriter.process(sourceSSRC: 9, sequenceNumber: 12, timestamp: 0, arrivalMicroseconds: 0, forward: true)
    let late = rewriter.process(sourceSSRC: 9, sequenceNumber: 11, timestamp: 0, arrivalMicroseconds: 0, forward: true)
    let again = rewriter.process(sourceSSRC: 9, sequenceNumber: 11, timestamp: 0, arrivalMicroseconds: 0, forward: true)
    #expect(gap.forwarded?.order == .inOrder)
    #expect(late.forwarded?.order == .fillsGap)
    #expect(again.forwarded?.order == .repeated)
    #expect(late.forwarded?.sequenceNumber == again.forwarded?.sequenceNumber)
}

@Test func switchContinuesNumbersAndAdvancesTimestampByElapsedTime() {
    var rewriter = ForwardingRewriter(ssrc: 0x55, clockRate: 90_000, initialSequenceNumber: 1000, initialTimestamp: 50_000)
    // Source A: two frames 3000 ticks apart, the second's packets arriving at 33.3 ms.
    _ = rewriter.process(sourceSSRC: 0xA, sequenceNumber: 7, timestamp: 90_000, arrivalMicroseconds: 1_000_000, forward: true)
    let lastA = rewriter.process(sourceSSRC: 0xA, sequenceNumber: 8, timestamp: 93_000, arrivalMicroseconds: 1_033_333, forward: true)
    #expect(lastA.forwarded?.timestamp == 53_000)
    // A packet of B the router does not select changes nothing.
    #expect(rewriter.process(sourceSSRC: 0xB, sequenceNumber: 4000, timestamp: 1, arrivalMicroseconds: 1_040_000, forward: false)
            == .drop(.notCurrentSource))
    // Switch to B 20 ms later: 20 ms * 90 kHz = 1800 ticks.
    let firstB = rewriter.process(sourceSSRC: 0xB, sequenceNumber: 4001, timestamp: 777, arrivalMicroseconds: 1_053_333, forward: true)
    #expect(firstB.forwarded == ForwardedRTPHeader(ssrc: 0x55, sequenceNumber: 1002, timestamp: 54_800,
                                                   order: .inOrder, startsNewSource: true))
    let nextB = rewriter.process(sourceSSRC: 0xB, sequenceNumber: 4002, timestamp: 777 + 3000, arrivalMicroseconds: 1_086_666, forward: true)
    #expect(nextB.forwarded?.sequenceNumber == 1003)
    #expect(nextB.forwarded?.timestamp == 57_800)
    // Late packets: of A (the previous source) and of B from before the switch.
    #expect(rewriter.process(sourceSSRC: 0xA, sequenceNumber: 9, timestamp: 96_000, arrivalMicroseconds: 1_090_000, forward: false)
            == .drop(.notCurrentSource))
    #expect(rewriter.process(sourceSSRC: 0xB, sequenceNumber: 4000, timestamp: 777, arrivalMicroseconds: 1_090_000, forward: true)
            == .drop(.olderThanSwitch))
}

@Test(arguments: [Int64(0), -5_000])
func switchAdvancesTimestampByAtLeastOneTick(elapsed: Int64) {
    var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 48_000, initialTimestamp: 0xFFFF_FFFF)
    _ = rewriter.process(sourceSSRC: 0xA, sequenceNumber: 1, timestamp: 5, arrivalMicroseconds: 10_000, forward: true)
    let switched = rewriter.process(sourceSSRC: 0xB, sequenceNumber: 1, timestamp: 5, arrivalMicroseconds: 10_000 + elapsed, forward: true)
    #expect(switched.forwarded?.timestamp == 0)  // 0xFFFFFFFF + 1 wraps
}

@Test func switchAfterTrailingDropsAndLossContinuesAfterHeldNumbers() {
    var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 90_000, initialSequenceNumber: 10)
    _ = rewriter.process(sourceSSRC: 0xA, sequenceNumber: 100, timestamp: 0, arrivalMicroseconds: 0, forward: true)  // → 10
    _ = rewriter.process(sourceSSRC: 0xA, sequenceNumber: 102, timestamp: 0, arrivalMicroseconds: 0, forward: false) // 101 lost → 11 held
    _ = rewriter.process(sourceSSRC: 0xA, sequenceNumber: 103, timestamp: 0, arrivalMicroseconds: 0, forward: false)
    let switched = rewriter.process(sourceSSRC: 0xB, sequenceNumber: 9, timestamp: 0, arrivalMicroseconds: 0, forward: true)
    #expect(switched.forwarded?.sequenceNumber == 12)
}

@Test func packetsOlderThanTheWindowAreDropped() {
    var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 90_000, windowSize: 16)
    for sequenceNumber in UInt16(0)..<40 {
        _ = rewriter.process(sourceSSRC: 0xA, sequenceNumber: sequenceNumber, timestamp: 0, arrivalMicroseconds: 0, forward: true)
    }
    #expect(rewriter.process(sourceSSRC: 0xA, sequenceNumber: 30, timestamp: 0, arrivalMicroseconds: 0, forward: true).forwarded?.sequenceNumber == 30)
    #expect(rewriter.process(sourceSSRC: 0xA, sequenceNumber: 20, timestamp: 0, arrivalMicroseconds: 0, forward: true) == .drop(.outsideWindow))
}

@Test func nothingIsForwardedBeforeTheRouterSelectsASource() {
    var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 90_000, initialSequenceNumber: 3)
    #expect(rewriter.process(sourceSSRC: 0xA, sequenceNumber: 1, timestamp: 0, arrivalMicroseconds: 0, forward: false) == .drop(.notSelected))
    #expect(rewriter.currentSource == nil)
    #expect(rewriter.process(sourceSSRC: 0xA, sequenceNumber: 2, timestamp: 0, arrivalMicroseconds: 0, forward: true).forwarded?.sequenceNumber == 3)
}

@Test func rewriteInPlaceChangesOnlySSRCSequenceAndTimestamp() throws {
    let original = try RTPHeaderFields(marker: true, payloadType: 96, sequenceNumber: 4242, timestamp: 0x0102_0304,
                                       ssrc: 0xCAFE_BABE, csrcs: [7]).encoded() + [0xAA, 0xBB]
    var rewriter = ForwardingRewriter(ssrc: 0x0BAD_F00D, clockRate: 90_000, initialSequenceNumber: 1, initialTimestamp: 2)
    var bytes = original
    let result = try bytes.withUnsafeMutableBytes { raw in
        try rewriter.rewrite(in: raw, arrivalMicroseconds: 0, forward: true)
    }
    #expect(result.forwarded?.sequenceNumber == 1)
    #expect(rewriter.isAtFrameBoundary)
    let header = try RTPHeader.parse(bytes)
    #expect(header.ssrc == 0x0BAD_F00D)
    #expect(header.sequenceNumber == 1)
    #expect(header.timestamp == 2)
    #expect(header.marker && header.payloadType == 96 && header.csrcCount == 1)
    #expect(Array(bytes[12...]) == Array(original[12...]))

    // A dropped packet is left as it was.
    var dropped = original
    dropped[3] &+= 1
    let before = dropped
    let dropResult = try dropped.withUnsafeMutableBytes { raw in
        try rewriter.rewrite(in: raw, arrivalMicroseconds: 0, forward: false)
    }
    #expect(dropResult == .drop(.notSelected))
    #expect(dropped == before)
}

@Test func rewriteRejectsEveryTruncatedHeader() throws {
    let packet = try RTPHeaderFields(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [4]).encoded()
    for length in 0..<packet.count {
        var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 90_000)
        var bytes = Array(packet.prefix(length))
        #expect(throws: ForwardingRewriteError.self) {
            try bytes.withUnsafeMutableBytes { raw in _ = try rewriter.rewrite(in: raw, arrivalMicroseconds: 0, forward: true) }
        }
    }
}

@Test func lossInsideADroppedFrameLeavesNoHole() {
    var rewriter = ForwardingRewriter(ssrc: 1, clockRate: 90_000, initialSequenceNumber: 500)
    func send(_ sequenceNumber: UInt16, _ timestamp: UInt32, _ forward: Bool) -> UInt16? {
        rewriter.process(sourceSSRC: 9, sequenceNumber: sequenceNumber, timestamp: timestamp,
                         arrivalMicroseconds: 0, forward: forward).forwarded?.sequenceNumber
    }
    #expect(send(10, 0, true) == 500)
    #expect(send(11, 3000, false) == nil)   // dropped frame: 11, (12 lost), 13
    #expect(send(13, 3000, false) == nil)
    #expect(send(14, 6000, true) == 501)    // no hole for 12
    #expect(send(12, 3000, true) == nil)    // and its late copy stays dropped
    #expect(send(16, 9000, false) == nil)   // 15 lost before another frame: held open
    #expect(send(17, 12000, true) == 503)
}
