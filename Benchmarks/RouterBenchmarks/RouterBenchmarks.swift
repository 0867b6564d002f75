import Benchmark
import RTP
import SFU
import SRTP

/// The router's per-packet work at fan-out 10, socket I/O excluded: one publisher VP8 packet is
/// parsed once, then for each of 10 subscriptions the layer selector decides, the picture id and
/// the SSRC/sequence/timestamp are rewritten, and the packet is copied into the subscriber's
/// buffer and SRTP-protected (AES-GCM) — what `Room.receiveRTP` does before the socket write.
/// One measured iteration is one ingress packet, i.e. 10 egress packets.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(3))

    Benchmark("Router fan-out 10, VP8 1200 B, GCM (per ingress packet)") { benchmark in
        let fanOut = 10
        var subscriptions = (0..<fanOut).map { FannedSubscription(index: $0) }
        var packet = [UInt8](repeating: 0xAB, count: 1200)
        var sequenceNumber: UInt16 = 1000
        var timestamp: UInt32 = 90_000
        var pictureID: UInt16 = 100
        let sourceSSRC: UInt32 = 0x1000
        var now: Int64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            // The publisher's next frame (one packet per frame, each a key frame on TID 0).
            sequenceNumber &+= 1
            timestamp &+= 3000
            pictureID = (pictureID + 1) & 0x7FFF
            now += 33_333
            packet.withUnsafeMutableBytes { bytes in
                writeVP8Packet(into: bytes, sequenceNumber: sequenceNumber, timestamp: timestamp,
                               ssrc: sourceSSRC, pictureID: pictureID)
                guard let header = try? RTPHeader.parse(UnsafeRawBufferPointer(bytes)) else { return }
                let payload = UnsafeMutableRawBufferPointer(rebasing: bytes[header.payloadRange])
                guard let vp8 = try? VP8Descriptor.parse(UnsafeRawBufferPointer(payload)) else { return }
                let info = SimulcastPacketInfo(spatialLayer: 0, timestamp: header.timestamp, marker: header.marker,
                                               arrivalMicroseconds: now, vp8: vp8)
                for index in 0..<fanOut {
                    subscriptions[index].forward(bytes, header: header, payload: payload, vp8: vp8, info: info,
                                                 now: now)
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(subscriptions.reduce(0) { $0 + $1.sent })
    }
}

struct FannedSubscription {
    var selector = SimulcastLayerSelector(targetSpatialLayer: 0)
    var rewriter: ForwardingRewriter
    var pictureRewriter = VP8PictureIDRewriter()
    let session: SRTPSession
    var output = [UInt8](repeating: 0, count: 1500 + 32)
    var sent = 0

    init(index: Int) {
        rewriter = ForwardingRewriter(ssrc: 0x5000 + UInt32(index), clockRate: 90_000)
        let key = SRTPMasterKey(key: [UInt8](repeating: UInt8(index), count: 16), salt: [UInt8](repeating: 7, count: 12))
        // A benchmark with a broken SRTP setup has nothing to measure.
        session = (try? SRTPSession(profile: .aeadAES128GCM, masterKey: key, direction: .sending))
            ?? { preconditionFailure("SRTP session") }()
    }

    mutating func forward(_ packet: UnsafeMutableRawBufferPointer, header: RTPHeader,
                          payload: UnsafeMutableRawBufferPointer, vp8: VP8Descriptor, info: SimulcastPacketInfo,
                          now: Int64) {
        let selection = selector.select(info)
        var forward = selection.forward
        let picture = pictureRewriter.map(sourceSSRC: header.ssrc, pictureID: vp8.pictureID,
                                          pictureIDIs15Bit: vp8.pictureIDIs15Bit,
                                          tl0PictureIndex: vp8.tl0PictureIndex, forward: forward)
        if picture == nil { forward = false }
        guard case .forward(let out) = rewriter.process(
            sourceSSRC: header.ssrc, sequenceNumber: header.sequenceNumber, timestamp: header.timestamp,
            marker: header.marker, arrivalMicroseconds: now, forward: forward) else { return }
        _ = try? RTPHeader.rewrite(ssrc: out.ssrc, sequenceNumber: out.sequenceNumber, timestamp: out.timestamp,
                                   in: packet)
        if let picture { _ = try? VP8Descriptor.rewrite(in: payload, pictureID: picture.pictureID,
                                                        tl0PictureIndex: picture.tl0PictureIndex) }
        let length = packet.count
        let protected = output.withUnsafeMutableBytes { target -> Int in
            guard let base = target.baseAddress, let source = packet.baseAddress else { return 0 }
            base.copyMemory(from: source, byteCount: length)
            return (try? session.protectRTP(target, length: length)) ?? 0
        }
        if protected > 0 { sent += 1 }
    }
}

/// RTP header (V=2, marker, PT 96) + VP8 descriptor (X, S, I with 15-bit picture id, L, T) +
/// a key-frame payload header.
func writeVP8Packet(into bytes: UnsafeMutableRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32,
                    ssrc: UInt32, pictureID: UInt16) {
    bytes[0] = 0x80
    bytes[1] = 0x80 | 96
    bytes.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
    bytes.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
    bytes.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
    bytes[12] = 0x90
    bytes[13] = 0xE0
    bytes[14] = 0x80 | UInt8(pictureID >> 8)
    bytes[15] = UInt8(pictureID & 0xFF)
    bytes[16] = UInt8(truncatingIfNeeded: pictureID)
    bytes[17] = 0x20
    bytes[18] = 0x00 // P = 0: key frame (RFC 7741 §4.3)
}
