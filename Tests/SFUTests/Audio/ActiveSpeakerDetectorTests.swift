import RTP
import SFU
import Testing

private let configuration = ActiveSpeakerDetectorConfiguration()

@Test func singleSpeakerBecomesDominantAfterTheHoldTime() throws {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(2)) { _ in [("alice", 30, nil)] }

    #expect(trace.detector.dominantSpeaker == "alice")
    #expect(trace.changes.count == 1)
    let change = try #require(trace.changes.first)
    #expect(change.previous == nil)
    #expect(change.current == "alice")
    #expect(trace.changeTimes[0] >= configuration.holdTime)
    #expect(trace.changeTimes[0] < .seconds(1))
}

@Test func equallyLoudSpeakersAlternatingEvery100MillisecondsDoNotFlipTheFloor() {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(10)) { time in
        let aliceTurn = (time / .milliseconds(100)).rounded(.down).truncatingRemainder(dividingBy: 2) == 0
        return [(aliceTurn ? "alice" : "bob", 30, nil)]
    }

    // Only the first grant of the floor; the alternation stays within the switch margin.
    #expect(trace.changes.count == 1)
    #expect(trace.mostChanges(within: .seconds(1)) <= 2)
}

@Test(arguments: [(UInt8(20), UInt8(45)), (10, 60), (0, 127)])
func unequalSpeakersAlternatingEvery100MillisecondsChangeAtMostTwicePerSecond(
    loud: UInt8, quiet: UInt8
) {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(10)) { time in
        let aliceLoud = (time / .milliseconds(100)).rounded(.down).truncatingRemainder(dividingBy: 2) == 0
        return [("alice", aliceLoud ? loud : quiet, nil), ("bob", aliceLoud ? quiet : loud, nil)]
    }

    #expect(trace.changes.count <= 20)
    #expect(trace.mostChanges(within: .seconds(1)) <= 2)
}

@Test func switchIntervalAloneLimitsChangesToTwoPerSecond() {
    // No margin and no hold time: only the switch interval stands between the trace and a change
    // every 100 ms.
    var trace = ActiveSpeakerTrace(configuration: .init(switchMargin: 0, holdTime: .zero))
    trace.run(for: .seconds(10)) { time in
        let aliceLoud = (time / .milliseconds(100)).rounded(.down).truncatingRemainder(dividingBy: 2) == 0
        return [("alice", aliceLoud ? 10 : 60, nil), ("bob", aliceLoud ? 60 : 10, nil)]
    }

    #expect(trace.changes.count >= 10, "the trace must provoke changes for the limit to matter")
    #expect(trace.changes.count <= 20)
    #expect(trace.mostChanges(within: .seconds(1)) <= 2)
    for (earlier, later) in zip(trace.changeTimes, trace.changeTimes.dropFirst()) {
        #expect(later - earlier >= .milliseconds(500))
    }
}

@Test func clearlyLouderNewSpeakerTakesOverAfterTheHoldTime() throws {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(2)) { _ in [("alice", 50, nil)] }
    #expect(trace.detector.dominantSpeaker == "alice")

    let bobStarts = trace.elapsed
    trace.run(for: .seconds(2)) { _ in [("alice", 50, nil), ("bob", 20, nil)] }

    #expect(trace.detector.dominantSpeaker == "bob")
    #expect(trace.changes.count == 2)
    let takeover = try #require(trace.changes.last)
    #expect(takeover.previous == "alice")
    #expect(takeover.current == "bob")
    let delay = takeover.at - trace.start - bobStarts
    #expect(delay >= configuration.holdTime)
    #expect(delay < .milliseconds(1500))
}

@Test func slightlyLouderChallengerWithinTheMarginDoesNotTakeOver() {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(2)) { _ in [("alice", 40, nil)] }
    #expect(trace.detector.dominantSpeaker == "alice")

    // Bob is 4 dB louder (0.057 on the normalised scale), for far longer than the hold time.
    trace.run(for: .seconds(5)) { _ in [("alice", 40, nil), ("bob", 36, nil)] }
    let lead = trace.detector.level(of: "bob", now: trace.lastTick) - trace.detector.level(of: "alice", now: trace.lastTick)
    #expect(lead > 0.05)
    #expect(lead < configuration.switchMargin)
    #expect(trace.detector.dominantSpeaker == "alice")
    #expect(trace.changes.count == 1)
}

