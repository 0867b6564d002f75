#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The delay-based rate controller (draft-ietf-rmcat-gcc-02 §5.5, as libwebrtc's AimdRateControl
/// refines it): on overuse the rate drops to `beta` times what the receiver measured arriving;
/// while the path is normal it grows, multiplicatively (8 % per second) while far from the
/// last known link capacity and additively (about a packet per response time) near it; on
/// underuse it holds, letting queues drain. It never grows past 1.5 × the acknowledged rate:
/// the estimate may only run so far ahead of what was actually shown to get through.
public struct AIMDRateControl: Sendable {
    public enum State: String, Sendable { case hold, increase, decrease }

    public static let beta = 0.85
    public static let multiplicativeGrowthPerSecond = 1.08
    public static let minimumNearMaxIncreasePerSecond = 4_000.0

    public let minimumBitrate: Int
    public let maximumBitrate: Int
    public private(set) var bitrate: Int
    public private(set) var state: State = .hold
    /// Acknowledged rates at past decreases, averaged (kbit/s); nil when not known or stale.
    public private(set) var linkCapacityKbps: Double?
    /// Their spread, normalized by the average (libwebrtc's LinkCapacityEstimator), 0.4…2.5.
    private var linkCapacityDeviation = 0.4
    private var lastUpdate: Int64?
    private var lastDecrease: Int64?

    public init(startBitrate: Int, minimumBitrate: Int = 30_000, maximumBitrate: Int = 20_000_000) {
        self.minimumBitrate = minimumBitrate
        self.maximumBitrate = maximumBitrate
        bitrate = min(max(startBitrate, minimumBitrate), maximumBitrate)
    }

    /// A measured rate replaces the estimate (a probe's result, or a REMB at start).
    public mutating func setBitrate(_ value: Int, at now: Int64) {
        bitrate = min(max(value, minimumBitrate), maximumBitrate)
        lastUpdate = now
    }

    /// One detector verdict; `acknowledged` is the rate the receiver measured and `sent` the
    /// rate those packets left at, when known.
    @discardableResult
    public mutating func update(usage: BandwidthUsage, acknowledged: Int?, sent: Int? = nil,
                                roundTripMicroseconds: Int64, at now: Int64) -> Int {
        // Sending far less than the estimate allows (audio only, a paused video) while the path
        // keeps up: the acknowledged rate says what we sent, not what the path carries.
        let applicationLimited = sent.map { sent in
            sent < bitrate / 2 && (acknowledged.map { Double($0) >= 0.9 * Double(sent) } ?? true)
        } ?? false
        switch usage {
        case .overusing:
            // Overuse lasts while the queue it built drains: one decrease per round trip (10…200 ms)
            // is enough, unless what gets through collapsed to under half of what is sent.
            let interval = min(max(roundTripMicroseconds, 10_000), 200_000)
            let recent = lastDecrease.map { now - $0 < interval } ?? false
            let collapsed = acknowledged.flatMap { acknowledged in sent.map { acknowledged < $0 / 2 } } ?? false
            if recent && !collapsed {
                lastUpdate = now
                return bitrate
            }
            state = .decrease
        case .underusing: state = .hold
        case .normal: if state == .hold || state == .decrease { state = .increase }
        }
        let elapsed = secondsSince(lastUpdate, now: now)
        lastUpdate = now
        switch state {
        case .hold:
            break
        case .increase:
            if let acknowledged, let capacity = linkCapacityKbps,
               Double(acknowledged) / 1000 > capacity + 3 * (capacity * linkCapacityDeviation).squareRoot() {
                // Well above where the link used to saturate: that knowledge is stale.
                linkCapacityKbps = nil
            }
            var grown: Double
            if linkCapacityKbps != nil {
                grown = Double(bitrate) + nearMaxIncreasePerSecond(roundTripMicroseconds: roundTripMicroseconds) * elapsed
            } else {
                let factor = pow(Self.multiplicativeGrowthPerSecond, elapsed)
                grown = Double(bitrate) + max(Double(bitrate) * (factor - 1), 1_000 * elapsed)
            }
            if let acknowledged, !applicationLimited { grown = min(grown, 1.5 * Double(acknowledged) + 10_000) }
            // Growth only: the acknowledged cap never pulls the estimate down here.
            bitrate = max(bitrate, min(Int(grown), maximumBitrate))
        case .decrease:
            // From what got through; when application-limited that is only what we chose to
            // send, so the cut is taken from the estimate itself.
            let base = Double(applicationLimited ? bitrate : acknowledged ?? bitrate)
            var decreased = Self.beta * base
            if decreased > Double(bitrate), let capacity = linkCapacityKbps { decreased = Self.beta * capacity * 1000 }
            bitrate = max(min(Int(decreased), bitrate), minimumBitrate)
            if let acknowledged, !applicationLimited { learnLinkCapacity(kbps: Double(acknowledged) / 1000) }
            // One decrease per overuse signal; the detector says again if it persists.
            state = .hold
            lastDecrease = now
        }
        return bitrate
    }

    /// A packet per response time (round trip + 100 ms), sized for 30 frames/s at the current
    /// rate (libwebrtc's near-max increase).
    private func nearMaxIncreasePerSecond(roundTripMicroseconds: Int64) -> Double {
        let bitsPerFrame = Double(bitrate) / 30
        let packetsPerFrame = (bitsPerFrame / (1200 * 8)).rounded(.up)
        let packetBits = bitsPerFrame / max(packetsPerFrame, 1)
        let responseSeconds = Double(roundTripMicroseconds + 100_000) / 1_000_000
        return max(Self.minimumNearMaxIncreasePerSecond, packetBits / responseSeconds)
    }

    /// Exponential average of the rates at which the link saturated, and their spread.
    private mutating func learnLinkCapacity(kbps sample: Double) {
        let alpha = 0.05
        let capacity = linkCapacityKbps.map { (1 - alpha) * $0 + alpha * sample } ?? sample
        let error = capacity - sample
        linkCapacityDeviation = min(max((1 - alpha) * linkCapacityDeviation + alpha * error * error / max(capacity, 1),
                                        0.4), 2.5)
        linkCapacityKbps = capacity
    }
}

/// Seconds from `last` to `now` for a rate controller's growth step: 0 the first time, never
/// negative, and at most 1 (a long silence is not a licence to grow by its length).
func secondsSince(_ last: Int64?, now: Int64) -> Double {
    last.map { Double(min(max(now - $0, 0), 1_000_000)) / 1_000_000 } ?? 0
}
