/// Why the endpoint refused a call or an incoming message. Incoming problems never close the
/// association: the message is dropped, counted and reported through `onRejected`.
public enum DataChannelEndpointError: Error, Equatable, Sendable {
    case malformedDCEP(streamID: UInt16, DCEPError)
    /// RFC 8832 §6: the opener picks ids of its own DTLS-role parity; this OPEN used ours.
    case openWithWrongParity(streamID: UInt16)
    case openOnStreamInUse(streamID: UInt16)
    case unexpectedAck(streamID: UInt16)
    case messageOnUnknownStream(streamID: UInt16)
    /// PPIDs other than RFC 8831 §8's (e.g. the deprecated partial PPIDs 52/54).
    case unsupportedPPID(streamID: UInt16, ppid: UInt32)
    case noFreeStream
    case channelNotOpen(streamID: UInt16)
    case association(SCTPError)
}

/// What a data channel message carries (RFC 8831 §6.6).
public enum DataChannelMessageKind: Sendable {
    case text, binary
}

public enum DataChannelState: Equatable, Sendable {
    /// We sent OPEN and wait for ACK (RFC 8832 §6).
    case opening
    case open
    /// We reset our outgoing stream and wait for the peer to reset its side (RFC 8831 §6.7).
    case closing
}

/// One data channel: an SCTP stream pair plus the parameters from its OPEN message.
public struct DataChannel: Equatable, Sendable {
    public var streamID: UInt16
    public var label: String
    public var subprotocol: String
    public var channelType: DataChannelType
    public var priority: UInt16
    public var reliabilityParameter: UInt32
    public var state: DataChannelState
    /// Whether the peer opened it.
    public var isRemote: Bool
}

/// Data channels (RFC 8831) on one SCTP association, opened with DCEP (RFC 8832).
///
/// The endpoint takes over the association's `onMessage` and `onStreamReset`; set the
/// association's `onConnected`/`onClosed` yourself. Same threading rule as the association:
/// one thread at a time.
public final class DataChannelEndpoint {
    public let association: SCTPAssociation
    /// RFC 8832 §6: the DTLS client opens even stream ids, the server odd ones.
    public let isDTLSClient: Bool
    public private(set) var channels: [UInt16: DataChannel] = [:]
    /// Incoming messages dropped as invalid.
    public private(set) var rejectedMessageCount = 0

    /// The peer opened a channel (already acknowledged).
    public var onChannelOpened: ((DataChannel) -> Void)?
    /// The peer acknowledged a channel we opened.
    public var onChannelAcknowledged: ((DataChannel) -> Void)?
    /// A message on an open channel; the bytes are valid only during the call (empty for
    /// RFC 8831's empty messages).
    public var onMessage: ((UInt16, DataChannelMessageKind, UnsafeRawBufferPointer) -> Void)?
    /// The channel on this stream is closed in both directions (or by the peer).
    public var onChannelClosed: ((UInt16) -> Void)?
    /// An incoming message was dropped.
    public var onRejected: ((DataChannelEndpointError) -> Void)?

    public init(association: SCTPAssociation, isDTLSClient: Bool) {
        self.association = association
        self.isDTLSClient = isDTLSClient
        association.onMessage = { [unowned self] streamID, ppid, bytes in
            handle(streamID: streamID, ppid: ppid, bytes: bytes)
        }
        association.onStreamReset = { [unowned self] streams in handleReset(streams) }
    }

    private var ownParity: UInt16 { isDTLSClient ? 0 : 1 }

    /// Opens a channel: sends DATA_CHANNEL_OPEN on the lowest free stream of our parity.
    @discardableResult
    public func open(label: String, protocol subprotocol: String = "",
                     channelType: DataChannelType = .reliable, priority: UInt16 = 0,
                     reliabilityParameter: UInt32 = 0) throws(DataChannelEndpointError) -> UInt16 {
        var candidate = ownParity
        while channels[candidate] != nil {
            candidate += 2
            if candidate >= SCTPAssociation.streamCount { throw .noFreeStream }
        }
        let message: [UInt8]
        do {
            message = try DataChannelOpenMessage.build(channelType: channelType, priority: priority,
                                                       reliabilityParameter: reliabilityParameter,
                                                       label: label, protocol: subprotocol)
        } catch {
            throw .malformedDCEP(streamID: candidate, error)
        }
        try sendRaw(message, streamID: candidate, ppid: .dcep)
        channels[candidate] = DataChannel(streamID: candidate, label: label, subprotocol: subprotocol,
                                          channelType: channelType, priority: priority,
                                          reliabilityParameter: reliabilityParameter,
                                          state: .opening, isRemote: false)
        return candidate
    }

