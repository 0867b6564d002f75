/// Errors from parsing an Opus packet's TOC (RFC 6716 §3.1/§3.2).
public enum OpusPacketError: Error, Equatable, Sendable {
    case truncated(needed: Int, available: Int)
    /// Code 3 frame count of 0 (RFC 6716 §3.2.5 [R5]).
    case zeroFrameCount
    /// Code 3 total duration over 120 ms (RFC 6716 §3.2.5 [R5]).
    case durationTooLong(microseconds: Int)
}

/// The Opus table-of-contents byte (RFC 6716 §3.1): | config |s| c |.
public struct OpusTableOfContents: Sendable, Equatable {
    public enum Mode: Sendable, Equatable { case silk, hybrid, celt }
    public enum Bandwidth: Sendable, Equatable {
        case narrowband, mediumband, wideband, superWideband, fullband
        /// Audio bandwidth in Hz (RFC 6716 Table 1).
        public var hertz: Int {
            switch self {
            case .narrowband: 4000
            case .mediumband: 6000
            case .wideband: 8000
            case .superWideband: 12000
            case .fullband: 20000
            }
        }
    }

    /// config (0...31).
    public var configuration: UInt8
    /// s: stereo.
    public var isStereo: Bool
    /// c (0...3): 1 frame, 2 equal, 2 different, arbitrary count.
    public var frameCountCode: UInt8
    /// Number of frames: known from c for codes 0–2, read from the frame-count byte for code 3.
    public var frameCount: Int
    /// Total payload size in bytes, for `isLikelyDTX`.
    public var payloadLength: Int

    public var mode: Mode {
        switch configuration {
        case 0...11: .silk
        case 12...15: .hybrid
        default: .celt
        }
    }

    /// RFC 6716 Table 2.
    public var bandwidth: Bandwidth {
        switch configuration {
        case 0...3: .narrowband
        case 4...7: .mediumband
        case 8...11: .wideband
        case 12...13: .superWideband
        case 14...15: .fullband
        case 16...19: .narrowband
        case 20...23: .wideband
        case 24...27: .superWideband
        default: .fullband
        }
    }

    /// Duration of one frame in microseconds (RFC 6716 Table 2).
    public var frameDurationMicroseconds: Int {
        let index = configuration & 0x03
        switch mode {
        case .silk: return index == 3 ? 60_000 : 10_000 << Int(index)   // 10, 20, 40, 60 ms
        case .hybrid: return index & 1 == 0 ? 10_000 : 20_000           // 10, 20 ms
        case .celt: return 2_500 << Int(index)                          // 2.5, 5, 10, 20 ms
        }
    }

    /// Duration of the whole packet in microseconds.
    public var packetDurationMicroseconds: Int { frameDurationMicroseconds * frameCount }

    /// DTX and comfort-noise packets are 1–2 bytes (RFC 6716 §3.2.1: a 1-byte packet is a frame
    /// of length 0 — "lost", DTX); an SFU can skip them in audio-level and speaker detection.
    public var isLikelyDTX: Bool { payloadLength <= 2 }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(OpusPacketError) -> OpusTableOfContents {
        guard bytes.count >= 1 else { throw .truncated(needed: 1, available: 0) }
        let toc = bytes[0]
        var result = OpusTableOfContents(
            configuration: toc >> 3, isStereo: toc & 0x04 != 0, frameCountCode: toc & 0x03,
            frameCount: 1, payloadLength: bytes.count)
        switch result.frameCountCode {
        case 0: result.frameCount = 1
        case 1, 2: result.frameCount = 2
        default:
            // §3.2.5: code 3 — frame count byte |v|p| M |.
            guard bytes.count >= 2 else { throw .truncated(needed: 2, available: bytes.count) }
            let count = Int(bytes[1] & 0x3F)
            if count == 0 { throw .zeroFrameCount }
            result.frameCount = count
            let total = result.packetDurationMicroseconds
            if total > 120_000 { throw .durationTooLong(microseconds: total) }
        }
        return result
    }

    public static func parse(_ bytes: [UInt8]) throws(OpusPacketError) -> OpusTableOfContents {
        try withCodecPayloadBytes(bytes) { (buffer) throws(OpusPacketError) -> OpusTableOfContents in try parse(buffer) }
    }
}
