import Dispatch
import DTLS
import ICE
import NIOConcurrencyHelpers
import NIOCore
import RTP
import SCTP
import SFU
import WebRTC

/// A participant's client transport as the tests drive it: records RTP and PLIs from the room.
final class RoomClient: WebRTCTransportDelegate, @unchecked Sendable {
    struct Received: Sendable {
        let ssrc: UInt32
        let sequenceNumber: UInt16
        let timestamp: UInt32
        let payload: [UInt8]
        /// Ids of the header-extension elements the packet carried.
        let extensionIDs: [UInt8]
        /// The transport-wide sequence number under id 3 (what `RoomBandwidthTests` negotiates).
        let transportWideSequenceNumber: UInt16?
        /// When it arrived, µs on a monotonic clock.
        let arrivalMicroseconds: Int64
    }

    fileprivate let lock = NIOLock()
    private var _connected = false
    private var _received: [Received] = []
    private var _pliSSRCs: [UInt32] = []
    private var _nacked: [UInt32: [UInt16]] = [:]
    private var _rtcpTypes: [UInt8] = []
    private var _acknowledged: Set<UInt16> = []
    private var _feedbackMediaSSRCs: Set<UInt32> = []
    var transport: WebRTCTransport?
    let worker: MediaWorker

    init(worker: MediaWorker) { self.worker = worker }

    var connected: Bool { lock.withLock { _connected } }
    var received: [Received] { lock.withLock { _received } }
    /// Transport-wide sequence numbers the room's transport-cc feedback reported as received.
    var acknowledged: Set<UInt16> { lock.withLock { _acknowledged } }
    /// The "SSRC of media source" of each transport-cc feedback the room sent.
    var feedbackMediaSSRCs: Set<UInt32> { lock.withLock { _feedbackMediaSSRCs } }
    var pliSSRCs: [UInt32] { lock.withLock { _pliSSRCs } }
    /// Sequence numbers the room asked for again, by media SSRC.
    var nacked: [UInt32: [UInt16]] { lock.withLock { _nacked } }
    var rtcpPacketTypes: [UInt8] { lock.withLock { _rtcpTypes } }

    func transportDidConnect(_ transport: WebRTCTransport) { lock.withLock { _connected = true } }

