import Signaling
import Testing

@Test func rateLimiterAllowsTheBurstThenRejects() {
    let t0 = ContinuousClock.now
    var limiter = MessageRateLimiter(ratePerSecond: 50, burst: 10, now: t0)
    for _ in 0..<10 {
        let ok = limiter.allowMessage(at: t0)
        #expect(ok)
    }
    let allowed1 = limiter.allowMessage(at: t0)
    #expect(!allowed1)
    #expect(limiter.waitTime(at: t0) == .milliseconds(20))
}

@Test func rateLimiterRefillsAtTheConfiguredRate() {
    let t0 = ContinuousClock.now
    var limiter = MessageRateLimiter(ratePerSecond: 50, burst: 10, now: t0)
    for _ in 0..<10 { _ = limiter.allowMessage(at: t0) }
    // 50/s = one token per 20 ms.
    let allowed2 = limiter.allowMessage(at: t0 + .milliseconds(19))
    #expect(!allowed2)
    let allowed3 = limiter.allowMessage(at: t0 + .milliseconds(20))
    #expect(allowed3)
    let allowed4 = limiter.allowMessage(at: t0 + .milliseconds(21))
    #expect(!allowed4)
    // 100 ms later: 5 more.
    var allowed = 0
    for _ in 0..<10 where limiter.allowMessage(at: t0 + .milliseconds(120)) { allowed += 1 }
    #expect(allowed == 5)
}

@Test func rateLimiterNeverHoldsMoreThanTheBurst() {
    let t0 = ContinuousClock.now
    var limiter = MessageRateLimiter(ratePerSecond: 50, burst: 10, now: t0)
    let later = t0 + .seconds(3600)
    var allowed = 0
    for _ in 0..<100 where limiter.allowMessage(at: later) { allowed += 1 }
    #expect(allowed == 10)
}

@Test func rateLimiterSustainsExactlyTheRateOverTime() {
    let t0 = ContinuousClock.now
    var limiter = MessageRateLimiter(limits: .default, now: t0)
    // Drain the burst, then offer 200 messages per second for 10 s: 50/s get through.
    var now = t0
    while limiter.allowMessage(at: now) {}
    var allowed = 0
    for step in 1...2000 {
        now = t0 + .milliseconds(5 * step)
        if limiter.allowMessage(at: now) { allowed += 1 }
    }
    #expect(allowed == 500)
}

@Test func rateLimiterTreatsTimeGoingBackwardsAsNoTime() {
    let t0 = ContinuousClock.now + .seconds(10)
    var limiter = MessageRateLimiter(ratePerSecond: 1, burst: 1, now: t0)
    let allowed5 = limiter.allowMessage(at: t0)
    #expect(allowed5)
    let allowed6 = limiter.allowMessage(at: t0 - .seconds(5))
    #expect(!allowed6)
    let allowed7 = limiter.allowMessage(at: t0 + .milliseconds(999))
    #expect(!allowed7)
    let allowed8 = limiter.allowMessage(at: t0 + .seconds(1))
    #expect(allowed8)
}

@Test func limitsAdmitJoinsUpToTheRoomSize() {
    let limits = SignalingLimits(maxParticipantsPerRoom: 3)
    #expect(limits.admitsJoin(currentParticipants: 2) == nil)
    #expect(limits.admitsJoin(currentParticipants: 3) == .roomFull)
}

@Test func limitsCountTracksAfterTheOffer() {
    let limits = SignalingLimits.default
    let two = PublishOffer(sdp: "v=0", tracks: [
        PublishTrackRequest(cid: "a", kind: .audio, source: .microphone, name: ""),
        PublishTrackRequest(cid: "b", kind: .video, source: .camera, name: ""),
    ])
    #expect(limits.maxTracksPerParticipant == 16)
    #expect(limits.admitsPublish(two, publishedTracks: 14) == nil)
    #expect(limits.admitsPublish(two, publishedTracks: 15) == .tooManyTracks)
    var swap = two
    swap.unpublish = ["TR_1"]
    #expect(limits.admitsPublish(swap, publishedTracks: 15) == nil)
}
