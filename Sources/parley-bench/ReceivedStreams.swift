/// What one receiver got of each (sender, stream): counted once per sequence (retransmissions
/// and duplicates are not counted twice), and how many should have arrived between the first
/// and the highest sequence seen. Loss is measured this way rather than from what the senders
/// sent, since a subscriber receives one simulcast layer of several, possibly from senders in
/// another bench process.
///
/// A stream that stops for `absenceMicroseconds` and comes back (the router switched this
/// receiver to another simulcast layer and back) starts a new stretch: the sequence numbers it
/// skipped meanwhile went to other receivers, not lost. (A real outage that long is not counted
/// as loss either; it shows as a freeze or a missing track.)
struct ReceivedStreams {
    static let absenceMicroseconds: Int64 = 300_000

    struct Stream {
        var first: UInt32
        var highest: UInt32
        var received = 1
        /// Bit i: sequence `highest - i` arrived (i < 64).
        var window: UInt64 = 1
        /// Sequence numbers between stretches (not meant for this receiver).
        var skipped = 0
        var lastArrival: Int64

        init(first: UInt32, at now: Int64) {
            self.first = first
            highest = first
            lastArrival = now
        }

        /// Counts `sequence`; false when it was seen already or is too old to tell.
        mutating func record(_ sequence: UInt32, at now: Int64) -> Bool {
            defer { lastArrival = max(lastArrival, now) }
            if sequence > highest {
                if sequence > highest + 1, now - lastArrival >= ReceivedStreams.absenceMicroseconds {
                    skipped += Int(sequence - highest - 1)
                }
                let shift = sequence - highest
                window = shift >= 64 ? 1 : (window << shift) | 1
                highest = sequence
            } else {
                let age = highest - sequence
                guard age < 64, window & (1 << age) == 0, sequence >= first else { return false }
                window |= 1 << age
            }
            received += 1
            return true
        }

        var expected: Int { Int(highest - first) + 1 - skipped }
    }

    private(set) var streams: [UInt32: Stream] = [:]

    /// Counts a stamped arrival; false for a duplicate.
    mutating func record(_ stamp: BenchStamp, at now: Int64) -> Bool {
        let key = UInt32(stamp.sender) << 8 | UInt32(stamp.stream)
        guard var stream = streams[key] else {
            streams[key] = Stream(first: stamp.sequence, at: now)
            return true
        }
        let counted = stream.record(stamp.sequence, at: now)
        streams[key] = stream
        return counted
    }

    var received: Int { streams.values.reduce(0) { $0 + $1.received } }
    var expected: Int { streams.values.reduce(0) { $0 + $1.expected } }

    /// (sender, kind) pairs heard from, video layers counted as one track.
    var tracks: Int {
        Set(streams.keys.map { key -> UInt32 in
            let stream = UInt8(truncatingIfNeeded: key)
            let kind: UInt32 = stream == BenchStamp.audioStream ? 0 : stream == BenchStamp.dataStream ? 2 : 1
            return (key >> 8) << 2 | kind
        }).count
    }

    mutating func reset() { streams.removeAll(keepingCapacity: true) }
}
