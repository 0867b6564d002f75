import SCTP
import Testing

extension UsrsctpProcessTests {
@Suite struct SCTPStackTests {
    @Test func startsOnceAndOpensAConnSocket() throws {
        SCTPStack.shared.start()
        SCTPStack.shared.start()
        #expect(SCTPStack.shared.isRunning)
        let socket = try SCTPConnSocket()
        SCTPStack.shared.handleTimers(elapsedMilliseconds: 10)
        withExtendedLifetime(socket) {}
    }

    @Test func timerClockCountsEachMillisecondOnce() {
        var clock = SCTPTimerClock()
        let start = ContinuousClock.now
        #expect(clock.advance(to: start) == 0)
        #expect(clock.advance(to: start + .microseconds(500)) == 0)
        #expect(clock.advance(to: start + .milliseconds(20)) == 20)
        // A second worker reporting an instant already counted (or an earlier one) adds nothing.
        #expect(clock.advance(to: start + .milliseconds(20)) == 0)
        #expect(clock.advance(to: start + .milliseconds(15)) == 0)
        // Fractions carry over: 20 ms + 25.5 ms, then 0.5 ms more makes another whole one.
        #expect(clock.advance(to: start + .microseconds(45_500)) == 25)
        #expect(clock.advance(to: start + .milliseconds(46)) == 1)
        // A stalled loop does not replay a long pause at once.
        #expect(clock.advance(to: start + .seconds(60)) == SCTPTimerClock.maximumStep)
    }
}
}
