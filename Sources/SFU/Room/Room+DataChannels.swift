public import SCTP
public import WebRTC

/// Data channels in a room: what a participant sends on a channel reaches the other members
/// on a channel of the same label and reliability (opened by the room on first use), wrapped
/// in a `DataEnvelope` that names the sender. Nothing here waits on a slow member: each has a
/// bounded outbox, and what does not fit is dropped, counted and reported to the sender.
extension Room {
    /// The label of the reliable, ordered channel that server-originated messages use.
    public static let reliableDataLabel = "chat"

    /// Turns on data channels on one of the participant's transports, with what its SDP said.
    public func enableDataChannels(_ id: ParticipantID, transport role: TransportRole = .publisher,
                                   configuration: DataChannelConfiguration) throws(RoomError) {
        guard let participant = participants[id] else { throw .unknownParticipant(id) }
        participant.transport(role).enableDataChannels(configuration)
    }

    /// Whether the participant's messages are relayed (its token's `canPublishData`).
    public func setCanPublishData(_ id: ParticipantID, _ allowed: Bool) throws(RoomError) {
        guard let participant = participants[id] else { throw .unknownParticipant(id) }
        participant.canPublishData = allowed
    }

    /// Sends a server message (the REST data API) on each recipient's reliable channel, with
    /// `"from": null`. Returns who it was handed to; the others have no data channels up (or
    /// too full a buffer) and need another way.
    public func sendServerData(_ payload: [UInt8], kind: DataChannelMessageKind = .text, topic: String?,
                               to identities: [ParticipantID]?) -> [ParticipantID] {
        let message = payload.withUnsafeBytes { DataEnvelope.relayed(from: nil, topic: topic, payload: $0) }
        let recipients = identities.map { Array(Set($0)) } ?? Array(participants.keys)
        var delivered: [ParticipantID] = []
        for id in recipients {
            guard let recipient = participants[id] else { continue }
            let outcome = deliver(message, kind: kind, label: Self.reliableDataLabel, channelType: .reliable,
                                  reliabilityParameter: 0, to: recipient)
            if case .delivered = outcome { delivered.append(id) }
        }
        worker.flushPendingWrites()
        return delivered.sorted()
    }

    // MARK: Relay (on the worker's loop, entered synchronously from the transport)

    func receiveDataMessage(from id: ParticipantID, message: UnsafeRawBufferPointer,
                            kind: DataChannelMessageKind, streamID: UInt16) {
        guard let sender = participants[id], let transport = sender.dataTransport,
              let channel = transport.dataChannels?.channels[streamID] else { return }
        guard sender.canPublishData else {
            refuse(.notAllowed, from: sender, on: channel)
            return
        }
        let envelope: DataEnvelope.Incoming
        do { envelope = try DataEnvelope.parse(message) } catch {
            refuse(error, from: sender, on: channel)
            return
        }
        let payload = UnsafeRawBufferPointer(rebasing: message[envelope.payloadOffset...])
        let relayed = DataEnvelope.relayed(from: id, topic: envelope.topic, payload: payload)
        let recipients = envelope.to.map { Array(Set($0)) } ?? Array(participants.keys)
        for recipientID in recipients where recipientID != id {
            guard let recipient = participants[recipientID] else { continue }
            let outcome = deliver(relayed, kind: kind, label: channel.label, channelType: channel.channelType,
                                  reliabilityParameter: channel.reliabilityParameter, to: recipient)
            switch outcome {
            case .delivered, .noDataChannels:
                break
            case .failed(let error):
                // On a lossy channel losing a message is the contract; say so only on reliable ones.
                if channel.channelType.isReliable { notify(sender, on: channel, error, about: recipientID) }
            }
        }
    }

    func dataChannelClosed(_ streamID: UInt16, of id: ParticipantID) {
        participants[id]?.dataOutbox.removeAll(onStream: streamID)
    }

    /// After an SCTP packet from the participant (it may have acknowledged data).
    func flushDataOutbox(of id: ParticipantID) {
        if let participant = participants[id] { flushDataOutbox(of: participant) }
    }

    /// Sends what waits in a participant's outbox, oldest first, until its SCTP buffer is full.
    func flushDataOutbox(of participant: RoomParticipant) {
        guard !participant.dataOutbox.isEmpty, let endpoint = participant.dataTransport?.dataChannels,
              endpoint.association.state == .connected else { return }
        while let next = participant.dataOutbox.first {
            do throws(DataChannelEndpointError) {
                try endpoint.send(next.bytes, kind: next.kind, on: next.streamID)
            } catch .association(.wouldBlock) {
                return
            } catch {
                // The channel went away meanwhile: the message has nowhere to go.
                droppedDataMessages += 1
            }
            participant.dataOutbox.removeFirst()
        }
    }

    // MARK: Delivery

    enum DataDelivery {
        case delivered
        /// The recipient negotiated no data channels (or they are not up yet).
        case noDataChannels
        case failed(DataRelayError)
    }

    private func deliver(_ message: [UInt8], kind: DataChannelMessageKind, label: String,
                         channelType: DataChannelType, reliabilityParameter: UInt32,
                         to recipient: RoomParticipant) -> DataDelivery {
        guard let transport = recipient.dataTransport, let configuration = transport.dataChannelConfiguration,
              let endpoint = transport.dataChannels, endpoint.association.state == .connected else {
            return .noDataChannels
        }
        guard configuration.peerAccepts(messageOfSize: message.count) else {
            droppedDataMessages += 1
            return .failed(.tooLarge(size: message.count, limit: configuration.remoteMaxMessageSize))
        }
        let streamID: UInt16
        if let open = endpoint.channels.values.first(where: { $0.label == label && $0.state != .closing }) {
            streamID = open.streamID
        } else {
            do {
                streamID = try endpoint.open(label: label, channelType: channelType,
                                             reliabilityParameter: reliabilityParameter)
            } catch {
                droppedDataMessages += 1
                return .failed(.receiverOverflow)
            }
        }
        // Behind queued messages a new one waits its turn, so ordered channels stay ordered.
        if recipient.dataOutbox.isEmpty {
            do throws(DataChannelEndpointError) {
                try endpoint.send(message, kind: kind, on: streamID)
                relayedDataMessages += 1
                return .delivered
            } catch .association(.wouldBlock) {
                // Full: queue it below, unless the channel may lose it.
            } catch {
                droppedDataMessages += 1
                return .failed(.receiverOverflow)
            }
        }
        guard channelType.isReliable,
              recipient.dataOutbox.append(.init(streamID: streamID, kind: kind, bytes: message)) else {
            droppedDataMessages += 1
            return .failed(.receiverOverflow)
        }
        relayedDataMessages += 1
        return .delivered
    }

    private func refuse(_ error: DataRelayError, from sender: RoomParticipant, on channel: DataChannel) {
        droppedDataMessages += 1
        notify(sender, on: channel, error, about: nil)
    }

    /// Tells a sender about its message on the channel it used; lost if that is full too.
    private func notify(_ sender: RoomParticipant, on channel: DataChannel, _ error: DataRelayError,
                        about recipient: ParticipantID?) {
        let notice = DataEnvelope.notice(error, recipient: recipient)
        try? sender.dataTransport?.dataChannels?.send(notice, kind: .text, on: channel.streamID)
    }
}

extension DataChannelType {
    /// Whether every message arrives (reliable, ordered or not), as opposed to partial reliability.
    public var isReliable: Bool { self == .reliable || self == .reliableUnordered }
}
