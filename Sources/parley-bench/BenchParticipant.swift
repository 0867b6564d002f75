import Glibc
import CongestionControl
import RTP
import SCTP
import WebRTC

/// One simulated participant. It sends Opus-sized packets at 50/s and VP8 at 30 frames/s, in
/// three simulcast layers (or one encoding) with temporal layers, paced like a browser; every
/// packet is stamped (`BenchStamp`). It receives what the server forwards, counts it per sender
/// and stream, and answers with RTCP as a browser's receiver would (`ReceiverFeedback`). Video
/// starts on a key frame and answers PLI/FIR for the SSRC it names with one.
///
/// Lives on its worker's loop. No allocation per packet sent or received (RTCP aside).
final class BenchParticipant: WebRTCTransportDelegate {
    struct Settings: Sendable {
        var audioPayloadSize = 100
        var videoFramesPerSecond = 30
        /// Bits/s per simulcast layer, lowest first; one value sends a single encoding.
        var videoBitrates = [150_000, 500_000, 1_500_000]
        /// A key frame is this many times the size of a delta frame.
        var keyFrameFactor = 1
        /// Largest video payload per packet (a browser keeps packets under ~1200 bytes).
        var videoPayloadSize = 1_100
        /// Audio-only participants send no video.
        var sendsVideo = true
        /// Data scenario: messages on a reliable channel instead of media.
        var sendsData = false
        var dataMessagesPerSecond = 500
        var dataMessageSize = 1_024
        /// What a subscriber reports in REMB, bits/s.
        var receiveBandwidth: UInt64 = 100_000_000
        /// Answer transport-cc when offered, and send its feedback.
        var transportCC = true
        /// How often each client sends what is due (µs). Every participant of a worker sends on
        /// the same tick, so this sets how bursty the load the server sees is.
        var sendTickMicroseconds: Int64 = 5_000
    }

    /// How often transport-cc feedback goes back (libwebrtc sends it every 50-100 ms).
    static let transportFeedbackInterval: Int64 = 50_000

    let index: Int
    let settings: Settings
    let clock: BenchClock
    /// The transport it sends on (and, for the echo service, receives on).
    var transport: WebRTCTransport?
    /// In a room: the transport the server's media to it arrives on.
    var receiveTransport: WebRTCTransport?
    /// Whether the server's subscribe offer asked for REMB, which then reports `receiveBandwidth`.
    var rembNegotiated = false {
        didSet { feedback.estimate = rembNegotiated ? settings.receiveBandwidth : nil }
    }
    /// The transport-cc header extension id the subscriber answer kept; nil: not negotiated.
    var transportWideExtensionID: UInt8? {
        didSet {
            if transportWideExtensionID != nil, transportWideFeedback == nil {
                transportWideFeedback = TransportWideFeedbackRecorder(senderSSRC: feedback.ssrc)
            }
        }
    }
    private var transportWideFeedback: TransportWideFeedbackRecorder?
    /// RTX SSRC → the media SSRC it repairs, and the RTX payload types (from subscribe offers).
    var rtxSSRCs: [UInt32: UInt32] = [:]
    var rtxPayloadTypes: Set<UInt8> = []
    /// What a browser would have shown of each received video stream (by SSRC).
    private(set) var videoRender: [UInt32: VideoRenderTracker] = [:]
    /// The simulcast layer the last video packet came from, and how often that changed.
    private(set) var lastVideoLayer: Int?
    private(set) var videoLayerSwitches = 0
    private var lastSendDue: Int64?
    /// The longest gap between two turns of this participant's send timer (its loop was busy).
    private(set) var longestTickGap: Int64 = 0
    /// When the received layer changed, and to what (the first packet counts as a change).
    private(set) var videoLayerChanges: [(at: Int64, layer: Int)] = []
    private var nextTransportFeedbackAt: Int64 = 0
    private(set) var receiveConnected = false
    private(set) var joinedAtMicroseconds: Int64?
    let joinStartedAtMicroseconds: Int64
    var sending = false {
        // Resuming starts the schedule afresh rather than catching up on the pause in a burst.
        didSet { if sending && !oldValue { nextAudioAt = 0; nextDataAt = 0 } }
    }

