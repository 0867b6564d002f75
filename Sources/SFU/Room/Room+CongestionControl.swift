import CongestionControl
import NIOCore
import RTP
import WebRTC

/// Send-side bandwidth estimation on subscriber transports that negotiated transport-cc
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01): every RTP packet to the subscriber
/// carries a transport-wide sequence number, added in the copy SRTP makes anyway; its feedback
/// drives the participant's `SendSideBandwidthEstimator`; probes top the stream up with
/// padding when the allocation wants more than the estimate allows.
extension Room {
    /// Starts transport-cc on the participant's subscriber transport, with the header extension
    /// id the subscriber's answer kept. Until then its estimate comes from REMB and receiver
    /// reports; after, REMB only caps it.
    public func enableTransportWideCongestionControl(_ id: ParticipantID, extensionID: UInt8) throws(RoomError) {
        guard let participant = participants[id] else { throw .unknownParticipant(id) }
        guard participant.congestion?.extensionID != extensionID else { return }
        participant.congestion = SubscriberCongestionControl(extensionID: extensionID,
                                                             startBitrate: congestionStartBitrate)
    }

    /// Sends an RTP packet to a subscriber: numbered and stamped for transport-cc when it is on.
    /// `header`, when the caller has it, spares parsing the packet again (only its layout is
    /// used, which rewriting SSRC, sequence, timestamp and payload type leaves as it was).
    func sendRTP(_ packet: UnsafeRawBufferPointer, header parsed: RTPHeader? = nil, to subscriber: RoomParticipant,
                 now: Int64) -> Bool {
        guard let extensionID = subscriber.congestion?.extensionID else {
            return subscriber.subscriberTransport.sendRTP(packet)
        }
        guard let header = parsed ?? (try? RTPHeader.parse(packet)) else { return false }
        let maximumLength = packet.count + RTPHeader.appendedExtensionBytes(valueLength: TransportWideSequenceNumberExtension.length)
        return subscriber.subscriberTransport.sendRTP(maximumLength: maximumLength) { target in
            // Numbered only here, once the transport takes the packet: no number goes unsent.
            guard let sequence = subscriber.congestion?.estimator.packetSent(size: packet.count, at: now),
                  let length = try? RTPHeader.copy(packet, header: header, into: target,
                                                   appending: TransportWideSequenceNumberExtension(sequenceNumber: sequence),
                                                   id: extensionID) else { return 0 }
            return length
        }
    }

    /// A transport-cc feedback from the subscriber (RTPFB FMT 15).
    func receivedTransportFeedback(_ header: RTCPHeader, in packet: UnsafeRawBufferPointer,
                                   from participant: RoomParticipant, now: Int64) {
        guard participant.congestion != nil else { return }
        guard let feedback = try? RTCPTransportFeedback(parsing: header, in: packet) else {
            malformedFeedback += 1
            return
        }
        participant.congestion?.estimator.receivedFeedback(feedback, at: now)
        // A sharp drop is acted on now, not at the next allocation round (up to 500 ms away).
        if let congestion = participant.congestion, let allocated = congestion.allocatedFor,
           congestion.estimator.targetBitrate(at: now) < allocated * 85 / 100 {
            allocateLayers(for: participant, now: now)
        }
    }

