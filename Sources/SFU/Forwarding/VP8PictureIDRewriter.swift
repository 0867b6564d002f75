public import RTP

/// Picture id and TL0PICIDX a forwarded VP8 packet gets on the subscription's stream.
public struct VP8PictureIDMapping: Sendable, Hashable {
    /// The output picture id (15-bit space; written modulo the packet's own 7/15-bit width),
    /// nil when the packet carries none (I = 0).
    public var pictureID: UInt16?
    /// The output TL0PICIDX, nil when the packet carries none (L = 0).
    public var tl0PictureIndex: UInt8?

    public init(pictureID: UInt16?, tl0PictureIndex: UInt8?) {
        self.pictureID = pictureID
        self.tl0PictureIndex = tl0PictureIndex
    }
}

/// Keeps VP8 PictureID and TL0PICIDX (RFC 7741 §4.2) continuous on a subscription's stream
/// across simulcast layer switches and deliberately dropped frames, so the receiver's frame
/// reference tracking never sees a hole that is not a real loss.
///
/// Rules (the offsets approach SFUs commonly use):
/// - The output picture id advances by one per forwarded frame; frames the router drops are
///   skipped without a gap. A frame lost upstream stays a gap (the receiver must know).
/// - The output TL0PICIDX advances when a forwarded frame is a new base-layer (TID 0) frame;
///   dropped TID 0 frames (paused, waiting for a key frame) are skipped without a gap.
/// - On a switch to another source (its first forwarded frame is a key frame), both continue
///   at last output + 1.
/// - Late packets (reordering, retransmission) map like the rest of their frame, through a
///   small window of recent frames.
///
/// The router must offer every packet of the current source, forwarded or not, so drops are
/// counted. Pure state; the frame window is allocated once in `init`.
public struct VP8PictureIDRewriter: Sendable {
    /// RFC 7741 §4.2: the long form of the picture id is 15 bits.
    static let pictureIDModulus: Int64 = 0x8000

    enum PictureSlot: Sendable {
        case forwarded(output: Int64, tl0Offset: UInt8)
        /// Not seen yet (lost or late); its output picture id is held open.
        case missing(output: Int64, tl0Offset: UInt8)
        case dropped
    }

    private var history: ForwardingHistoryRing<PictureSlot>
    public private(set) var currentSource: UInt32?
    /// Highest extended source picture id of the current source seen (forwarded or dropped).
    private var highestSource: Int64 = 0
    private var segmentStart: Int64 = 0
    /// Output extended picture id = source extended picture id + offset.
    private var pictureIDOffset: Int64 = 0
    /// Output TL0PICIDX = source TL0PICIDX &+ offset (mod 256).
    private var tl0Offset: UInt8 = 0
    private var highestSourceTL0: UInt8?
    private var lastOutputPictureID: Int64?
    private var lastOutputTL0: UInt8?

    /// `frameWindow`: how many recent pictures keep their mapping for late packets.
    public init(frameWindow: Int = 128) {
        history = ForwardingHistoryRing(capacity: max(frameWindow, 2), filler: .dropped)
    }

    /// Places a 7- or 15-bit picture id nearest to the highest seen (RFC 7741 §4.2: it wraps to
    /// 0 after all bits set).
    private func extend(_ pictureID: UInt16, is15Bit: Bool) -> Int64 {
        let modulus: Int64 = is15Bit ? Self.pictureIDModulus : 0x80
        let value = Int64(pictureID) & (modulus - 1)
        var step = (value - highestSource) & (modulus - 1)
        if step >= modulus / 2 { step -= modulus }
        return highestSource + step
    }

    /// Serial-number order for the 8-bit TL0PICIDX (RFC 1982 §3.2 with SERIAL_BITS = 8).
    private static func isNewer(_ a: UInt8, than b: UInt8) -> Bool { Int8(bitPattern: a &- b) > 0 }

    private func mapping(_ output: Int64, tl0Offset offset: UInt8, tl0: UInt8?) -> VP8PictureIDMapping {
        VP8PictureIDMapping(pictureID: UInt16(truncatingIfNeeded: output & (Self.pictureIDModulus - 1)),
                            tl0PictureIndex: tl0.map { $0 &+ offset })
    }