    // Measurements of the current window (`resetMeasurements` starts a new one).
    private(set) var sent = 0
    private(set) var sentBytes = 0
    private(set) var receivedBytes = 0
    private(set) var streams = ReceivedStreams()
    private(set) var latency = LatencyHistogram()
    private(set) var duplicates = 0
    /// Microseconds from asking for another layer to its first packet, per sender.
    private(set) var keyFrameWaits: [Int64] = []
    private(set) var keyFrameRequests = 0
    var feedbackSent: (nacks: Int, plis: Int) { (feedback.nacksSent, feedback.plisSent) }
    /// RTP packets expected and received over every incoming stream (by sequence number, so
    /// repaired packets count as received and forwarding's deliberate drops leave no gap).
    var rtpTotals: (expected: Int, received: Int) { feedback.totals }

    private var buffer = [UInt8](repeating: 0, count: 1500)
    private var audioSequence: UInt16 = 0
    private var audioStampSequence: UInt32 = 0
    private var nextAudioAt: Int64 = 0
    private(set) var videoLayers: [SyntheticVideoLayer]
    private var nextFrameAt: Int64 = 0
    private var feedback: ReceiverFeedback
    /// A layer switch being timed: the stream asked for, when, and the senders seen on it.
    private var layerSwitch: (stream: UInt8, at: Int64, seen: Set<UInt16>)?
    /// The data scenario's channel, once opened.
    private var dataStream: UInt16?
    private var nextDataAt: Int64 = 0
    private var dataStampSequence: UInt32 = 0
    /// Messages not sent on time because the SCTP send buffer was full.
    private(set) var dataBackpressured = 0
    private lazy var dataMessage: [UInt8] = Array("{}\n".utf8)
        + [UInt8](repeating: 0x2A, count: max(settings.dataMessageSize, BenchStamp.size))

    /// The data channel is open and can carry messages.
    var dataReady: Bool { dataStream != nil && transport?.dataChannelsConnected == true }
    var sender: UInt16 { UInt16(truncatingIfNeeded: index) }

    init(index: Int, settings: Settings, clock: BenchClock) {
        self.index = index
        self.settings = settings
        self.clock = clock
        self.joinStartedAtMicroseconds = clock.nowMicroseconds()
        let bitrates = settings.videoBitrates.isEmpty ? [1_500_000] : settings.videoBitrates
        videoLayers = bitrates.prefix(SyntheticVideoLayer.rids.count).enumerated().map { layer, bitrate in
            SyntheticVideoLayer(layer: layer, ssrc: BenchOffer.videoSSRC &+ UInt32(layer), bitrate: bitrate,
                                framesPerSecond: settings.videoFramesPerSecond,
                                maximumPayload: settings.videoPayloadSize, keyFrameFactor: settings.keyFrameFactor)
        }
        feedback = ReceiverFeedback(ssrc: 0x5EB0_0000 &+ UInt32(truncatingIfNeeded: index))
    }

    var joinMilliseconds: Double? {
        joinedAtMicroseconds.map { Double($0 - joinStartedAtMicroseconds) / 1000 }
    }

    var received: Int { streams.received }

    /// Starts a new measurement window: counters, streams and latencies from zero.
    func resetMeasurements() {
        sent = 0
        sentBytes = 0
        receivedBytes = 0
        duplicates = 0
        streams.reset()
        latency = LatencyHistogram()
        keyFrameWaits.removeAll()
    }

    /// The qoe scenario's measurement starts: freezes and layer changes count from here.
    func startQoEMeasurement() {
        for ssrc in videoRender.keys { videoRender[ssrc]?.resetStatistics() }
        videoLayerChanges.removeAll()
        videoLayerSwitches = 0
        longestTickGap = 0
    }

    /// Starts timing a switch to `layer`: the wait ends, per sender, at its first packet there.
    func timeLayerSwitch(to layer: Int) {
        layerSwitch = (BenchStamp.videoStream(layer: layer), clock.nowMicroseconds(), [])
    }

