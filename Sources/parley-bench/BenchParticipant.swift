import RTP
import WebRTC

/// One simulated participant: sends Opus-sized packets at 50/s and video frames at 30/s, each
/// stamped with its stream, sequence and send time, and measures what comes back.
///
/// Lives on its worker's loop. No allocation per packet.
final class BenchParticipant: WebRTCTransportDelegate {
    /// Payload stamp: magic, stream (0 audio, 1 video), sequence, send time in µs.
    static let stampMagic: UInt32 = 0x5042_4E43 // "PBNC"
    static let stampSize = 4 + 1 + 4 + 8

    struct Settings: Sendable {
        var audioPayloadSize = 100
        var videoFramesPerSecond = 30
        var videoPacketsPerFrame = 3
        var videoPayloadSize = 1_100
    }

    let index: Int
    let settings: Settings
    let clock: BenchClock
    var transport: WebRTCTransport?
    private(set) var joinedAtMicroseconds: Int64?
    let joinStartedAtMicroseconds: Int64
    private(set) var sent = 0
    private(set) var received = 0
    private(set) var sentBytes = 0
    var sending = false
    private(set) var latency = LatencyHistogram()

    private var buffer = [UInt8](repeating: 0, count: 1500)
    private var sequence: [UInt16] = [0, 0]
    private var stampSequence: [UInt32] = [0, 0]
    private var nextAudioAt: Int64 = 0
    private var nextVideoAt: Int64 = 0

    init(index: Int, settings: Settings, clock: BenchClock) {
        self.index = index
        self.settings = settings
        self.clock = clock
        self.joinStartedAtMicroseconds = clock.nowMicroseconds()
    }

    var joinMilliseconds: Double? {
        joinedAtMicroseconds.map { Double($0 - joinStartedAtMicroseconds) / 1000 }
    }

    /// Sends every packet that is due by `now`.
    func sendDue(now: Int64) {
        guard sending, let transport else { return }
        if nextAudioAt == 0 { nextAudioAt = now; nextVideoAt = now }
        while nextAudioAt <= now {
            send(stream: 0, payloadSize: settings.audioPayloadSize, marker: true, on: transport, now: now)
            nextAudioAt += 20_000
        }
        let frameInterval = Int64(1_000_000 / max(1, settings.videoFramesPerSecond))
        while nextVideoAt <= now {
            for packet in 0..<settings.videoPacketsPerFrame {
                send(stream: 1, payloadSize: settings.videoPayloadSize,
                     marker: packet == settings.videoPacketsPerFrame - 1, on: transport, now: now)
            }
            nextVideoAt += frameInterval
        }
    }

    private func send(stream: Int, payloadSize: Int, marker: Bool, on transport: WebRTCTransport, now: Int64) {
        sequence[stream] &+= 1
        stampSequence[stream] &+= 1
        let rtpSequence = sequence[stream]
        let stampSequenceNumber = stampSequence[stream]
        let length = 12 + max(payloadSize, Self.stampSize)
        let delivered = buffer.withUnsafeMutableBytes { bytes -> Bool in
            let payloadType = stream == 0 ? BenchOffer.audioPayloadType : BenchOffer.videoPayloadType
            let ssrc = stream == 0 ? BenchOffer.audioSSRC : BenchOffer.videoSSRC
            let clockRate: Int64 = stream == 0 ? 48 : 90 // per millisecond
            bytes[0] = 0x80
            bytes[1] = (marker ? 0x80 : 0) | payloadType
            bytes.storeBytes(of: rtpSequence.bigEndian, toByteOffset: 2, as: UInt16.self)
            bytes.storeBytes(of: UInt32(truncatingIfNeeded: now / 1000 * clockRate).bigEndian, toByteOffset: 4, as: UInt32.self)
            bytes.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
            bytes.storeBytes(of: Self.stampMagic.bigEndian, toByteOffset: 12, as: UInt32.self)
            bytes[16] = UInt8(stream)
            bytes.storeBytes(of: stampSequenceNumber.bigEndian, toByteOffset: 17, as: UInt32.self)
            bytes.storeBytes(of: UInt64(now).bigEndian, toByteOffset: 21, as: UInt64.self)
            return transport.sendRTP(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        }
        if delivered {
            sent += 1
            sentBytes += length
        }
    }

    // MARK: WebRTCTransportDelegate

    func transportDidConnect(_ transport: WebRTCTransport) {
        joinedAtMicroseconds = clock.nowMicroseconds()
    }

    func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {
        guard let header = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)),
              header.payloadRange.count >= Self.stampSize else { return }
        let offset = header.payloadRange.lowerBound
        guard packet.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian == Self.stampMagic else { return }
        let sentAt = Int64(bitPattern: packet.loadUnaligned(fromByteOffset: offset + 9, as: UInt64.self).bigEndian)
        received += 1
        latency.record(microseconds: clock.nowMicroseconds() - sentAt)
    }

    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {
        sending = false
    }
}

/// Microseconds since the benchmark started, shared by every participant.
struct BenchClock: Sendable {
    let start = ContinuousClock.now

    func nowMicroseconds() -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }
}