    func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {
        guard let header = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)) else { return }
        var extensionIDs: [UInt8] = []
        if var cursor = header.extensionElements {
            while let element = (try? cursor.next(in: UnsafeRawBufferPointer(packet))) ?? nil {
                extensionIDs.append(element.id)
            }
        }
        let transportWide = (try? header.extensionValue(TransportWideSequenceNumberExtension.self, id: 3,
                                                         in: UnsafeRawBufferPointer(packet))) ?? nil
        let entry = Received(ssrc: header.ssrc, sequenceNumber: header.sequenceNumber, timestamp: header.timestamp,
                             payload: Array(packet[header.payloadRange]), extensionIDs: extensionIDs,
                             transportWideSequenceNumber: transportWide?.sequenceNumber,
                             arrivalMicroseconds: Int64(DispatchTime.now().uptimeNanoseconds / 1_000))
        lock.withLock { _received.append(entry) }
    }

    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {
        var packets = RTCPCompoundIterator(packet)
        while let header = try? packets.next() {
            let type = header.packetType.rawValue
            lock.withLock { _rtcpTypes.append(type) }
            if header.packetType == .payloadSpecificFeedback, header.countOrFormat == 1, header.range.count >= 12 {
                let ssrc = packet.loadUnaligned(fromByteOffset: header.range.lowerBound + 8, as: UInt32.self).bigEndian
                lock.withLock { _pliSSRCs.append(ssrc) }
            }
            if header.packetType == .transportLayerFeedback, header.countOrFormat == RTCPTransportFeedback.format,
               let feedback = try? RTCPTransportFeedback(parsing: header, in: packet) {
                let received = feedback.packets.filter(\.isReceived).map(\.sequenceNumber)
                lock.withLock {
                    _acknowledged.formUnion(received)
                    _feedbackMediaSSRCs.insert(feedback.sources.mediaSSRC)
                }
            }
            if header.packetType == .transportLayerFeedback, header.countOrFormat == 1,
               let nack = try? RTCPGenericNACK(parsing: header, in: packet) {
                let lost = Array(nack.lostSequenceNumbers(in: packet))
                lock.withLock { _nacked[nack.sources.mediaSSRC, default: []].append(contentsOf: lost) }
            }
        }
    }

    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {}

    // MARK: Data channels

    struct DataMessage: Sendable, Equatable {
        let streamID: UInt16
        let kind: DataChannelMessageKind
        let bytes: [UInt8]
        /// The label of the channel it arrived on.
        let label: String

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    private var _dataConnected = false
    private var _dataMessages: [DataMessage] = []
    private var _openedChannels: [DataChannel] = []
    var dataConnected: Bool { lock.withLock { _dataConnected } }
    var dataMessages: [DataMessage] { lock.withLock { _dataMessages } }
    /// Channels the room opened to this client.
    var openedChannels: [DataChannel] { lock.withLock { _openedChannels } }

    func transportDataChannelsDidConnect(_ transport: WebRTCTransport) { lock.withLock { _dataConnected = true } }

    func transport(_ transport: WebRTCTransport, didOpenDataChannel channel: DataChannel) {
        lock.withLock { _openedChannels.append(channel) }
    }

    func transport(_ transport: WebRTCTransport, didReceiveDataChannelMessage message: UnsafeRawBufferPointer,
                   kind: DataChannelMessageKind, onStream streamID: UInt16) {
        let label = transport.dataChannels?.channels[streamID]?.label ?? ""
        let entry = DataMessage(streamID: streamID, kind: kind, bytes: Array(message), label: label)
        lock.withLock { _dataMessages.append(entry) }
    }

    /// Runs `body` with the client's data channel endpoint on its loop.
    func withDataChannels<T: Sendable>(_ body: @escaping @Sendable (DataChannelEndpoint) throws -> T) async throws -> T {
        let box = UncheckedTransport(transport)
        return try await worker.submit {
            guard let endpoint = box.transport?.dataChannels else { throw DataChannelEndpointError.channelNotOpen(streamID: 0) }
            return try body(endpoint)
        }
    }

    /// Drops the next incoming RTP packet (after decryption would have happened) and returns
    /// nothing; `droppedSequenceNumber` tells which one it was. The SRTP datagrams of it, the
    /// dropped one first and any later one with its SSRC and sequence number (a resend), are
    /// kept as they arrived in `droppedDatagrams`.
    fileprivate var _dropped: UInt16?
    fileprivate var _droppedDatagrams: [[UInt8]] = []
    var droppedSequenceNumber: UInt16? { lock.withLock { _dropped } }
    var droppedDatagrams: [[UInt8]] { lock.withLock { _droppedDatagrams } }

    func dropNextIncomingRTP() async throws {
        let box = UncheckedTransport(transport), client = UncheckedClient(self)
        lock.withLock { _droppedDatagrams = [] }
        try await worker.submit {
            var dropped: [UInt8]?
            box.transport?.receiveFilter = { bytes, kind in
                guard kind == .rtp, bytes.count >= 12 else { return true }
                let datagram = Array(bytes)
                if let first = dropped {
                    // Same SSRC and sequence number: a resend of it.
                    if datagram[2..<4] == first[2..<4], datagram[8..<12] == first[8..<12] {
                        client.client.lock.withLock { client.client._droppedDatagrams.append(datagram) }
                    }
                    return true
                }
                dropped = datagram
                let sequenceNumber = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
                client.client.lock.withLock {
                    client.client._dropped = sequenceNumber
                    client.client._droppedDatagrams = [datagram]
                }
                return false
            }
        }
    }

    func send(rtp packet: [UInt8]) async throws {
        let box = UncheckedTransport(transport)
        _ = try await worker.submit { packet.withUnsafeBytes { box.transport?.sendRTP($0) ?? false } }
    }

    /// Sends `packets` in one turn of the client's loop, as a burst leaves a browser: one
    /// packet per hop would pace them by the test's own scheduling.
    func send(rtp packets: [[UInt8]]) async throws {
        let box = UncheckedTransport(transport)
        _ = try await worker.submit {
            for packet in packets { _ = packet.withUnsafeBytes { box.transport?.sendRTP($0) ?? false } }
        }
    }

    func send(rtcp packet: [UInt8]) async throws {
        let box = UncheckedTransport(transport)
        _ = try await worker.submit { packet.withUnsafeBytes { box.transport?.sendRTCP($0) ?? false } }
    }

    /// Joins `room` as `id`: the room makes the server transport, this side the client one.
    /// With `dataChannels`, both sides turn on SCTP as an SDP with an application section would.
    static func join(_ room: Room, as id: ParticipantID, clientWorker: MediaWorker,
                     context: DTLSContext, dataChannels: Bool = false) async throws -> RoomClient {
        let server = try await room.join(id)
        let client = RoomClient(worker: clientWorker)
        let credentials = ICECredentials.random()
        let path = try await clientWorker.openClientPath(to: room.worker.localAddress)
        try await clientWorker.submit {
            let transport = try WebRTCTransport.makeClient(
                on: clientWorker, dtlsContext: context,
                remote: .init(iceCredentials: server.iceCredentials, fingerprints: [server.fingerprint]),
                serverPath: path, localCredentials: credentials)
            transport.delegate = client
            client.transport = transport
            if dataChannels { transport.enableDataChannels(DataChannelConfiguration(remoteMaxMessageSize: 262_144)) }
        }
        if dataChannels {
            try await room.enableDataChannels(id, configuration: DataChannelConfiguration(remoteMaxMessageSize: 262_144))
        }
        try await room.connect(id, remote: .init(iceCredentials: credentials,
                                                 fingerprints: [context.certificate.fingerprint]))
        return client
    }
}