    /// Sends every packet that is due by `now`, and the periodic receiver report.
    func sendDue(now: Int64) {
        if let last = lastSendDue, now - last > longestTickGap { longestTickGap = now - last }
        lastSendDue = now
        if let receiveTransport, let report = feedback.periodicReport(now: now) {
            report.withUnsafeBytes { _ = receiveTransport.sendRTCP($0) }
        }
        for ssrc in videoRender.keys {
            guard let repair = videoRender[ssrc]?.poll(at: now), let receiveTransport else { continue }
            if let packet = feedback.repairRequest(repair, ssrc: ssrc) {
                packet.withUnsafeBytes { _ = receiveTransport.sendRTCP($0) }
            }
        }
        if let receiveTransport, now >= nextTransportFeedbackAt, var recorder = transportWideFeedback {
            nextTransportFeedbackAt = now + Self.transportFeedbackInterval
            for packet in recorder.poll(nowMicroseconds: now) {
                packet.withUnsafeBytes { _ = receiveTransport.sendRTCP($0) }
            }
            transportWideFeedback = recorder
        }
        guard sending, let transport else { return }
        if settings.sendsData {
            sendDataDue(now: now, on: transport)
            return
        }
        if nextAudioAt == 0 { nextAudioAt = now; nextFrameAt = now }
        while nextAudioAt <= now {
            sendAudio(on: transport, now: now)
            nextAudioAt += 20_000
        }
        guard settings.sendsVideo else { return }
        let frameInterval = Int64(1_000_000 / max(1, settings.videoFramesPerSecond))
        sendVideoFrames(upTo: framePacketsDue(at: now, frameInterval: frameInterval), on: transport, now: now)
        while nextFrameAt <= now {
            // A frame still going out when the next is due is finished first.
            sendVideoFrames(upTo: .max, on: transport, now: now)
            for layer in videoLayers.indices { videoLayers[layer].startFrame(at: now) }
            sendVideoFrames(upTo: framePacketsDue(at: now, frameInterval: frameInterval), on: transport, now: now)
            nextFrameAt += frameInterval
        }
    }

    /// How many of the current frame's packets, all layers together, should be out by `now`:
    /// they are paced over part of the frame interval.
    private func framePacketsDue(at now: Int64, frameInterval: Int64) -> Int {
        guard let first = videoLayers.first else { return 0 }
        let total = videoLayers.reduce(0) { $0 + $1.packetsInFrame }
        let window = max(1, Int64(Double(frameInterval) * SyntheticVideoLayer.pacingShare))
        return min(total, 1 + Int(max(0, now - first.frameStartedAt) * Int64(total) / window))
    }

    /// Sends the current frame's packets up to the `due`-th, layer after layer as a browser's
    /// encoder hands them to its pacer (lowest layer first), so a layer's frame ends before the
    /// next layer's begins.
    private func sendVideoFrames(upTo due: Int, on transport: WebRTCTransport, now: Int64) {
        var remaining = due
        for layer in videoLayers.indices where remaining > 0 {
            let count = videoLayers[layer].packetsInFrame
            sendVideo(layer: layer, upTo: min(count, remaining), on: transport, now: now)
            remaining -= count
        }
    }

    private func sendAudio(on transport: WebRTCTransport, now: Int64) {
        audioSequence &+= 1
        audioStampSequence &+= 1
        let length = 12 + max(settings.audioPayloadSize, BenchStamp.size + 2)
        let stamp = BenchStamp(stream: BenchStamp.audioStream, sender: sender, sequence: audioStampSequence, sentAt: now)
        let sequence = audioSequence
        send(length: length, on: transport) { bytes in
            Self.writeRTPHeader(into: bytes, marker: true, payloadType: BenchOffer.audioPayloadType,
                                sequence: sequence, timestamp: UInt32(truncatingIfNeeded: now / 1000 * 48),
                                ssrc: BenchOffer.audioSSRC)
            stamp.write(into: bytes, endingAt: length)
        }
    }

