/// One packet of a compound datagram, parsed by its type (and FMT for feedback).
///
/// Everything but transport-cc feedback is parsed without allocating. Packet types and
/// feedback formats this module does not parse come back as `.other` with their header.
public enum RTCPPacket: Sendable, Equatable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription(RTCPSourceDescription)
    case goodbye(RTCPGoodbye)
    case genericNACK(RTCPGenericNACK)
    case transportFeedback(RTCPTransportFeedback)
    case pictureLossIndication(RTCPPictureLossIndication)
    case fullIntraRequest(RTCPFullIntraRequest)
    case receiverEstimatedMaximumBitrate(RTCPReceiverEstimatedMaximumBitrate)
    case extendedReport(RTCPExtendedReport)
    /// APP, unknown packet types, other feedback formats, and PSFB FMT=15 that is not REMB.
    case other(RTCPHeader)

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        switch header.packetType {
        case .senderReport: self = .senderReport(try RTCPSenderReport(parsing: header, in: bytes))
        case .receiverReport: self = .receiverReport(try RTCPReceiverReport(parsing: header, in: bytes))
        case .sourceDescription: self = .sourceDescription(try RTCPSourceDescription(parsing: header, in: bytes))
        case .goodbye: self = .goodbye(try RTCPGoodbye(parsing: header, in: bytes))
        case .extendedReport: self = .extendedReport(try RTCPExtendedReport(parsing: header, in: bytes))
        case .transportLayerFeedback:
            switch header.countOrFormat {
            case RTCPGenericNACK.format: self = .genericNACK(try RTCPGenericNACK(parsing: header, in: bytes))
            case RTCPTransportFeedback.format: self = .transportFeedback(try RTCPTransportFeedback(parsing: header, in: bytes))
            default: self = .other(header)
            }
        case .payloadSpecificFeedback:
            switch header.countOrFormat {
            case RTCPPictureLossIndication.format:
                self = .pictureLossIndication(try RTCPPictureLossIndication(parsing: header, in: bytes))
            case RTCPFullIntraRequest.format:
                self = .fullIntraRequest(try RTCPFullIntraRequest(parsing: header, in: bytes))
            case RTCPReceiverEstimatedMaximumBitrate.format:
                // RFC 4585 §6.4: FMT=15 is any application-layer feedback; only "REMB" is ours.
                do throws(RTCPError) {
                    self = .receiverEstimatedMaximumBitrate(try RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: bytes))
                } catch .missingREMBIdentifier {
                    self = .other(header)
                }
            default: self = .other(header)
            }
        case .applicationDefined, .unknown: self = .other(header)
        }
    }
}
