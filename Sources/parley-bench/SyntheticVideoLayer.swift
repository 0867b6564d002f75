/// One VP8 encoding a benchmark publisher sends (a simulcast layer, or the only one): frames of
/// a size set by its bitrate, split into equal packets (`BenchParticipant` paces a frame's
/// packets, all layers together, over part of the frame interval, as a browser's pacer does),
/// three temporal layers (TID pattern 0,2,1,2), and a key
/// frame first and whenever a PLI/FIR names its SSRC, `keyFrameFactor` times the size of the
/// others (an encoder's key frame is several times a delta frame).
struct SyntheticVideoLayer {
    /// Chrome's rids for three simulcast layers, lowest first.
    static let rids = ["q", "h", "f"]
    /// Sizes announced for the layers (the server picks by them when a subscriber gives its
    /// rendering size).
    static let sizes = [(320, 180), (640, 360), (1280, 720)]
    /// A frame's packets go out over this share of the frame interval.
    static let pacingShare = 0.4
    /// RFC 7741 §4.2 descriptor with picture ID (15 bits), TL0PICIDX and TID, then the VP8
    /// payload header's first byte (§4.3).
    static let descriptorSize = 6 + 1

    let layer: Int
    let ssrc: UInt32
    let bitrate: Int
    /// Packets of a delta frame.
    let packetsPerFrame: Int
    let payloadSize: Int
    /// How many times a delta frame's packets a key frame has.
    let keyFrameFactor: Int

    var sequenceNumber: UInt16 = 0
    var stampSequence: UInt32 = 0
    var pictureID: UInt16 = 0
    var tl0PictureIndex: UInt8 = 0
    var frameIndex = 0
    var keyFrameDue = true
    /// The frame being sent: when it started, how many of its packets are out, its temporal
    /// layer and whether it is a key frame.
    var frameStartedAt: Int64 = 0
    var sentInFrame = 0
    var temporalLayer: UInt8 = 0
    var isKeyFrame = false
    /// Packets of the frame being sent.
    var packetsInFrame: Int

    /// `bitrate` in bits/s at `framesPerSecond`, in packets of at most `maximumPayload` bytes.
    init(layer: Int, ssrc: UInt32, bitrate: Int, framesPerSecond: Int, maximumPayload: Int, keyFrameFactor: Int = 1) {
        self.layer = layer
        self.ssrc = ssrc
        self.bitrate = bitrate
        self.keyFrameFactor = max(1, keyFrameFactor)
        let bytesPerFrame = max(1, bitrate / 8 / max(1, framesPerSecond))
        packetsPerFrame = max(1, (bytesPerFrame + maximumPayload - 1) / maximumPayload)
        payloadSize = max(BenchStamp.size + Self.descriptorSize + 8, bytesPerFrame / packetsPerFrame)
        packetsInFrame = packetsPerFrame
        sentInFrame = packetsPerFrame
    }

    /// Starts the next frame at `now`.
    mutating func startFrame(at now: Int64) {
        isKeyFrame = keyFrameDue
        keyFrameDue = false
        if isKeyFrame { frameIndex = 0 }
        switch frameIndex % 4 {
        case 0: temporalLayer = 0
        case 2: temporalLayer = 1
        default: temporalLayer = 2
        }
        frameIndex += 1
        pictureID = (pictureID &+ 1) & 0x7FFF
        if temporalLayer == 0 { tl0PictureIndex &+= 1 }
        frameStartedAt = now
        sentInFrame = 0
        packetsInFrame = isKeyFrame ? packetsPerFrame * keyFrameFactor : packetsPerFrame
    }

    /// Writes the VP8 descriptor of the frame's next packet at `offset`.
    func writeDescriptor(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        let first = sentInFrame == 0
        bytes[offset] = 0x80 | (first ? 0x10 : 0)                 // X, S
        bytes[offset + 1] = 0xE0                                   // I, L, T
        bytes[offset + 2] = 0x80 | UInt8(pictureID >> 8)           // M: 15-bit picture ID
        bytes[offset + 3] = UInt8(truncatingIfNeeded: pictureID)
        bytes[offset + 4] = tl0PictureIndex
        bytes[offset + 5] = temporalLayer << 6 | (temporalLayer > 0 ? 0x20 : 0) // TID, Y
        bytes[offset + 6] = isKeyFrame ? 0x00 : 0x01               // P bit clear on a key frame
    }
}
