/// Whether a subscriber could have shown its video, as a browser's jitter buffer and decoder
/// would: a frame renders once its last packet (RTP marker) is in and no earlier packet is
/// missing. A missing packet is asked for again every `renackMicroseconds`; one not repaired
/// within `giveUpMicroseconds` breaks the picture until the next complete key frame, which is
/// asked for (PLI) as a browser does. A pause between rendered frames longer than 300 ms is a
/// freeze.
///
/// One tracker per received video stream (the server's output SSRC: one sequence space across
/// layer switches).
struct VideoRenderTracker {
    static let freezeThresholdMicroseconds: Int64 = 300_000
    static let giveUpMicroseconds: Int64 = 500_000
    static let renackMicroseconds: Int64 = 100_000
    static let keyFrameRequestInterval: Int64 = 300_000

    /// What `poll` asks the receiver to send.
    enum Repair: Equatable {
        case nack([UInt16])
        case keyFrame
    }
    /// Gaps longer than this are not repaired packet by packet but with a key frame (the
    /// receiver asks for one at once: `ReceiverFeedback.nackableGap`).
    static let largestTrackedGap = ReceiverFeedback.nackableGap

    private var highest: Int64?
    /// Missing extended sequence numbers: when each was noticed and last asked for.
    private var missing: [Int64: (noticed: Int64, asked: Int64)] = [:]
    private var lastKeyFrameRequest: Int64?
    /// Last packets of frames not rendered yet, oldest first.
    private var pendingFrameEnds: [Int64] = []
    private var needsKeyFrame = true
    private(set) var lastRenderAt: Int64?
    private(set) var framesRendered = 0
    /// The longest time between rendered frames, and the sum of those longer than the threshold.
    private(set) var longestGap: Int64 = 0
    private var frozenTotal: Int64 = 0

    /// Forgets the longest gap and the frozen time so far (a measurement starts).
    mutating func resetStatistics() {
        longestGap = 0
        frozenTotal = 0
    }

    /// A packet of the stream: its sequence number, marker, and whether it starts a key frame.
    /// Returns whether it is newer than any before (not a repair or a duplicate).
    @discardableResult
    mutating func received(sequence: UInt16, marker: Bool, startsKeyFrame: Bool, at now: Int64) -> Bool {
        let extended = highest.map { $0 + Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: $0))) }
            ?? Int64(sequence)
        let isNew = highest.map { extended > $0 } ?? true
        if let last = highest {
            if extended > last + 1 {
                if extended - last - 1 > Self.largestTrackedGap {
                    breakPicture()
                } else {
                    for lost in (last + 1)..<extended { missing[lost] = (now, now) }
                }
            }
            if extended <= last { missing[extended] = nil }
        }
        highest = max(highest ?? extended, extended)
        if startsKeyFrame, isNew {
            // The decoder can start again here: what came before no longer matters (and is
            // no longer asked for, as libwebrtc's NACK module clears up to a key frame).
            missing = missing.filter { $0.key >= extended }
            pendingFrameEnds.removeAll { $0 < extended }
            needsKeyFrame = false
        }
        if marker, !needsKeyFrame, isNew { pendingFrameEnds.append(extended) }
        renderReady(at: now)
        return isNew
    }

    /// Asks again for what is still missing; a gap that waited too long for a repair breaks the
    /// picture, and a broken picture asks for a key frame (at most every 300 ms).
    mutating func poll(at now: Int64) -> Repair? {
        if missing.values.contains(where: { now - $0.noticed > Self.giveUpMicroseconds }) { breakPicture() }
        if needsKeyFrame, highest != nil {
            // What is missing no longer matters: the picture restarts at the key frame.
            missing.removeAll()
            guard lastKeyFrameRequest.map({ now - $0 >= Self.keyFrameRequestInterval }) ?? true else { return nil }
            lastKeyFrameRequest = now
            return .keyFrame
        }
        var again: [UInt16] = []
        for (sequence, times) in missing where now - times.asked >= Self.renackMicroseconds {
            again.append(UInt16(truncatingIfNeeded: sequence))
            missing[sequence] = (times.noticed, now)
        }
        return again.isEmpty ? nil : .nack(again.sorted())
    }

    /// All time spent frozen up to `now`, counting a freeze still going on.
    func frozenMicroseconds(at now: Int64) -> Int64 {
        guard let lastRenderAt else { return 0 }
        let ongoing = now - lastRenderAt
        return frozenTotal + (ongoing > Self.freezeThresholdMicroseconds ? ongoing : 0)
    }

    /// The longest gap so far, counting the one still going on.
    func longestGap(at now: Int64) -> Int64 {
        max(longestGap, lastRenderAt.map { now - $0 } ?? 0)
    }

    private mutating func breakPicture() {
        needsKeyFrame = true
        missing.removeAll()
        pendingFrameEnds.removeAll()
    }

    private mutating func renderReady(at now: Int64) {
        while let end = pendingFrameEnds.first, !missing.keys.contains(where: { $0 <= end }) {
            pendingFrameEnds.removeFirst()
            if let last = lastRenderAt {
                let gap = now - last
                longestGap = max(longestGap, gap)
                if gap > Self.freezeThresholdMicroseconds { frozenTotal += gap }
            }
            lastRenderAt = now
            framesRendered += 1
        }
    }
}
