import RTP
import SCTP
import WebRTC

/// One simulated participant: sends Opus-sized packets at 50/s and VP8 frames at 30/s, each
/// stamped (at the end of the payload) with its stream, sequence and send time, and measures
/// what reaches it. Video starts on a key frame and answers PLI/FIR with one, so a router's
/// layer selector forwards it.
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
        /// Audio-only participants send no video.
        var sendsVideo = true
        /// Data scenario: messages on a reliable channel instead of media.
        var sendsData = false
        var dataMessagesPerSecond = 500
        var dataMessageSize = 1_024
    }

    let index: Int
    let settings: Settings
    let clock: BenchClock
    /// The transport it sends on (and, for the echo service, receives on).
    var transport: WebRTCTransport?
    /// In a room: the transport the server's media to it arrives on.
    var receiveTransport: WebRTCTransport?
    private(set) var receiveConnected = false
    private(set) var receivedBytes = 0
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
    private var keyFrameDue = true
    private(set) var keyFrameRequests = 0
    /// The data scenario's channel, once opened.
    private var dataStream: UInt16?
    private var nextDataAt: Int64 = 0
    /// Messages not sent on time because the SCTP send buffer was full.
    private(set) var dataBackpressured = 0
    private lazy var dataMessage: [UInt8] = Array("{}\n".utf8)
        + [UInt8](repeating: 0x2A, count: max(settings.dataMessageSize, Self.stampSize))

    /// The data channel is open and can carry messages.
    var dataReady: Bool { dataStream != nil && transport?.dataChannelsConnected == true }

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
        if settings.sendsData {
            sendDataDue(now: now, on: transport)
            return
        }
        if nextAudioAt == 0 { nextAudioAt = now; nextVideoAt = now }
        while nextAudioAt <= now {
            send(stream: 0, payloadSize: settings.audioPayloadSize, marker: true, on: transport, now: now)
            nextAudioAt += 20_000
        }
        guard settings.sendsVideo else { return }
        let frameInterval = Int64(1_000_000 / max(1, settings.videoFramesPerSecond))
        while nextVideoAt <= now {
            let keyFrame = keyFrameDue
            keyFrameDue = false
            for packet in 0..<settings.videoPacketsPerFrame {
                send(stream: 1, payloadSize: settings.videoPayloadSize,
                     marker: packet == settings.videoPacketsPerFrame - 1, on: transport, now: now,
                     frameStart: packet == 0, keyFrame: keyFrame)
            }
            nextVideoAt += frameInterval
        }
    }

    private func send(stream: Int, payloadSize: Int, marker: Bool, on transport: WebRTCTransport, now: Int64,
                      frameStart: Bool = true, keyFrame: Bool = false) {
        sequence[stream] &+= 1
        stampSequence[stream] &+= 1
        let rtpSequence = sequence[stream]
        let stampSequenceNumber = stampSequence[stream]
        let length = 12 + max(payloadSize, Self.stampSize + 2)
        let delivered = buffer.withUnsafeMutableBytes { bytes -> Bool in
            let payloadType = stream == 0 ? BenchOffer.audioPayloadType : BenchOffer.videoPayloadType
            let ssrc = stream == 0 ? BenchOffer.audioSSRC : BenchOffer.videoSSRC
            let clockRate: Int64 = stream == 0 ? 48 : 90 // per millisecond
            bytes[0] = 0x80
            bytes[1] = (marker ? 0x80 : 0) | payloadType
            bytes.storeBytes(of: rtpSequence.bigEndian, toByteOffset: 2, as: UInt16.self)
            bytes.storeBytes(of: UInt32(truncatingIfNeeded: now / 1000 * clockRate).bigEndian, toByteOffset: 4, as: UInt32.self)
            bytes.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
            if stream == 1 {
                // RFC 7741 §4.2: a one-byte VP8 descriptor (S on a frame's first packet), then
                // the VP8 payload header whose P bit is clear on a key frame (§4.3).
                bytes[12] = frameStart ? 0x10 : 0x00
                bytes[13] = keyFrame ? 0x00 : 0x01
            }
            Self.writeStamp(into: bytes, endingAt: length, stream: UInt8(stream), sequence: stampSequenceNumber, now: now)
            return transport.sendRTP(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        }
        if delivered {
            sent += 1
            sentBytes += length
        }
    }

    /// Sends the messages due by `now`, each stamped like a packet; a full SCTP buffer skips
    /// them (counted) rather than queueing, so latency measures the relay, not a backlog here.
    private func sendDataDue(now: Int64, on transport: WebRTCTransport) {
        guard let endpoint = transport.dataChannels, let stream = dataStream else { return }
        if nextDataAt == 0 { nextDataAt = now }
        let interval = Int64(1_000_000 / max(1, settings.dataMessagesPerSecond))
        while nextDataAt <= now {
            nextDataAt += interval
            stampSequence[0] &+= 1
            let sequenceNumber = stampSequence[0]
            dataMessage.withUnsafeMutableBytes { bytes in
                Self.writeStamp(into: bytes, endingAt: bytes.count, stream: 2, sequence: sequenceNumber, now: now)
            }
            do {
                try endpoint.send(dataMessage, kind: .binary, on: stream)
                sent += 1
                sentBytes += dataMessage.count
            } catch {
                dataBackpressured += 1
            }
        }
    }

    // MARK: WebRTCTransportDelegate

    func transportDataChannelsDidConnect(_ transport: WebRTCTransport) {
        guard settings.sendsData, dataStream == nil else { return }
        dataStream = try? transport.dataChannels?.open(label: "chat")
    }

    func transport(_ transport: WebRTCTransport, didReceiveDataChannelMessage message: UnsafeRawBufferPointer,
                   kind: DataChannelMessageKind, onStream streamID: UInt16) {
        recordArrival(of: message, stampEndingAt: message.count)
    }

    func transportDidConnect(_ transport: WebRTCTransport) {
        if transport === receiveTransport { receiveConnected = true }
        if joinedAtMicroseconds == nil { joinedAtMicroseconds = clock.nowMicroseconds() }
    }

    /// For a participant that only receives: joined once the server accepted it.
    func markJoined() {
        if joinedAtMicroseconds == nil { joinedAtMicroseconds = clock.nowMicroseconds() }
    }

    func close() {
        transport?.close()
        receiveTransport?.close()
    }

    func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {
        guard let header = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)),
              header.payloadRange.count >= Self.stampSize else { return }
        recordArrival(of: UnsafeRawBufferPointer(packet), stampEndingAt: header.payloadRange.upperBound)
    }

    // MARK: Stamps

    /// Writes the stamp (magic, stream, sequence, send time) into the bytes just before `end`.
    private static func writeStamp(into bytes: UnsafeMutableRawBufferPointer, endingAt end: Int, stream: UInt8,
                                   sequence: UInt32, now: Int64) {
        let stamp = end - stampSize
        bytes.storeBytes(of: stampMagic.bigEndian, toByteOffset: stamp, as: UInt32.self)
        bytes[stamp + 4] = stream
        bytes.storeBytes(of: sequence.bigEndian, toByteOffset: stamp + 5, as: UInt32.self)
        bytes.storeBytes(of: UInt64(now).bigEndian, toByteOffset: stamp + 9, as: UInt64.self)
    }

    /// Counts a packet or message whose stamp ends at `end` and records its one-way latency.
    private func recordArrival(of bytes: UnsafeRawBufferPointer, stampEndingAt end: Int) {
        guard end >= Self.stampSize, end <= bytes.count else { return }
        let offset = end - Self.stampSize
        guard bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian == Self.stampMagic else { return }
        let sentAt = Int64(bitPattern: bytes.loadUnaligned(fromByteOffset: offset + 9, as: UInt64.self).bigEndian)
        received += 1
        receivedBytes += bytes.count
        latency.record(microseconds: clock.nowMicroseconds() - sentAt)
    }

    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {
        // PLI (RFC 4585 §6.3.1) or FIR (RFC 5104 §4.3.1): the next frame is a key frame.
        var packets = RTCPCompoundIterator(packet)
        while let header = try? packets.next() {
            if header.packetType == .payloadSpecificFeedback, header.countOrFormat == 1 || header.countOrFormat == 4 {
                keyFrameDue = true
                keyFrameRequests += 1
            }
        }
    }

    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {
        // A participant in a room also receives on a second transport; only its own stops it.
        if transport === self.transport { sending = false }
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