struct UncheckedClient: @unchecked Sendable {
    let client: RoomClient
    init(_ client: RoomClient) { self.client = client }
}

struct UncheckedTransport: @unchecked Sendable {
    let transport: WebRTCTransport?
    init(_ transport: WebRTCTransport?) { self.transport = transport }
}

/// A VP8 simulcast publisher: one packet per frame per layer at 30 fps, temporal pattern
/// 0,2,1,2, key frames at start and whenever a PLI for that layer arrives.
struct SyntheticVP8Simulcast {
    static let ssrcs: [UInt32] = [0x1000, 0x2000, 0x3000]
    var sequenceNumbers: [UInt16] = [100, 20_000, 40_000]
    var pictureIDs: [UInt16] = [10, 500, 9_000]
    var tl0: [UInt8] = [0, 0, 0]
    var frame = 0
    var keyFrameDue = [true, true, true]
    var handledPLIs = 0
    /// Tag packets with mid "1" (extension id 9) and the layer's rid (id 10), as a browser
    /// sending simulcast by rid does (RFC 8285 one-byte form).
    var tagsRID = false
    /// Filler after each layer's payload bytes, so layers cost different bitrates.
    var fillerBytes = [0, 0, 0]

    /// The next frame's packet for each layer.
    mutating func nextFrame() -> [[UInt8]] {
        frame += 1
        let temporalID: UInt8 = [0, 2, 1, 2][frame % 4]
        return (0..<3).map { layer in
            let isKey = keyFrameDue[layer]
            keyFrameDue[layer] = false
            sequenceNumbers[layer] &+= 1
            pictureIDs[layer] = (pictureIDs[layer] + 1) & 0x7FFF
            let tid: UInt8 = isKey ? 0 : temporalID
            if tid == 0 { tl0[layer] &+= 1 }
            var packet: [UInt8] = [tagsRID ? 0x90 : 0x80, 0x80 | 96]
            packet += [UInt8(sequenceNumbers[layer] >> 8), UInt8(sequenceNumbers[layer] & 0xFF)]
            packet += withUnsafeBytes(of: (UInt32(frame) * 3000).bigEndian, Array.init)
            packet += withUnsafeBytes(of: Self.ssrcs[layer].bigEndian, Array.init)
            if tagsRID {
                packet += [0xBE, 0xDE, 0x00, 0x01, 0x90, UInt8(ascii: "1"), 0xA0, Self.rids[layer].utf8.first ?? 0]
            }
            // RFC 7741 §4.2: X, S, PID 0 | I L T | M + 15-bit picture id | TL0PICIDX | TID Y KEYIDX
            packet += [0x90, 0xE0, 0x80 | UInt8(pictureIDs[layer] >> 8), UInt8(pictureIDs[layer] & 0xFF),
                       tl0[layer], tid << 6 | 0x20]
            // VP8 payload header: P bit 0 on key frames (RFC 7741 §4.3); then a layer marker.
            packet += [isKey ? 0x00 : 0x01, UInt8(layer), 0xAB, 0xCD]
            packet += [UInt8](repeating: 0xEE, count: fillerBytes[layer])
            return packet
        }
    }

    mutating func handle(plis: [UInt32]) {
        for ssrc in plis.dropFirst(handledPLIs) {
            if let layer = Self.ssrcs.firstIndex(of: ssrc) { keyFrameDue[layer] = true }
        }
        handledPLIs = plis.count
    }

    static let rids = ["q", "h", "f"]

    /// The same track announced as a browser's SDP does: rids, no SSRCs.
    static let ridOnlyDescription = TrackDescription(
        kind: .video, source: .camera, codec: TrackCodec(name: "VP8", payloadType: 96, clockRate: 90_000),
        layers: rids.map { TrackLayer(rid: $0) }, mid: "1", midExtensionID: 9, ridExtensionID: 10)

    static let description = TrackDescription(
        kind: .video, source: .camera, codec: TrackCodec(name: "VP8", payloadType: 96, clockRate: 90_000),
        layers: ssrcs.enumerated().map { TrackLayer(rid: ["q", "h", "f"][$0.offset], ssrc: $0.element) })
}

/// Reads what a received VP8 test packet says about itself.
extension RoomClient.Received {
    var layer: Int { Int(payload[7]) }
    var isKeyFrame: Bool { payload[6] & 0x01 == 0 }
    var pictureID: UInt16 { UInt16(payload[2] & 0x7F) << 8 | UInt16(payload[3]) }
}
