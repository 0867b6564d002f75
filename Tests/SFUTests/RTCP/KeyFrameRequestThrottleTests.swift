import RTP
import SFU
import Testing

@Test func aLayerIsAskedAtMostOncePerInterval() {
    var throttle = KeyFrameRequestThrottle<UInt32>()
    let steps: [(layer: UInt32, now: Int64, allowed: Bool)] = [
        (1, 0, true),
        (1, 1, false),
        (1, 499_999, false),
        (2, 100_000, true), // layers are independent
        (1, 500_000, true),
        (2, 500_000, false),
        (2, 600_000, true),
        (1, 900_000, false), // counted from the last allowed request, not the refused ones
        (1, 1_000_000, true),
    ]
    for step in steps {
        let allowed = throttle.shouldRequest(layer: step.layer, nowMicroseconds: step.now)
        #expect(allowed == step.allowed,
                "layer \(step.layer) at \(step.now)")
    }
}

@Test func theIntervalIsConfigurableAndLayersCanBeForgotten() {
    var throttle = KeyFrameRequestThrottle<String>(minimumIntervalMicroseconds: 100_000)
    do {
        let allowed = throttle.shouldRequest(layer: "camera/h", nowMicroseconds: 0)
        #expect(allowed)
    }
    do {
        let allowed = throttle.shouldRequest(layer: "camera/h", nowMicroseconds: 99_999)
        #expect(!allowed)
    }
    do {
        let allowed = throttle.shouldRequest(layer: "camera/h", nowMicroseconds: 100_000)
        #expect(allowed)
    }
    throttle.remove(layer: "camera/h")
    do {
        let allowed = throttle.shouldRequest(layer: "camera/h", nowMicroseconds: 100_001)
        #expect(allowed)
    }
}

@Test func firSequenceNumbersIncrementPerMediaSSRCAndWrap() throws {
    var sequencer = FullIntraRequestSequencer()
    #expect(sequencer.nextEntry(mediaSSRC: 0xA) == RTCPFullIntraRequestEntry(ssrc: 0xA, sequenceNumber: 0))
    #expect(sequencer.nextEntry(mediaSSRC: 0xA).sequenceNumber == 1)
    #expect(sequencer.nextEntry(mediaSSRC: 0xB).sequenceNumber == 0)
    #expect(sequencer.nextEntry(mediaSSRC: 0xA).sequenceNumber == 2)
    for _ in 3...255 { _ = sequencer.nextEntry(mediaSSRC: 0xA) }
    #expect(sequencer.nextEntry(mediaSSRC: 0xA).sequenceNumber == 0)
    // The entry goes straight into a FIR.
    let entry = sequencer.nextEntry(mediaSSRC: 0xB)
    let bytes = try RTCPFullIntraRequest.build(senderSSRC: 1, entries: [entry])
    let parsed = try bytes.withUnsafeBytes { raw in
        try RTCPFullIntraRequest(parsing: try RTCPHeader.parse(raw), in: raw).entry(at: 0, in: raw)
    }
    #expect(parsed == RTCPFullIntraRequestEntry(ssrc: 0xB, sequenceNumber: 1))
}
