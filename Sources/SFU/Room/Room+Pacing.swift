import CongestionControl
import NIOCore
import RTP

/// Video to a subscriber leaves through its `MediaPacer`: at most 2.5 times its downlink
/// estimate, so a key frame's packets, which arrive from the publisher in one burst, do not all
/// land in the bottleneck's queue at once. Audio, retransmissions and probes go straight out
/// (a listener hears a late packet; a repair is already late) but count against the budget.
extension Room {
    /// Sends forwarded media to a subscriber, through its pacer when `isVideo`.
    func sendForwarded(_ packet: UnsafeRawBufferPointer, header: RTPHeader, isVideo: Bool,
                       to subscriber: RoomParticipant, now: Int64) -> Bool {
        guard isVideo else { return sendUnpaced(packet, header: header, to: subscriber, now: now) }
        if subscriber.pacer.mustWait(size: packet.count, now: now) {
            if subscriber.pacer.enqueue(packet, now: now) {
                scheduleDrain(of: subscriber)
                return true
            }
            // No room left: out with everything that waits, then this one, in order.
            drainPacer(of: subscriber, now: now, everything: true)
        }
        return sendRTP(packet, header: header, to: subscriber, now: now)
    }

    /// Sends RTP past the pacer's queue, charging its budget.
    func sendUnpaced(_ packet: UnsafeRawBufferPointer, header: RTPHeader? = nil, to subscriber: RoomParticipant,
                     now: Int64) -> Bool {
        subscriber.pacer.charge(size: packet.count, now: now)
        return sendRTP(packet, header: header, to: subscriber, now: now)
    }

    /// Paces at the participant's new downlink estimate; with none, whatever waits goes out.
    func updatePacing(of participant: RoomParticipant, estimate: Int?, now: Int64) {
        participant.pacer.setEstimate(estimate, now: now)
        if estimate == nil, !participant.pacer.isEmpty { drainPacer(of: participant, now: now, everything: true) }
    }

    func drainPacer(of participant: RoomParticipant, now: Int64, everything: Bool = false) {
        participant.pacer.drain(now: now, everything: everything) { packet in
            _ = sendRTP(packet, to: participant, now: now)
        }
    }

    private func scheduleDrain(of participant: RoomParticipant) {
        guard participant.pacerDrain == nil else { return }
        let id = participant.id
        let interval = TimeAmount.microseconds(Self.pacerIntervalMicroseconds)
        participant.pacerDrain = worker.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) {
            [weak self] task in
            guard let self else {
                task.cancel()
                return
            }
            self.assumeIsolated { room in
                guard let participant = room.participants[id] else {
                    task.cancel()
                    return
                }
                room.drainPacer(of: participant, now: room.nowMicroseconds())
                room.worker.flushPendingWrites()
                if participant.pacer.isEmpty {
                    task.cancel()
                    participant.pacerDrain = nil
                }
            }
        }
    }

    /// libwebrtc's pacer runs every 5 ms too.
    static let pacerIntervalMicroseconds: Int64 = 5_000
}