@Test func noiseBurstsShorterThanTheHoldTimeDoNotStealTheFloor() {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(2)) { _ in [("alice", 55, nil)] }
    #expect(trace.detector.dominantSpeaker == "alice")

    // Bob slams a door once a second: 200 ms at full scale, then nothing. The leads of separate
    // bursts must not add up to the hold time.
    let burstsStart = trace.elapsed
    var largestLead = -1.0
    trace.run(for: .seconds(5)) { time in
        let inBurst = (time - burstsStart) / .seconds(1)
            - ((time - burstsStart) / .seconds(1)).rounded(.down) < 0.2
        return inBurst ? [("alice", 55, nil), ("bob", 0, nil)] : [("alice", 55, nil)]
    } inspect: { detector, now in
        largestLead = max(largestLead, detector.level(of: "bob", now: now) - detector.level(of: "alice", now: now))
    }

    // The burst did get clearly louder than Alice: only the hold time kept the floor.
    #expect(largestLead > configuration.switchMargin)
    #expect(trace.detector.dominantSpeaker == "alice")
    #expect(trace.changes.count == 1)
}

enum ActiveSpeakerStop: CaseIterable, Sendable {
    case noPackets, silentPackets, voiceInactivePackets
}

@Test(arguments: ActiveSpeakerStop.allCases)
func speakerWhoStopsLosesTheFloorToTheNextActiveOne(stop: ActiveSpeakerStop) throws {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(2)) { _ in [("alice", 30, nil), ("bob", 55, nil)] }
    #expect(trace.detector.dominantSpeaker == "alice")

    let aliceStops = trace.elapsed
    trace.run(for: .seconds(3)) { _ in
        switch stop {
        case .noPackets: [("bob", 55, nil)]
        case .silentPackets: [("alice", 127, nil), ("bob", 55, nil)]
        case .voiceInactivePackets: [("alice", 30, false), ("bob", 55, true)]
        }
    }

    #expect(trace.detector.dominantSpeaker == "bob")
    let takeover = try #require(trace.changes.last)
    #expect(takeover.previous == "alice")
    #expect(takeover.current == "bob")
    #expect(takeover.at - trace.start - aliceStops < .milliseconds(1500))
}

@Test func silenceKeepsTheLastDominantSpeakerByDefault() {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(2)) { _ in [("alice", 30, nil)] }
    trace.run(for: .seconds(5)) { _ in [] }

    #expect(trace.detector.dominantSpeaker == "alice")
    #expect(trace.changes.count == 1)
    #expect(trace.detector.activeSpeakers(now: trace.now).isEmpty)
    #expect(trace.detector.level(of: "alice", now: trace.now) < 0.001)
}

@Test func silenceReleasesTheFloorWhenConfigured() throws {
    var trace = ActiveSpeakerTrace(configuration: .init(silenceReleaseDelay: .seconds(1)))
    trace.run(for: .seconds(2)) { _ in [("alice", 30, nil)] }
    let silenceStarts = trace.elapsed
    trace.run(for: .seconds(4)) { _ in [("alice", 127, nil)] }

    #expect(trace.detector.dominantSpeaker == nil)
    let release = try #require(trace.changes.last)
    #expect(release == ActiveSpeakerChange(previous: "alice", current: nil, at: release.at))
    #expect(release.at - trace.start - silenceStarts >= .seconds(1))
}

@Test func onlySilenceMeansNoDominantSpeaker() {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(3)) { _ in [("alice", 127, nil), ("bob", 80, nil), ("carol", 70, nil)] }

    #expect(trace.detector.dominantSpeaker == nil)
    #expect(trace.changes.isEmpty)
    #expect(trace.detector.activeSpeakers(now: trace.now).isEmpty)
    #expect(trace.detector.speakerCount == 3)
}

