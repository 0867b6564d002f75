import RTP
public import WebRTC

/// The echo test (as in Janus): every RTP packet a participant sends comes straight back to it
/// over the same transport, and its feedback about the echoed streams goes back to its own
/// senders. Proves a browser's ICE, DTLS, SRTP and codecs work with Parley end to end.
///
/// The echoed streams get the server's own SSRCs (declared in the answer) so the browser never
/// sees its sending SSRCs on a receive stream. Lives on the transport's worker loop.
public final class EchoSession: WebRTCTransportDelegate {
    public let transport: WebRTCTransport
    /// Payload type → the SSRC the server sends that media section's echo with.
    private let echoSSRCByPayloadType: [UInt8: UInt32]
    /// Echo SSRC → the browser's SSRC it mirrors, learned from the packets (for feedback).
    private var senderSSRCByEchoSSRC: [UInt32: UInt32] = [:]
    /// Kept alive by its own transport's lifetime: released when the transport closes.
    private var keepAlive: EchoSession?
    public private(set) var echoedPackets: UInt64 = 0
    public private(set) var forwardedFeedback: UInt64 = 0

    public init(transport: WebRTCTransport, echoSSRCByPayloadType: [UInt8: UInt32]) {
        self.transport = transport
        self.echoSSRCByPayloadType = echoSSRCByPayloadType
        keepAlive = self
        transport.delegate = self
    }

    public func transportDidConnect(_ transport: WebRTCTransport) {}

    public func transport(_ transport: WebRTCTransport, didReceiveRTP packet: UnsafeMutableRawBufferPointer) {
        guard let header = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)),
              let echoSSRC = echoSSRCByPayloadType[header.payloadType] else { return }
        if senderSSRCByEchoSSRC[echoSSRC] != header.ssrc { senderSSRCByEchoSSRC[echoSSRC] = header.ssrc }
        guard (try? RTPHeader.setSSRC(echoSSRC, in: packet)) != nil else { return }
        if transport.sendRTP(UnsafeRawBufferPointer(packet)) { echoedPackets &+= 1 }
    }

    /// Picture-loss, full-intra and NACK feedback about an echo stream is really about the
    /// browser's own sender: re-address it there, so a lost packet or a decoder reset is
    /// repaired by the browser's encoder. Reports (SR/RR) are not echoed.
    public func transport(_ transport: WebRTCTransport, didReceiveRTCP packet: UnsafeRawBufferPointer) {
        var packets = RTCPCompoundIterator(packet)
        var scratch = [UInt8]()
        while let header = try? packets.next() {
            let isPLIOrFIR = header.packetType == .payloadSpecificFeedback
                && (header.countOrFormat == 1 || header.countOrFormat == 4)
            let isNACK = header.packetType == .transportLayerFeedback && header.countOrFormat == 1
            guard isPLIOrFIR || isNACK else { continue }
            // RFC 4585 §6.1: media source SSRC at offset 8; FIR carries it in its FCI at 12
            // (RFC 5104 §4.3.1.1).
            let ssrcOffset = header.countOrFormat == 4 && isPLIOrFIR ? 12 : 8
            guard header.range.count >= ssrcOffset + 4 else { continue }
            let echoSSRC = packet.loadUnaligned(fromByteOffset: header.range.lowerBound + ssrcOffset,
                                                as: UInt32.self).bigEndian
            guard let senderSSRC = senderSSRCByEchoSSRC[echoSSRC] else { continue }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: packet[header.range]))
            scratch.withUnsafeMutableBytes { bytes in
                bytes.storeBytes(of: senderSSRC.bigEndian, toByteOffset: ssrcOffset, as: UInt32.self)
                if transport.sendRTCP(UnsafeRawBufferPointer(bytes)) { forwardedFeedback &+= 1 }
            }
        }
    }

    public func transport(_ transport: WebRTCTransport, didClose reason: TransportCloseReason) {
        keepAlive = nil
    }
}