    /// Sends the packets of `layer`'s current frame up to packet `due`.
    private func sendVideo(layer: Int, upTo due: Int, on transport: WebRTCTransport, now: Int64) {
        let simulcast = videoLayers.count > 1
        // mid (and rid, for simulcast) header extensions, one-byte form (RFC 8285 §4.2).
        let extensionLength = 8
        while videoLayers[layer].sentInFrame < due {
            let video = videoLayers[layer]
            videoLayers[layer].sequenceNumber &+= 1
            videoLayers[layer].stampSequence &+= 1
            let headerLength = 12 + extensionLength
            let length = headerLength + video.payloadSize
            let stamp = BenchStamp(stream: BenchStamp.videoStream(layer: layer), sender: sender,
                                   sequence: video.stampSequence &+ 1, sentAt: now)
            let sequence = video.sequenceNumber &+ 1
            let marker = video.sentInFrame == video.packetsInFrame - 1
            send(length: length, on: transport) { bytes in
                Self.writeRTPHeader(into: bytes, marker: marker, payloadType: BenchOffer.videoPayloadType,
                                    sequence: sequence,
                                    timestamp: UInt32(truncatingIfNeeded: video.frameStartedAt / 1000 * 90),
                                    ssrc: video.ssrc)
                bytes[0] |= 0x10 // X
                bytes.storeBytes(of: UInt16(0xBEDE).bigEndian, toByteOffset: 12, as: UInt16.self)
                bytes.storeBytes(of: UInt16(1).bigEndian, toByteOffset: 14, as: UInt16.self)
                bytes[16] = 0x10; bytes[17] = 0x31 // id 1 (mid), "1"
                if simulcast {
                    bytes[18] = 0x20; bytes[19] = SyntheticVideoLayer.rids[layer].utf8.first ?? 0 // id 2 (rid)
                } else {
                    bytes[18] = 0; bytes[19] = 0
                }
                video.writeDescriptor(into: bytes, at: headerLength)
                stamp.write(into: bytes, endingAt: length)
            }
            videoLayers[layer].sentInFrame += 1
        }
    }