@Test func activeSpeakersAreListedLoudestFirstWithNormalisedLevels() {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(4)) { _ in
        [("quiet", 60, nil), ("loud", 20, nil), ("silent", 90, nil), ("medium", 40, nil)]
    }

    let active = trace.detector.activeSpeakers(now: trace.lastTick)
    #expect(active.map(\.key) == ["loud", "medium", "quiet"])
    // After ten time constants the average has settled on (70 - level) / 70.
    let expected: [Double] = [50.0 / 70, 30.0 / 70, 10.0 / 70]
    for (entry, level) in zip(active, expected) {
        #expect(abs(entry.level - level) < 0.001)
    }

    var reused: [ActiveSpeakerLevel<String>] = [ActiveSpeakerLevel(key: "stale", level: 1)]
    trace.detector.activeSpeakers(now: trace.lastTick, into: &reused)
    #expect(reused == active)
}

@Test func loudnessDecaysToOneOverEAfterOneTimeConstantWithoutPackets() {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(4)) { _ in [("alice", 0, nil)] }
    let settled = trace.detector.level(of: "alice", now: trace.lastTick)
    #expect(abs(settled - 1) < 0.001)

    let later = trace.lastTick + configuration.smoothingTimeConstant
    #expect(abs(trace.detector.level(of: "alice", now: later) - settled * 0.36787944117144233) < 1e-6)
    let muchLater = trace.now + .seconds(3600)
    #expect(trace.detector.level(of: "alice", now: muchLater) == 0)
}

@Test func packetsArrivingAtOneInstantCannotPushLoudnessAboveTheirLevel() {
    var detector = ActiveSpeakerDetector<Int>()
    let now = ContinuousClock.now
    for _ in 0..<10_000 {
        detector.observe(1, level: 35, voiceActivity: nil, at: now)
    }
    #expect(abs(detector.level(of: 1, now: now) - 0.5) < 1e-9)

    // Out-of-range and reordered input is tolerated: level 255 counts as silence, an earlier
    // arrival time does not decay or corrupt the state.
    detector.observe(2, level: 255, voiceActivity: nil, at: now)
    detector.observe(1, level: 35, voiceActivity: nil, at: now - .seconds(1))
    #expect(detector.level(of: 2, now: now) == 0)
    #expect(abs(detector.level(of: 1, now: now) - 0.5) < 1e-9)
    #expect(detector.level(of: 3, now: now) == 0)
}

@Test func removingTheDominantSpeakerReleasesTheFloorAtOnce() throws {
    var trace = ActiveSpeakerTrace()
    trace.run(for: .seconds(2)) { _ in [("alice", 30, nil), ("bob", 60, nil)] }
    #expect(trace.detector.dominantSpeaker == "alice")

    #expect(trace.detector.removeSpeaker("bob", now: trace.now) == nil)
    let removal = trace.detector.removeSpeaker("alice", now: trace.now)
    let change = try #require(removal)
    #expect(change == ActiveSpeakerChange(previous: "alice", current: nil, at: trace.now))
    #expect(trace.detector.dominantSpeaker == nil)
    #expect(trace.detector.speakerCount == 0)
}

@Test(arguments: [(true, true, true), (true, false, false), (false, false, true)])
func audioLevelExtensionVoiceActivityBitIsHonouredOnlyWhenInUse(
    flagInUse: Bool, voiceActivity: Bool, expectDominant: Bool
) {
    var detector = ActiveSpeakerDetector<String>()
    let start = ContinuousClock.now
    var now = start
    while now < start + .seconds(2) {
        let audioLevel = AudioLevelExtension(level: 25, voiceActivity: voiceActivity)
        detector.observe("alice", audioLevel: audioLevel, voiceActivityFlagInUse: flagInUse, at: now)
        _ = detector.evaluate(now: now)
        now += .milliseconds(20)
    }
    #expect((detector.dominantSpeaker == "alice") == expectDominant)
}
