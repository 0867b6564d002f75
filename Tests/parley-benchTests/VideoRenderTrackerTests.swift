@testable import parley_bench
import Testing

/// What the qoe scenario counts as shown and as frozen.
struct VideoRenderTrackerTests {
    /// Frames of two packets every 33 ms from `first`, the first frame a key frame.
    func feed(_ tracker: inout VideoRenderTracker, frames: Range<Int>, skipping lost: Set<Int> = [],
              keyFrameAt: Int? = 0) {
        for frame in frames {
            for packet in 0..<2 {
                let sequence = frame * 2 + packet
                guard !lost.contains(sequence) else { continue }
                tracker.received(sequence: UInt16(truncatingIfNeeded: sequence), marker: packet == 1,
                                 startsKeyFrame: packet == 0 && frame == keyFrameAt, at: Int64(frame) * 33_000)
            }
        }
    }

    @Test func completeFramesRenderAndNoneFreezes() {
        var tracker = VideoRenderTracker()
        feed(&tracker, frames: 0..<60)
        #expect(tracker.framesRendered == 60)
        #expect(tracker.longestGap(at: 59 * 33_000) == 33_000)
        #expect(tracker.frozenMicroseconds(at: 59 * 33_000) == 0)
    }

    @Test func aRepairedLossDelaysFramesButABrokenPictureFreezesUntilAKeyFrame() {
        var tracker = VideoRenderTracker()
        feed(&tracker, frames: 0..<10)
        // Packet 20 (frame 10) is lost: later frames wait for it.
        feed(&tracker, frames: 10..<13, skipping: [20])
        #expect(tracker.framesRendered == 10)
        #expect(tracker.poll(at: 12 * 33_000 + 100_000) == .nack([20]), "asked for again")
        // The retransmission arrives: the three frames render at once.
        tracker.received(sequence: 20, marker: false, startsKeyFrame: false, at: 13 * 33_000)
        #expect(tracker.framesRendered == 13)

        // Packet 30 (frame 15) never comes: after 500 ms the picture is broken and a key frame asked for.
        feed(&tracker, frames: 13..<30, skipping: [30], keyFrameAt: nil)
        #expect(tracker.poll(at: 15 * 33_000 + 501_000) == .keyFrame)
        feed(&tracker, frames: 30..<35, keyFrameAt: nil)
        #expect(tracker.framesRendered == 15, "delta frames do not render on a broken picture")
        feed(&tracker, frames: 35..<40, keyFrameAt: 35)
        #expect(tracker.framesRendered == 20)
        // Frames 15…34 never showed: from frame 14 to frame 35, 693 ms frozen.
        #expect(tracker.longestGap(at: 39 * 33_000) == 21 * 33_000)
        #expect(tracker.frozenMicroseconds(at: 39 * 33_000) == 21 * 33_000)
    }
}
