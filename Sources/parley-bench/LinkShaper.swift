/// What the emulated link does to traffic (the downlink from the server to one subscriber;
/// the uplink only gets the delay).
struct LinkConditions: Sendable, Equatable {
    /// Bits per second from the start; nil: no limit.
    var rateBitsPerSecond: Int?
    /// Rate changes: at `atMicroseconds` after the start, the rate becomes `bitsPerSecond`.
    var schedule: [LinkRateChange] = []
    /// One way, each direction.
    var delayMicroseconds: Int64 = 0
    /// Extra downlink delay, uniform in 0…jitter (packets keep their order, as on one path).
    var jitterMicroseconds: Int64 = 0
    /// Chance that a packet is lost, 0…1.
    var randomLoss = 0.0
    /// Gilbert-Elliott bursts: per packet, the chance to enter the losing state and to leave it
    /// (every packet in it is lost); nil: no bursts.
    var burstEnter: Double?
    var burstLeave = 0.3
    /// The bottleneck's queue, as the longest wait it holds at the current rate (drop tail).
    var queueMicroseconds: Int64 = 200_000

    var isActive: Bool {
        rateBitsPerSecond != nil || !schedule.isEmpty || delayMicroseconds > 0 || jitterMicroseconds > 0
            || randomLoss > 0 || burstEnter != nil
    }

    /// The rate in force `elapsed` µs after the start.
    func rate(atElapsed elapsed: Int64) -> Int? {
        schedule.last { $0.atMicroseconds <= elapsed }?.bitsPerSecond ?? rateBitsPerSecond
    }

    /// "20:500,40:5000": at 20 s 500 kbit/s, at 40 s 5,000 kbit/s. Nil when malformed.
    static func parseSchedule(_ text: String) -> [LinkRateChange]? {
        var changes: [LinkRateChange] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let seconds = Double(parts[0].trimmingCharacters(in: .whitespaces)),
                  let kbps = Int(parts[1].trimmingCharacters(in: .whitespaces)), seconds >= 0, kbps >= 8 else { return nil }
            changes.append(LinkRateChange(atMicroseconds: Int64(seconds * 1_000_000), bitsPerSecond: kbps * 1000))
        }
        return changes.sorted { $0.atMicroseconds < $1.atMicroseconds }
    }
}

struct LinkRateChange: Sendable, Equatable {
    var atMicroseconds: Int64
    var bitsPerSecond: Int
}

/// Why the link dropped a packet.
enum LinkDrop: Sendable, Equatable {
    case queueFull, random, burst
}

/// The downlink's model, separate from its sockets so it can be tested in virtual time: a
/// FIFO served at the scheduled rate behind a bounded queue, then delay and jitter; random and
/// bursty loss before the queue, as on a lossy last hop.
struct LinkShaper {
    let conditions: LinkConditions
    private var freeAt: Int64 = 0
    private var lastDelivery: Int64 = 0
    private var inBurst = false
    private var random: any RandomNumberGenerator

    init(conditions: LinkConditions, random: any RandomNumberGenerator = SystemRandomNumberGenerator()) {
        self.conditions = conditions
        self.random = random
    }

    /// When a datagram of `size` bytes arriving at `now` (µs) leaves the link, with `rate` in
    /// force (nil: unlimited), or why it does not.
    mutating func admit(size: Int, at now: Int64, rate: Int?) -> Result<Int64, LinkDropError> {
        if let enter = conditions.burstEnter {
            let draw = Double.random(in: 0..<1, using: &random)
            inBurst = inBurst ? draw >= conditions.burstLeave : draw < enter
            if inBurst { return .failure(LinkDropError(reason: .burst)) }
        }
        if conditions.randomLoss > 0, Double.random(in: 0..<1, using: &random) < conditions.randomLoss {
            return .failure(LinkDropError(reason: .random))
        }
        var departure = now
        if let rate {
            let start = max(freeAt, now)
            guard start - now <= conditions.queueMicroseconds else { return .failure(LinkDropError(reason: .queueFull)) }
            freeAt = start + Int64(size) * 8 * 1_000_000 / Int64(max(rate, 1))
            departure = freeAt
        }
        let jitter = conditions.jitterMicroseconds > 0 ? Int64.random(in: 0...conditions.jitterMicroseconds, using: &random) : 0
        let delivery = max(departure + conditions.delayMicroseconds + jitter, lastDelivery)
        lastDelivery = delivery
        return .success(delivery)
    }

    /// How long a packet arriving now would wait in the queue.
    func queueDelay(at now: Int64) -> Int64 { max(0, freeAt - now) }
}

struct LinkDropError: Error, Equatable {
    let reason: LinkDrop
}
