import Benchmark
import RTP

/// The router's per-packet RTP work and the receiver's transport-cc feedback.
///
/// The fast cases run 1000 packets per measured iteration (`scalingFactor: .kilo`); the table
/// shows time and mallocs per packet (per build for the feedback builder).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(2))

    // What the router does to every forwarded packet: parse the header (RFC 3550 §5.1, with
    // the RFC 8285 extension block located but not walked) and rewrite SSRC, sequence number
    // and timestamp in place for the subscriber's stream.
    Benchmark("RTP parse + rewrite SSRC/seq/ts (1200 B VP8)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        var packet = RTPBenchmarkPacket.chromeVP8(size: 1200)
        let outgoingSSRC: UInt32 = 0x5EED_0001
        let sequenceOffset: UInt16 = 17_000
        let timestampOffset: UInt32 = 90_000 * 7
        packet.withUnsafeMutableBytes { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                do {
                    let header = try RTPHeader.parse(bytes)
                    try RTPHeader.rewrite(
                        ssrc: outgoingSSRC, sequenceNumber: header.sequenceNumber &+ sequenceOffset,
                        timestamp: header.timestamp &+ timestampOffset, in: buffer)
                    blackHole(header)
                } catch {
                    benchmark.error("RTP parse/rewrite failed: \(error)")
                    return
                }
            }
            benchmark.stopMeasurement()
        }
    }

    // The same, plus what a transport-cc sender does per packet on top: find the
    // transport-wide sequence number element (walking the one-byte elements, RFC 8285 §4.2)
    // and overwrite it with the outgoing transport's counter.
    Benchmark("RTP parse + rewrite + transport-cc seq (1200 B VP8)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        var packet = RTPBenchmarkPacket.chromeVP8(size: 1200)
        var transportSequence: UInt16 = 0
        packet.withUnsafeMutableBytes { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                do {
                    let header = try RTPHeader.parse(bytes)
                    try RTPHeader.rewrite(
                        ssrc: 0x5EED_0001, sequenceNumber: header.sequenceNumber &+ 1,
                        timestamp: header.timestamp &+ 3000, in: buffer)
                    transportSequence &+= 1
                    let found = try header.overwriteExtensionValue(
                        id: RTPBenchmarkPacket.transportWideSequenceID,
                        with: TransportWideSequenceNumberExtension(sequenceNumber: transportSequence),
                        in: buffer)
                    blackHole(found)
                } catch {
                    benchmark.error("RTP parse/rewrite failed: \(error)")
                    return
                }
            }
            benchmark.stopMeasurement()
        }
    }

    // A receiver's transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
    // §3.1) for 100 packets, built into a preallocated buffer by a reused builder, as the
    // feedback timer does every ~50-100 ms per transport.
    Benchmark("transport-cc feedback build, 100 packets",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let arrivals = RTPBenchmarkPacket.transportFeedbackArrivals(count: 100)
        var builder = RTCPTransportFeedbackBuilder(senderSSRC: 0x0000_0001, mediaSSRC: 0x1234_5678)
        var output = [UInt8](repeating: 0, count: 1500)
        output.withUnsafeMutableBytes { buffer in
            // One build outside the measurement grows the builder's scratch storage once.
            guard let first = try? builder.build(arrivals: arrivals, feedbackPacketCount: 0, into: buffer),
                  first.packetCount == 1
            else {
                benchmark.error("transport-cc build did not produce one packet")
                return
            }
            var feedbackCount: UInt8 = 1
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                do {
                    let written = try builder.build(arrivals: arrivals, feedbackPacketCount: feedbackCount, into: buffer)
                    feedbackCount &+= 1
                    blackHole(written.bytesWritten)
                } catch {
                    benchmark.error("transport-cc build failed: \(error)")
                    return
                }
            }
            benchmark.stopMeasurement()
        }
    }
}

/// Test material shaped like what Chrome sends.
enum RTPBenchmarkPacket {
    /// Local extension ids as in Chrome's default video extmap.
    static let absoluteSendTimeID: UInt8 = 2
    static let transportWideSequenceID: UInt8 = 4
    static let midID: UInt8 = 9
    static let ridID: UInt8 = 10

    /// A VP8 simulcast packet of `size` bytes: V=2, M=0, PT 96, one-byte extensions
    /// abs-send-time (3 B), transport-wide seq (2 B), mid "0", rid "h" (a 16-byte block),
    /// a 4-byte VP8 payload descriptor (X, S, 15-bit picture ID) and filler payload.
    static func chromeVP8(size: Int) -> [UInt8] {
        let fields = RTPHeaderFields(
            payloadType: 96, sequenceNumber: 0x1A2B, timestamp: 0x0BAD_F00D, ssrc: 0x8F3A_11C2,
            extensions: [
                RTPHeaderExtensionItem(id: absoluteSendTimeID, value: [0x3F, 0x12, 0x9A]),
                RTPHeaderExtensionItem(id: transportWideSequenceID, value: [0x01, 0x2C]),
                RTPHeaderExtensionItem(id: midID, value: Array("0".utf8)),
                RTPHeaderExtensionItem(id: ridID, value: Array("h".utf8)),
            ])
        var packet = (try? fields.encoded()) ?? []
        // RFC 7741 §4.2: X=1, S=1, PID=0; I=1; M=1 and a 15-bit picture ID.
        packet += [0x90, 0x80, 0x80 | 0x12, 0x34]
        var filler: UInt8 = 0x9D
        while packet.count < size {
            packet.append(filler)
            filler = filler &* 31 &+ 7
        }
        return packet
    }

    /// `count` consecutive transport-wide sequence numbers as a receiver sees them at a few
    /// Mbit/s: 0.1-2.5 ms apart, with about 2% lost and one pair reordered.
    static func transportFeedbackArrivals(count: Int) -> [RTCPTransportFeedbackArrival] {
        var arrivals: [RTCPTransportFeedbackArrival] = []
        var state: UInt32 = 12_345
        var time: Int64 = 5_000_000
        for index in 0..<count {
            state = state &* 1_103_515_245 &+ 12_345
            time += 100 + Int64((state >> 16) % 2400)
            let lost = index % 50 == 17
            arrivals.append(RTCPTransportFeedbackArrival(
                sequenceNumber: UInt16(truncatingIfNeeded: 65_500 + index), // wraps past 65535
                arrivalTimeMicroseconds: lost ? nil : time))
        }
        if count > 41 {
            // Sequence number 41 overtook 40: a negative delta, which needs a 2-byte symbol.
            let earlier = arrivals[40].arrivalTimeMicroseconds
            arrivals[40].arrivalTimeMicroseconds = arrivals[41].arrivalTimeMicroseconds
            arrivals[41].arrivalTimeMicroseconds = earlier
        }
        return arrivals
    }
}