    /// Every tick: when the allocation wants more than the estimate, a probe. While it runs,
    /// every 5 ms padding-only packets on a subscription's RTX stream make up the difference
    /// between what media sends and the probe's rate (RFC 3550 §5.1 padding, RFC 4588 stream):
    /// spread out, not in one burst, so the path sees a rate and not a train.
    func probeIfWanted(for participant: RoomParticipant, now: Int64) {
        guard participant.congestion != nil, participant.congestion?.estimator.probe(at: now) == nil,
              participant.subscriptionsBySSRC.values.contains(where: { $0.rtx != nil }) else { return }
        var wanted = wantedBitrate(of: participant, now: now)
        if let cap = participant.downlinkCap { wanted = min(wanted, cap) }
        guard wanted > 0, participant.congestion?.estimator.nextProbe(wanted: wanted, at: now) != nil else { return }
        let id = participant.id
        let slice = TimeAmount.microseconds(Self.probeSliceMicroseconds)
        worker.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: slice) { [weak self] task in
            guard let self else {
                task.cancel()
                return
            }
            self.assumeIsolated { room in
                if !room.sendProbeSlice(to: id) { task.cancel() }
            }
        }
    }

    static let probeSliceMicroseconds: Int64 = 5_000

    /// One slice of a running probe; false once the probe is over (or the participant gone).
    private func sendProbeSlice(to id: ParticipantID) -> Bool {
        let now = nowMicroseconds()
        guard let participant = participants[id], let probe = participant.congestion?.estimator.probe(at: now),
              let subscription = participant.subscriptionsBySSRC.values.first(where: { $0.rtx != nil }) else { return false }
        let media = sendingBitrate(to: participant)
        var bytes = max(probe.bitsPerSecond - media, 0) / 8 * Int(Self.probeSliceMicroseconds) / 1_000_000
        while bytes > 0 {
            let padding = min(SubscriberCongestionControl.maximumPadding, max(bytes, 32))
            guard sendPadding(padding, on: subscription, to: participant, now: now) else { break }
            bytes -= padding + RTPHeader.fixedLength
        }
        worker.flushPendingWrites()
        return true
    }

    /// One padding-only packet on the subscription's RTX stream.
    private func sendPadding(_ padding: Int, on subscription: Subscription, to participant: RoomParticipant,
                             now: Int64) -> Bool {
        guard var rtx = subscription.rtx, let last = subscription.lastOutputTimestamp else { return false }
        let length = RTPHeader.fixedLength + padding
        let sent: Bool = scratch.withUnsafeMutableBytes { target in
            guard length <= target.count else { return false }
            let packet = UnsafeMutableRawBufferPointer(rebasing: target[0..<length])
            packet.initializeMemory(as: UInt8.self, repeating: 0)
            packet[0] = 0x80 | 0x20 // version 2, padding
            packet[1] = rtx.payloadType
            packet.storeBytes(of: rtx.nextSequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
            packet.storeBytes(of: last.bigEndian, toByteOffset: 4, as: UInt32.self)
            packet.storeBytes(of: rtx.ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
            packet[length - 1] = UInt8(padding)
            return sendUnpaced(UnsafeRawBufferPointer(packet), to: participant, now: now)
        }
        if sent {
            rtx.nextSequenceNumber &+= 1
            subscription.rtx = rtx
        }
        return sent
    }

    /// What the participant's subscriptions would take if nothing limited them: each video at
    /// the layer its preferences allow, plus audio, with the headroom the allocator needs to
    /// rise to it (so a probe aims high enough to let it).
    func wantedBitrate(of participant: RoomParticipant, now: Int64) -> Int {
        let headroom = (allocator as? PriorityLayerAllocator)?.upSwitchHeadroom ?? 1.15
        return participant.subscriptionsBySSRC.values.reduce(0) { total, subscription in
            let publication = subscription.publication
            let layer = publication.description.kind == .video
                ? Subscription.targetLayer(subscription.preferences, publication) : 0
            guard let layer, publication.layers.indices.contains(layer) else { return total }
            // The wanted layer may not be measured yet (not arriving): the highest that is.
            let measured = publication.layers[...layer].reversed().lazy.compactMap(\.bitrate.bitsPerSecond).first
            let factor = publication.description.kind == .video ? headroom : 1
            return total + Int(Double(measured ?? 0) * factor)
        }
    }

    /// The participant's downlink estimate: send-side when transport-cc is on, else REMB and
    /// receiver reports, under the operator's cap; nil when nothing limits it.
    func downlinkEstimate(of participant: RoomParticipant, now: Int64) -> Int? {
        let estimate: Int?
        if let congestion = participant.congestion, congestion.estimator.feedbackCount > 0 {
            estimate = congestion.estimator.targetBitrate(at: now)
        } else {
            estimate = participant.estimator.availableBitrate(at: now)
        }
        guard let cap = participant.downlinkCap else { return estimate }
        return min(estimate ?? cap, cap)
    }

    /// Caps what the room sends the participant at `maxBitrate` bits/s (nil lifts the cap), as
    /// if its downlink carried no more: layers are chosen to fit, videos paused when not even
    /// the lowest fits, and no probe goes above it. Applied at once.
    public func capDownlink(_ id: ParticipantID, maxBitrate: Int?) throws(RoomError) {
        guard let participant = participants[id] else { throw .unknownParticipant(id) }
        participant.downlinkCap = maxBitrate.map { max($0, 0) }
        allocateLayers(for: participant, now: nowMicroseconds())
    }
}
