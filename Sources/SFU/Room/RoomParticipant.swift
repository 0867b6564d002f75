import CongestionControl
import NIOCore
import RTP
import SCTP
import WebRTC

/// A room member: its transports, what it publishes and what it receives.
///
/// Media from the participant arrives on `publisherTransport`; media to it leaves on
/// `subscriberTransport`. They are one transport unless the participant joined with two
/// (browsers: a publish and a subscribe peer connection, so renegotiation never glares).
final class RoomParticipant {
    let id: ParticipantID
    let publisherTransport: WebRTCTransport
    let subscriberTransport: WebRTCTransport
    let listener: RoomTransportListener
    /// Incoming SSRC → (publication, layer index).
    var layersBySSRC: [UInt32: (publication: Publication, layer: Int)] = [:]
    /// Incoming RTX SSRC → the layer it repairs.
    var rtxLayersBySSRC: [UInt32: (publication: Publication, layer: Int)] = [:]
    /// Outgoing subscription SSRC → subscription (for the subscriber's RTCP feedback).
    var subscriptionsBySSRC: [UInt32: Subscription] = [:]
    var publications: [TrackID] = []
    var transportWideFeedback: TransportWideFeedbackRecorder?
    /// The transport-wide sequence number's extension id on its publisher connection.
    var transportWideSequenceExtensionID: UInt8?
    var quality = ConnectionQualityMeter()
    /// What its subscriber transport's downlink takes, from REMB and receiver reports.
    var estimator: any BandwidthEstimator
    /// Send-side estimation from transport-cc feedback, once its answer negotiated it; its
    /// estimate then takes the place of `estimator`'s.
    var congestion: SubscriberCongestionControl?
    /// An operator's ceiling on what is sent to it (bits/s), below any estimate; nil: none.
    var downlinkCap: Int?
    /// Spreads video bursts to it over time at a multiple of its downlink estimate.
    var pacer = MediaPacer()
    /// Sends what waits in `pacer`, every 5 ms while anything does.
    var pacerDrain: RepeatedTask?
    /// Whether messages it sends on data channels are relayed (its token's `canPublishData`).
    var canPublishData = true
    /// Relayed messages waiting for its SCTP send buffer.
    var dataOutbox = DataOutbox()

    init(id: ParticipantID, publisherTransport: WebRTCTransport, subscriberTransport: WebRTCTransport,
         listener: RoomTransportListener, estimator: any BandwidthEstimator) {
        self.estimator = estimator
        self.id = id
        self.publisherTransport = publisherTransport
        self.subscriberTransport = subscriberTransport
        self.listener = listener
    }

    /// Each transport once.
    var transports: [WebRTCTransport] {
        publisherTransport === subscriberTransport ? [publisherTransport] : [publisherTransport, subscriberTransport]
    }

    func transport(_ role: TransportRole) -> WebRTCTransport {
        role == .publisher ? publisherTransport : subscriberTransport
    }

    /// The transport its data channels negotiated on (browsers: the publish connection).
    var dataTransport: WebRTCTransport? {
        transports.first { $0.dataChannelConfiguration != nil }
    }
}

/// Brings a transport's events into its room, synchronously: the transport and the room share
/// the worker's event loop, which is the room actor's executor.
final class RoomTransportListener: WebRTCTransportDelegate {
    let participant: ParticipantID
    unowned let room: Room

    init(participant: ParticipantID, room: Room) {
        self.participant = participant
        self.room = room
    }

    func transportDidConnect(_ transport: WebRTCTransport) {}

    func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {
        let participant = participant, borrowed = BorrowedPacket(bytes: packet)
        room.assumeIsolated { $0.receiveRTP(from: participant, packet: borrowed.bytes) }
    }

    func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {
        let participant = participant, borrowed = BorrowedPacket(bytes: UnsafeMutableRawBufferPointer(mutating: packet))
        room.assumeIsolated { $0.receiveRTCP(from: participant, packet: UnsafeRawBufferPointer(borrowed.bytes)) }
    }

    func transportDataChannelsDidReceivePacket(_ transport: WebRTCTransport) {
        let participant = participant
        room.assumeIsolated { $0.flushDataOutbox(of: participant) }
    }

    func transport(_ transport: WebRTCTransport, didReceiveDataChannelMessage message: UnsafeRawBufferPointer,
                   kind: DataChannelMessageKind, onStream streamID: UInt16) {
        let participant = participant, borrowed = BorrowedPacket(bytes: UnsafeMutableRawBufferPointer(mutating: message))
        room.assumeIsolated {
            $0.receiveDataMessage(from: participant, message: UnsafeRawBufferPointer(borrowed.bytes),
                                  kind: kind, streamID: streamID)
        }
    }

    func transport(_ transport: WebRTCTransport, didCloseDataChannel streamID: UInt16) {
        let participant = participant
        room.assumeIsolated { $0.dataChannelClosed(streamID, of: participant) }
    }

    func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {
        let participant = participant
        room.assumeIsolated { $0.transportClosed(participant) }
    }
}

/// A packet buffer lent to the room for the duration of one synchronous call on the loop that
/// owns it. `assumeIsolated` does not hop threads, so nothing can race on it; the compiler
/// cannot see that, hence `@unchecked Sendable`.
struct BorrowedPacket: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
}