    /// Maps the descriptor fields of one packet. Returns nil when the packet must not be
    /// forwarded: `forward` was false, or it is a late packet of a frame that was dropped,
    /// precedes the last switch, or is too old to map.
    public mutating func map(
        sourceSSRC: UInt32, pictureID: UInt16?, pictureIDIs15Bit: Bool = true, tl0PictureIndex: UInt8?,
        forward: Bool
    ) -> VP8PictureIDMapping? {
        guard let pictureID else {
            // Without a picture id there is nothing to keep continuous (RFC 7741 §4.2, I = 0).
            return forward ? VP8PictureIDMapping(pictureID: nil, tl0PictureIndex: tl0PictureIndex.map { $0 &+ tl0Offset }) : nil
        }
        guard let current = currentSource, current == sourceSSRC else {
            guard forward else { return nil }
            return startSource(sourceSSRC, pictureID: pictureID, is15Bit: pictureIDIs15Bit, tl0: tl0PictureIndex)
        }

        let source = extend(pictureID, is15Bit: pictureIDIs15Bit)
        if source > highestSource {
            // A new picture. Pictures skipped upstream keep their output ids (a real gap).
            var missing = max(highestSource + 1, source - Int64(history.capacity) + 1)
            while missing < source {
                history.set(missing, .missing(output: missing + pictureIDOffset, tl0Offset: tl0Offset))
                missing += 1
            }
            highestSource = source
            let newBaseLayerIndex: Bool
            if let tl0 = tl0PictureIndex, let highest = highestSourceTL0 {
                newBaseLayerIndex = Self.isNewer(tl0, than: highest)
            } else {
                newBaseLayerIndex = tl0PictureIndex != nil
            }
            if newBaseLayerIndex { highestSourceTL0 = tl0PictureIndex }
            guard forward else {
                // A dropped picture (and a dropped new TL0 picture) is skipped without a gap.
                history.set(source, .dropped)
                pictureIDOffset -= 1
                if newBaseLayerIndex { tl0Offset &-= 1 }
                return nil
            }
            let output = source + pictureIDOffset
            history.set(source, .forwarded(output: output, tl0Offset: tl0Offset))
            return noteForwarded(output, tl0Offset: tl0Offset, tl0: tl0PictureIndex)
        }

        // Another packet of the newest picture, or a late one of an older picture.
        guard source >= segmentStart, let slot = history.value(for: source) else { return nil }
        switch slot {
        case .dropped:
            return nil
        case .forwarded(let output, let offset):
            return forward ? noteForwarded(output, tl0Offset: offset, tl0: tl0PictureIndex) : nil
        case .missing(let output, let offset):
            guard forward else {
                history.set(source, .dropped)
                return nil
            }
            history.set(source, .forwarded(output: output, tl0Offset: offset))
            return noteForwarded(output, tl0Offset: offset, tl0: tl0PictureIndex)
        }
    }

    private mutating func noteForwarded(_ output: Int64, tl0Offset offset: UInt8, tl0: UInt8?) -> VP8PictureIDMapping {
        let result = mapping(output, tl0Offset: offset, tl0: tl0)
        if lastOutputPictureID.map({ output > $0 }) ?? true { lastOutputPictureID = output }
        if let outputTL0 = result.tl0PictureIndex {
            if let last = lastOutputTL0 {
                if Self.isNewer(outputTL0, than: last) {
                    lastOutputTL0 = outputTL0
                }
            } else {
                lastOutputTL0 = outputTL0
            }
        }
        return result
    }

    /// First forwarded picture of a source: continue at last output + 1 (picture id and TL0PICIDX,
    /// the switch picture being a key frame, which is on the base layer).
    private mutating func startSource(_ source: UInt32, pictureID: UInt16, is15Bit: Bool, tl0: UInt8?) -> VP8PictureIDMapping {
        currentSource = source
        history.removeAll()
        highestSource = Int64(pictureID)
        segmentStart = highestSource
        let output = lastOutputPictureID.map { $0 + 1 } ?? highestSource
        pictureIDOffset = output - highestSource
        highestSourceTL0 = tl0
        if let tl0 {
            tl0Offset = (lastOutputTL0.map { $0 &+ 1 } ?? tl0) &- tl0
        }
        history.set(highestSource, .forwarded(output: output, tl0Offset: tl0Offset))
        return noteForwarded(output, tl0Offset: tl0Offset, tl0: tl0)
    }

    /// Parses the VP8 payload descriptor at the start of `payload`, maps it, and when forwarded
    /// writes the new picture id / TL0PICIDX in place (each keeps its width on the wire).
    /// Returns nil when the packet must be dropped (see `map`); the router should then tell the
    /// sequence rewriter not to forward it either.
    public mutating func rewrite(
        in payload: UnsafeMutableRawBufferPointer, sourceSSRC: UInt32, forward: Bool
    ) throws(VP8DescriptorError) -> VP8PictureIDMapping? {
        let descriptor = try VP8Descriptor.parse(UnsafeRawBufferPointer(payload))
        guard let result = map(sourceSSRC: sourceSSRC, pictureID: descriptor.pictureID,
                               pictureIDIs15Bit: descriptor.pictureIDIs15Bit,
                               tl0PictureIndex: descriptor.tl0PictureIndex, forward: forward) else { return nil }
        if result.pictureID != nil || result.tl0PictureIndex != nil {
            try VP8Descriptor.rewrite(in: payload, pictureID: result.pictureID, tl0PictureIndex: result.tl0PictureIndex)
        }
        return result
    }
}
