/// What the delay gradient says about the path (draft-ietf-rmcat-gcc-02 §5.4).
public enum BandwidthUsage: String, Sendable, Equatable, Codable {
    /// Queues are stable.
    case normal
    /// Queues are growing: we send more than the bottleneck carries.
    case overusing
    /// Queues are draining.
    case underusing
}

/// The delay-based overuse detector: a trend line (least squares) over the last
/// `windowSize` smoothed accumulated delay samples, compared with an adaptive threshold
/// (draft-ietf-rmcat-gcc-02 §5.3-5.4; the trend-line filter is what libwebrtc's goog_cc uses in
/// place of the draft's Kalman filter). Overuse is declared only after the trend stayed above
/// the threshold for `overuseTimeThresholdMilliseconds` and more than one sample, and is not
/// falling, so one late packet is not congestion.
public struct TrendlineEstimator: Sendable {
    public static let windowSize = 20
    public static let smoothing = 0.9
    public static let thresholdGain = 4.0
    /// The trend is scaled by the number of samples seen, up to this many.
    public static let deltaCountCap = 60
    public static let overuseTimeThresholdMilliseconds = 10.0
    /// Adaptive threshold (§5.4): up fast when the trend is above it, down slowly, kept in 6…600.
    public static let thresholdUpGain = 0.0087
    public static let thresholdDownGain = 0.039
    public static let initialThreshold = 12.5
    public static let thresholdRange = 6.0...600.0
    /// A trend this far beyond the threshold is a spike: it does not move the threshold.
    public static let maximumThresholdAdaptOffset = 15.0

    public private(set) var usage: BandwidthUsage = .normal
    public private(set) var threshold = TrendlineEstimator.initialThreshold
    /// The last trend (slope of smoothed delay over arrival time), and that slope as compared.
    public private(set) var trend = 0.0
    public private(set) var modifiedTrend = 0.0

    private var firstArrivalMilliseconds: Double?
    private var accumulatedDelay = 0.0
    private var smoothedDelay = 0.0
    private var samples: [(x: Double, y: Double)] = []
    private var deltaCount = 0
    private var lastThresholdUpdateMilliseconds: Double?
    private var timeOverUsing = -1.0
    private var overuseCount = 0

    public init() {
        samples.reserveCapacity(Self.windowSize)
    }

    /// Takes one group delta; returns the detector's state after it.
    @discardableResult
    public mutating func update(_ delta: PacketGroupDelta) -> BandwidthUsage {
        let arrivalMilliseconds = Double(delta.arrivalMicroseconds) / 1000
        let sendDeltaMilliseconds = Double(delta.sendDeltaMicroseconds) / 1000
        let delayVariation = Double(delta.arrivalDeltaMicroseconds - delta.sendDeltaMicroseconds) / 1000
        deltaCount = min(deltaCount + 1, 1000)
        let first = firstArrivalMilliseconds ?? arrivalMilliseconds
        firstArrivalMilliseconds = first
        accumulatedDelay += delayVariation
        smoothedDelay = Self.smoothing * smoothedDelay + (1 - Self.smoothing) * accumulatedDelay
        if samples.count == Self.windowSize { samples.removeFirst() }
        samples.append((arrivalMilliseconds - first, smoothedDelay))
        let previousTrend = trend
        if samples.count == Self.windowSize, let slope = Self.slope(samples) { trend = slope }
        detect(previousTrend: previousTrend, sendDeltaMilliseconds: sendDeltaMilliseconds,
               nowMilliseconds: arrivalMilliseconds)
        return usage
    }

    /// Least-squares slope of y over x; nil when every x is the same.
    static func slope(_ points: [(x: Double, y: Double)]) -> Double? {
        let count = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.x } / count
        let meanY = points.reduce(0) { $0 + $1.y } / count
        var numerator = 0.0, denominator = 0.0
        for point in points {
            numerator += (point.x - meanX) * (point.y - meanY)
            denominator += (point.x - meanX) * (point.x - meanX)
        }
        return denominator == 0 ? nil : numerator / denominator
    }

    private mutating func detect(previousTrend: Double, sendDeltaMilliseconds: Double, nowMilliseconds: Double) {
        guard deltaCount >= 2 else {
            usage = .normal
            return
        }
        modifiedTrend = Double(min(deltaCount, Self.deltaCountCap)) * trend * Self.thresholdGain
        if modifiedTrend > threshold {
            // The first sample above: assume it has been so for half the send gap.
            timeOverUsing = timeOverUsing < 0 ? sendDeltaMilliseconds / 2 : timeOverUsing + sendDeltaMilliseconds
            overuseCount += 1
            if timeOverUsing > Self.overuseTimeThresholdMilliseconds, overuseCount > 1, trend >= previousTrend {
                timeOverUsing = 0
                overuseCount = 0
                usage = .overusing
            }
        } else if modifiedTrend < -threshold {
            timeOverUsing = -1
            overuseCount = 0
            usage = .underusing
        } else {
            timeOverUsing = -1
            overuseCount = 0
            usage = .normal
        }
        adaptThreshold(nowMilliseconds: nowMilliseconds)
    }

    private mutating func adaptThreshold(nowMilliseconds: Double) {
        let last = lastThresholdUpdateMilliseconds ?? nowMilliseconds
        lastThresholdUpdateMilliseconds = nowMilliseconds
        let magnitude = abs(modifiedTrend)
        guard magnitude <= threshold + Self.maximumThresholdAdaptOffset else { return }
        let gain = magnitude < threshold ? Self.thresholdDownGain : Self.thresholdUpGain
        let elapsed = min(nowMilliseconds - last, 100)
        threshold += gain * (magnitude - threshold) * elapsed
        threshold = min(max(threshold, Self.thresholdRange.lowerBound), Self.thresholdRange.upperBound)
    }
}