    public func send(text: String, on streamID: UInt16) throws(DataChannelEndpointError) {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(DataChannelEndpointError) in
                try send(UnsafeRawBufferPointer(utf8), kind: .text, on: streamID)
            }
        }
        try result.get()
    }

    public func send(binary: UnsafeRawBufferPointer, on streamID: UInt16) throws(DataChannelEndpointError) {
        try send(binary, kind: .binary, on: streamID)
    }

    public func send(_ bytes: [UInt8], kind: DataChannelMessageKind, on streamID: UInt16) throws(DataChannelEndpointError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DataChannelEndpointError) in try send(buffer, kind: kind, on: streamID) }
        }
        try result.get()
    }

    /// Closes a channel by resetting our outgoing stream (RFC 8831 §6.7).
    public func close(_ streamID: UInt16) throws(DataChannelEndpointError) {
        guard var channel = channels[streamID], channel.state != .closing else {
            throw .channelNotOpen(streamID: streamID)
        }
        channel.state = .closing
        channels[streamID] = channel
        do { try association.resetStreams([streamID]) } catch { throw .association(error) }
    }

    // MARK: - Sending

    /// Sends a message of either kind; an empty buffer sends RFC 8831 §6.6's empty message.
    public func send(_ bytes: UnsafeRawBufferPointer, kind: DataChannelMessageKind,
                     on streamID: UInt16) throws(DataChannelEndpointError) {
        guard let channel = channels[streamID], channel.state != .closing else {
            throw .channelNotOpen(streamID: streamID)
        }
        // RFC 8831 §6.6: an empty message travels as one zero byte with the "empty" PPID.
        let ppid: DataChannelPPID
        switch (kind, bytes.isEmpty) {
        case (.text, false): ppid = .string
        case (.text, true): ppid = .emptyString
        case (.binary, false): ppid = .binary
        case (.binary, true): ppid = .emptyBinary
        }
        // RFC 8832 §6: until the ACK arrives, messages go ordered so they cannot pass the OPEN.
        let ordered = channel.state == .opening || channel.channelType.isOrdered
        var maxRetransmits: UInt16?
        var lifetime: UInt32?
        switch channel.channelType {
        case .partialReliableRexmit, .partialReliableRexmitUnordered:
            maxRetransmits = UInt16(clamping: channel.reliabilityParameter)
        case .partialReliableTimed, .partialReliableTimedUnordered:
            lifetime = channel.reliabilityParameter
        case .reliable, .reliableUnordered:
            break
        }
        let zero: UInt8 = 0
        let result = withUnsafeBytes(of: zero) { zeroBuffer in
            Result { () throws(SCTPError) in
                try association.send(message: bytes.isEmpty ? zeroBuffer : bytes, streamID: streamID,
                                     ppid: ppid.rawValue, ordered: ordered,
                                     maxRetransmits: maxRetransmits, maxLifetimeMilliseconds: lifetime)
            }
        }
        do { try result.get() } catch { throw .association(error) }
    }

    /// DCEP messages are always sent reliable and ordered (RFC 8832 §6).
    private func sendRaw(_ bytes: [UInt8], streamID: UInt16,
                         ppid: DataChannelPPID) throws(DataChannelEndpointError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(SCTPError) in
                try association.send(message: buffer, streamID: streamID, ppid: ppid.rawValue,
                                     ordered: true, maxRetransmits: nil)
            }
        }
        do { try result.get() } catch { throw .association(error) }
    }

    // MARK: - Receiving

    private func reject(_ error: DataChannelEndpointError) {
        rejectedMessageCount += 1
        onRejected?(error)
    }

    private func handle(streamID: UInt16, ppid: UInt32, bytes: UnsafeRawBufferPointer) {
        do throws(DataChannelEndpointError) {
            guard let known = DataChannelPPID(rawValue: ppid) else {
                throw .unsupportedPPID(streamID: streamID, ppid: ppid)
            }
            switch known {
            case .dcep:
                try handleDCEP(streamID: streamID, bytes: bytes)
            case .string, .binary, .emptyString, .emptyBinary:
                guard var channel = channels[streamID] else {
                    throw .messageOnUnknownStream(streamID: streamID)
                }
                // RFC 8832 §6: data before the ACK implies the peer accepted the channel.
                if channel.state == .opening {
                    channel.state = .open
                    channels[streamID] = channel
                    onChannelAcknowledged?(channel)
                }
                let kind: DataChannelMessageKind = (known == .string || known == .emptyString) ? .text : .binary
                let empty = known == .emptyString || known == .emptyBinary
                onMessage?(streamID, kind, empty ? UnsafeRawBufferPointer(start: nil, count: 0) : bytes)
            }
        } catch {
            reject(error)
        }
    }

    private func handleDCEP(streamID: UInt16, bytes: UnsafeRawBufferPointer) throws(DataChannelEndpointError) {
        let type: DCEPMessageType
        do { type = try DCEPMessageType.parse(bytes) } catch {
            throw .malformedDCEP(streamID: streamID, error)
        }
        switch type {
        case .ack:
            guard var channel = channels[streamID], channel.state == .opening else {
                throw .unexpectedAck(streamID: streamID)
            }
            channel.state = .open
            channels[streamID] = channel
            onChannelAcknowledged?(channel)
        case .open:
            let open: DataChannelOpenMessage
            do { open = try DataChannelOpenMessage(parsing: bytes) } catch {
                throw .malformedDCEP(streamID: streamID, error)
            }
            guard streamID % 2 != ownParity else { throw .openWithWrongParity(streamID: streamID) }
            guard channels[streamID] == nil else { throw .openOnStreamInUse(streamID: streamID) }
            let channel = DataChannel(
                streamID: streamID,
                label: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[open.labelRange]), as: UTF8.self),
                subprotocol: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[open.protocolRange]),
                                    as: UTF8.self),
                channelType: open.channelType, priority: open.priority,
                reliabilityParameter: open.reliabilityParameter, state: .open, isRemote: true)
            // RFC 8832 §6: answer with ACK on the same stream before anything else.
            try sendRaw(DataChannelAckMessage.bytes, streamID: streamID, ppid: .dcep)
            channels[streamID] = channel
            onChannelOpened?(channel)
        }
    }

    /// The peer reset its outgoing side of these streams (RFC 8831 §6.7).
    private func handleReset(_ streams: [UInt16]) {
        for streamID in streams {
            guard let channel = channels[streamID] else { continue }
            if channel.state != .closing {
                // Close our side too so the stream id can be reused.
                try? association.resetStreams([streamID])
            }
            channels[streamID] = nil
            onChannelClosed?(streamID)
        }
    }
}