    private func send(length: Int, on transport: WebRTCTransport,
                      _ write: (UnsafeMutableRawBufferPointer) -> Void) {
        let delivered = buffer.withUnsafeMutableBytes { bytes -> Bool in
            write(bytes)
            return transport.sendRTP(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        }
        if delivered {
            sent += 1
            sentBytes += length
        }
    }

    private static func writeRTPHeader(into bytes: UnsafeMutableRawBufferPointer, marker: Bool, payloadType: UInt8,
                                       sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
        bytes[0] = 0x80
        bytes[1] = (marker ? 0x80 : 0) | payloadType
        bytes.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
        bytes.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
        bytes.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
    }

    /// Sends the messages due by `now`, each stamped like a packet; a full SCTP buffer skips
    /// them (counted) rather than queueing, so latency measures the relay, not a backlog here.
    private func sendDataDue(now: Int64, on transport: WebRTCTransport) {
        guard let endpoint = transport.dataChannels, let stream = dataStream else { return }
        if nextDataAt == 0 { nextDataAt = now }
        let interval = Int64(1_000_000 / max(1, settings.dataMessagesPerSecond))
        while nextDataAt <= now {
            nextDataAt += interval
            dataStampSequence &+= 1
            let stamp = BenchStamp(stream: BenchStamp.dataStream, sender: sender, sequence: dataStampSequence, sentAt: now)
            dataMessage.withUnsafeMutableBytes { stamp.write(into: $0, endingAt: $0.count) }
            do {
                try endpoint.send(dataMessage, kind: .binary, on: stream)
                sent += 1
                sentBytes += dataMessage.count
            } catch {
                // Skipped: the receivers see the gap in the sequence and count it as lost.
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
        guard let header = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)) else { return }
        let stamp = recordArrival(of: UnsafeRawBufferPointer(packet), stampEndingAt: header.payloadRange.upperBound)
        // The echo service sends back on the sending transport; feedback is for room subscribers.
        guard transport === receiveTransport else { return }
        if let id = transportWideExtensionID,
           let value = (try? header.extensionValue(TransportWideSequenceNumberExtension.self, id: id,
                                                   in: UnsafeRawBufferPointer(packet))) ?? nil {
            transportWideFeedback?.record(sequenceNumber: value.sequenceNumber, arrivalMicroseconds: clock.nowMicroseconds())
            // As a browser does: feedback names a stream it came with (libwebrtc servers drop SSRC 0).
            if header.ssrc != 0 { transportWideFeedback?.mediaSSRC = header.ssrc }
        }
        // Probe padding: counted by transport-cc above, nothing else to learn from it.
        guard header.payloadRange.count > 0 else { return }
        // RTX (RFC 4588 §4): the original sequence number, then the original payload.
        var ssrc = header.ssrc, sequence = header.sequenceNumber, payload = header.payloadRange
        if rtxPayloadTypes.contains(header.payloadType), let media = rtxSSRCs[header.ssrc] {
            guard payload.count > 2 else { return }
            ssrc = media
            sequence = UInt16(packet[payload.lowerBound]) << 8 | UInt16(packet[payload.lowerBound + 1])
            payload = (payload.lowerBound + 2)..<payload.upperBound
        }
        let isVideo = stamp.map { $0.stream != BenchStamp.audioStream } ?? false
        if isVideo, let stamp {
            trackVideo(packet, ssrc: ssrc, sequence: sequence, marker: header.marker, payload: payload, stamp: stamp)
        }
        if let nackOrPLI = feedback.received(ssrc: ssrc, sequence: sequence, isVideo: isVideo) {
            nackOrPLI.withUnsafeBytes { _ = transport.sendRTCP($0) }
        }
    }

    /// Feeds the stream's render tracker and notes the layer it came from.
    private func trackVideo(_ packet: UnsafeMutableRawBufferPointer, ssrc: UInt32, sequence: UInt16, marker: Bool,
                            payload: Range<Int>, stamp: BenchStamp) {
        // The synthetic VP8 descriptor is 6 bytes: S bit in the first, then the P bit (0: key frame).
        let startsKeyFrame = payload.count > 6 && packet[payload.lowerBound] & 0x10 != 0
            && packet[payload.lowerBound + 6] & 0x01 == 0
        let isNew = videoRender[ssrc, default: VideoRenderTracker()].received(
            sequence: sequence, marker: marker, startsKeyFrame: startsKeyFrame, at: clock.nowMicroseconds())
        // A repair of an older packet says nothing about the layer being sent now.
        guard isNew else { return }
        let layer = Int(stamp.stream) - 1
        guard layer != lastVideoLayer else { return }
        if lastVideoLayer != nil { videoLayerSwitches += 1 }
        lastVideoLayer = layer
        videoLayerChanges.append((clock.nowMicroseconds(), layer))
    }

    /// Counts a packet or message whose stamp ends at `end`, its one-way latency, and the end of
    /// a timed layer switch.
    @discardableResult
    private func recordArrival(of bytes: UnsafeRawBufferPointer, stampEndingAt end: Int) -> BenchStamp? {
        guard let stamp = BenchStamp(in: bytes, endingAt: end) else { return nil }
        let now = clock.nowMicroseconds()
        guard streams.record(stamp, at: now) else {
            duplicates += 1
            return stamp
        }
        receivedBytes += bytes.count
        latency.record(microseconds: now - stamp.sentAt)
        if let layerSwitch, stamp.stream == layerSwitch.stream, !layerSwitch.seen.contains(stamp.sender) {
            self.layerSwitch?.seen.insert(stamp.sender)
            keyFrameWaits.append(now - layerSwitch.at)
        }
        return stamp
    }

    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {
        // PLI (RFC 4585 §6.3.1) or FIR (RFC 5104 §4.3.1): the next frame of that SSRC is a key frame.
        var packets = RTCPCompoundIterator(packet)
        while let header = try? packets.next() {
            var ssrc: UInt32?
            if header.packetType == .payloadSpecificFeedback, header.countOrFormat == 1 {
                ssrc = (try? RTCPPictureLossIndication(parsing: header, in: packet))?.sources.mediaSSRC
            } else if header.packetType == .payloadSpecificFeedback, header.countOrFormat == 4,
                      let fir = try? RTCPFullIntraRequest(parsing: header, in: packet), fir.entryCount > 0 {
                ssrc = (try? fir.entry(at: 0, in: packet))?.ssrc
            }
            guard let ssrc else { continue }
            keyFrameRequests += 1
            for layer in videoLayers.indices where videoLayers[layer].ssrc == ssrc || videoLayers.count == 1 {
                videoLayers[layer].keyFrameDue = true
            }
        }
    }

    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {
        // A participant in a room also receives on a second transport; only its own stops it.
        if transport === self.transport { sending = false }
    }
}

/// Microseconds of CLOCK_MONOTONIC: one clock for every participant, and for every bench
/// process on the machine, so one-way latency holds across processes.
struct BenchClock: Sendable {
    func nowMicroseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }
}
