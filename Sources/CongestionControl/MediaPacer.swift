/// Spreads a subscriber's video over time so a burst (a key frame's packets, arriving from the
/// publisher within a few milliseconds) leaves at a rate the downlink can take instead of all at
/// once into the bottleneck's queue. A leaky bucket with a FIFO behind it, as libwebrtc's pacer
/// (modules/pacing): the rate is a multiple of the estimate, so it shapes bursts and never holds
/// the average back.
///
/// Packets go out at once while the bucket has budget and nothing waits; otherwise they wait in
/// the queue, copied into a ring that is reserved small on first use and grows while a queue
/// outgrows it, and `drain` sends them as budget returns. Waiting packets keep their order.
/// Pure logic: no clock, no I/O.
public struct MediaPacer: Sendable {
    /// Pacing rate ÷ estimate (libwebrtc's default pacing factor).
    public static let pacingFactor = 2.5
    /// How much unused rate may build up: a short burst leaves unpaced.
    public static let burstMicroseconds: Int64 = 10_000
    /// No packet waits longer than about this: while the queue would not empty before its oldest
    /// packet has waited this long, the rate rises so that it does (libwebrtc caps its queue
    /// time the same way).
    public static let maximumQueueMicroseconds: Int64 = 250_000
    /// Storage for waiting packets, and how many may wait; past either, the queue is sent
    /// out at once rather than dropped (a burst is better than a loss).
    public static let queueBytes = 256 * 1024
    public static let queuePackets = 512
    /// What the ring starts with: most subscribers only ever queue part of one key frame, and
    /// a webinar has many subscribers, so the full size is reserved only by those that need it.
    public static let initialQueueBytes = 32 * 1024
    public static let initialQueuePackets = 32

    /// Bits per second packets leave at; nil: unpaced (nothing limits the downlink).
    public private(set) var rate: Int?
    /// Bytes that may leave now; may run one packet into debt.
    private var budget = 0
    private var lastRefill: Int64?

    private var storage: [UInt8] = []
    private var entries: [(offset: Int, length: Int, queuedAt: Int64)] = []
    private var head = 0
    private var count = 0
    private var writeOffset = 0
    /// Bytes waiting.
    public private(set) var queuedBytes = 0
    /// Packets that had to wait (a count for metrics and tests).
    public private(set) var packetsDelayed = 0

    public init() {}

    /// Bytes reserved for waiting packets (memory held, whether or not anything waits).
    public var reservedBytes: Int { storage.count }

    /// Whether any packet is waiting.
    public var isEmpty: Bool { count == 0 }

    /// Paces at `pacingFactor` times `estimate` (bits/s); nil stops pacing (`drain` then
    /// sends everything that waits).
    public mutating func setEstimate(_ estimate: Int?, now: Int64) {
        refill(now: now)
        rate = estimate.map { max(Int(Double($0) * Self.pacingFactor), 8_000) }
    }

    /// Whether a packet of `size` bytes must wait. When it need not, its bytes are charged to
    /// the budget, as the caller sends it now.
    public mutating func mustWait(size: Int, now: Int64) -> Bool {
        guard rate != nil else { return false }
        refill(now: now)
        guard count == 0, budget > 0 else { return true }
        budget -= size
        return false
    }

    /// Charges a packet that leaves outside the queue (audio, a retransmission, a probe): it
    /// takes downlink as much as video does.
    public mutating func charge(size: Int, now: Int64) {
        guard rate != nil else { return }
        refill(now: now)
        budget -= size
    }

    /// Queues a copy of `packet`; false when there is no room (the caller then drains
    /// everything at once and sends the packet after it, keeping the order).
    public mutating func enqueue(_ packet: UnsafeRawBufferPointer, now: Int64) -> Bool {
        guard packet.count > 0 else { return false }
        while count == entries.count || freeOffset(for: packet.count) == nil {
            guard grow() else { return false }
        }
        guard let offset = freeOffset(for: packet.count) else { return false }
        storage.withUnsafeMutableBytes { bytes in
            guard let target = bytes.baseAddress, let source = packet.baseAddress else { return }
            (target + offset).copyMemory(from: source, byteCount: packet.count)
        }
        entries[(head + count) % entries.count] = (offset, packet.count, now)
        count += 1
        writeOffset = offset + packet.count
        queuedBytes += packet.count
        packetsDelayed += 1
        return true
    }

