import CongestionControl
import RTP

/// Send-side congestion control for a subscriber transport that negotiated transport-cc: the
/// header extension id its answer kept, and the estimator that numbers every packet sent to it
/// and reads its feedback.
struct SubscriberCongestionControl {
    let extensionID: UInt8
    var estimator: SendSideBandwidthEstimator
    /// The estimate the last allocation used.
    var allocatedFor: Int?

    init(extensionID: UInt8, startBitrate: Int) {
        self.extensionID = extensionID
        estimator = SendSideBandwidthEstimator(startBitrate: startBitrate)
    }

    /// Largest padding an RTP packet can carry: its count is one octet (RFC 3550 §5.1).
    static let maximumPadding = 255
}
