public import RTP

/// What the layer selector needs to know about one incoming video packet, taken from the RTP
/// header and the codec's layer signalling (VP8 descriptor or dependency descriptor).
public struct SimulcastPacketInfo: Sendable, Hashable {
    /// Index of the simulcast stream the packet belongs to (0 = lowest resolution).
    public var spatialLayer: Int
    /// RTP timestamp: every packet of one frame carries the same one (RFC 3550 §5.1).
    public var timestamp: UInt32
    /// Temporal layer id; nil for a stream without temporal layers (treated as 0).
    public var temporalID: UInt8?
    /// The first packet of a key frame: a point where decoding of this layer can start.
    public var isKeyFrame: Bool
    /// A temporal switching-up point: the frame depends only on the base temporal layer
    /// (VP8 Y bit, RFC 7741 §4.2; dependency descriptor "switch" indication).
    public var isLayerSync: Bool
    /// The last packet of its frame (RTP marker for video, RFC 7741 §4.1).
    public var isEndOfFrame: Bool
    /// Arrival time at the router, in microseconds of a monotonic clock.
    public var arrivalMicroseconds: Int64

    public init(spatialLayer: Int, timestamp: UInt32, temporalID: UInt8?, isKeyFrame: Bool, isLayerSync: Bool,
                isEndOfFrame: Bool, arrivalMicroseconds: Int64) {
        self.spatialLayer = spatialLayer
        self.timestamp = timestamp
        self.temporalID = temporalID
        self.isKeyFrame = isKeyFrame
        self.isLayerSync = isLayerSync
        self.isEndOfFrame = isEndOfFrame
        self.arrivalMicroseconds = arrivalMicroseconds
    }

    /// From a VP8 payload descriptor (RFC 7741 §4.2: TID and Y; §4.3: key frame on the first
    /// packet of a frame) and the RTP marker.
    public init(spatialLayer: Int, timestamp: UInt32, marker: Bool, arrivalMicroseconds: Int64, vp8: VP8Descriptor) {
        self.init(spatialLayer: spatialLayer, timestamp: timestamp, temporalID: vp8.temporalLayerID,
                  isKeyFrame: vp8.isKeyFrame, isLayerSync: vp8.isLayerSync, isEndOfFrame: marker,
                  arrivalMicroseconds: arrivalMicroseconds)
    }

    /// From a dependency descriptor (AV1 RTP spec Appendix A). In simulcast every stream is
    /// its own single-spatial-layer structure; a frame without dependencies that starts here is
    /// a key frame, and a "switch" indication for any decode target marks a sync point (A.3).
    public init(spatialLayer: Int, timestamp: UInt32, arrivalMicroseconds: Int64,
                dependencyDescriptor descriptor: DependencyDescriptor) {
        self.init(spatialLayer: spatialLayer, timestamp: timestamp, temporalID: descriptor.temporalID,
                  isKeyFrame: descriptor.isStartOfFrame && descriptor.frameDiffs.isEmpty,
                  isLayerSync: descriptor.decodeTargetIndications.contains(.switch),
                  isEndOfFrame: descriptor.isEndOfFrame, arrivalMicroseconds: arrivalMicroseconds)
    }
}

/// The selector's verdict for one packet.
public struct SimulcastSelection: Sendable, Hashable {
    /// Forward this packet to the subscription (else drop it).
    public var forward: Bool
    /// Set on the packet where forwarding switched to this spatial layer (its key frame start).
    public var switchedToSpatialLayer: Int?
    /// The spatial layer whose key frame the selector is waiting for, while it waits. The router
    /// sends a PLI/FIR for that stream (rate-limited elsewhere).
    public var keyFrameNeededForSpatialLayer: Int?

    public init(forward: Bool, switchedToSpatialLayer: Int? = nil, keyFrameNeededForSpatialLayer: Int? = nil) {
        self.forward = forward
        self.switchedToSpatialLayer = switchedToSpatialLayer
        self.keyFrameNeededForSpatialLayer = keyFrameNeededForSpatialLayer
    }
}

extension SimulcastPacketInfo {
    /// From the payload of a codec other than VP8; nil when it does not parse as that codec.
    /// - VP9 (RFC 9628 §4.2): P clear at the start of a base-layer frame is a key frame, TID is
    ///   the temporal layer, U marks a switching-up point.
    /// - H.264 (RFC 6184): an IDR slice, or an SPS with a PPS, starts a key frame; no temporal
    ///   layers are read.
    /// - AV1 (AV1 RTP spec §4.4): the aggregation header's N bit starts a coded video sequence,
    ///   a key frame; temporal layers need the dependency descriptor, which is not read here.
    /// - Anything else: every frame start counts as a switch point (whole-layer forwarding).
    init?(codec: TrackCodec.Kind, spatialLayer: Int, timestamp: UInt32, marker: Bool, arrivalMicroseconds: Int64,
          payload: UnsafeRawBufferPointer) {
        var temporalID: UInt8?
        var isKeyFrame = false
        var isLayerSync = false
        switch codec {
        case .vp9:
            guard let vp9 = try? VP9Descriptor.parse(payload) else { return nil }
            temporalID = vp9.temporalID
            isKeyFrame = vp9.isKeyFrame
            isLayerSync = vp9.isSwitchingUpPoint
        case .h264:
            guard let h264 = try? H264PayloadDescriptor.parse(payload) else { return nil }
            isKeyFrame = h264.isKeyFrame
        case .av1:
            guard let av1 = try? AV1PayloadDescriptor.parse(payload) else { return nil }
            isKeyFrame = av1.isKeyFrame && !av1.continuesPreviousOBU
        case .vp8, .other:
            // VP8 is read by the caller, with the descriptor it rewrites.
            isKeyFrame = true
            isLayerSync = true
        }
        self.init(spatialLayer: spatialLayer, timestamp: timestamp, temporalID: temporalID, isKeyFrame: isKeyFrame,
                  isLayerSync: isLayerSync, isEndOfFrame: marker, arrivalMicroseconds: arrivalMicroseconds)
    }
}