    /// Sends waiting packets, oldest first, while the budget lasts (all of them when unpaced
    /// or `everything`). `send` gets each packet's bytes, valid only during the call.
    public mutating func drain(now: Int64, everything: Bool = false, _ send: (UnsafeRawBufferPointer) -> Void) {
        refill(now: now)
        while count > 0, everything || rate == nil || budget > 0 {
            let entry = entries[head]
            storage.withUnsafeBytes { bytes in
                send(UnsafeRawBufferPointer(rebasing: bytes[entry.offset..<entry.offset + entry.length]))
            }
            head = (head + 1) % entries.count
            count -= 1
            queuedBytes -= entry.length
            if rate != nil { budget -= entry.length }
        }
        if count == 0 {
            head = 0
            writeOffset = 0
        }
    }

    /// Doubles the ring (both the bytes and the packet slots, each up to its limit), moving what
    /// waits to its start in order; false when both are at their limits already.
    private mutating func grow() -> Bool {
        let byteCapacity = storage.isEmpty ? Self.initialQueueBytes : min(storage.count * 2, Self.queueBytes)
        let slotCapacity = entries.isEmpty ? Self.initialQueuePackets : min(entries.count * 2, Self.queuePackets)
        guard byteCapacity > storage.count || slotCapacity > entries.count else { return false }
        var grownStorage = [UInt8](repeating: 0, count: byteCapacity)
        var grownEntries: [(offset: Int, length: Int, queuedAt: Int64)] = Array(repeating: (0, 0, 0), count: slotCapacity)
        var offset = 0
        grownStorage.withUnsafeMutableBytes { target in
            storage.withUnsafeBytes { source in
                for index in 0..<count {
                    let entry = entries[(head + index) % entries.count]
                    target[offset..<offset + entry.length].copyBytes(from: source[entry.offset..<entry.offset + entry.length])
                    grownEntries[index] = (offset, entry.length, entry.queuedAt)
                    offset += entry.length
                }
            }
        }
        storage = grownStorage
        entries = grownEntries
        head = 0
        writeOffset = offset
        return true
    }

    /// Where a packet of `length` bytes fits whole in the ring, if it does. Waiting bytes run
    /// from the oldest packet's offset up to `writeOffset`, wrapping past the end at most once.
    private func freeOffset(for length: Int) -> Int? {
        guard count > 0 else { return length <= storage.count ? 0 : nil }
        let oldest = entries[head].offset
        if writeOffset > oldest {
            // Not wrapped: free after the newest packet, then before the oldest.
            if writeOffset + length <= storage.count { return writeOffset }
            return length <= oldest ? 0 : nil
        }
        // Wrapped: free only between the newest packet and the oldest.
        return writeOffset + length <= oldest ? writeOffset : nil
    }

    /// Adds what the rate earned since the last refill, up to `burstMicroseconds` of it; faster
    /// when the queue would otherwise keep its oldest packet past `maximumQueueMicroseconds`.
    private mutating func refill(now: Int64) {
        defer { lastRefill = now }
        guard let rate, let last = lastRefill, now > last else { return }
        let elapsed = now - last
        var drainRate = Int64(rate)
        if count > 0 {
            let timeLeft = max(Self.maximumQueueMicroseconds - (now - entries[head].queuedAt), Self.burstMicroseconds)
            drainRate = max(drainRate, Int64(queuedBytes) * 8 * 1_000_000 / timeLeft)
        }
        let earned = drainRate * elapsed / 8_000_000
        let ceiling = max(drainRate * Self.burstMicroseconds / 8_000_000, 1_500)
        budget = min(budget + Int(earned), Int(ceiling))
    }
}
