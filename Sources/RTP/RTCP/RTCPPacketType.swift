/// RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2).
///
/// Types this module does not understand are kept as `.unknown` so a compound
/// datagram can be walked past them (RFC 3550 §6.1: unknown types are ignored).
public enum RTCPPacketType: Sendable, Hashable {
    case senderReport              // 200
    case receiverReport            // 201
    case sourceDescription         // 202
    case goodbye                   // 203
    case applicationDefined        // 204
    case transportLayerFeedback    // 205 (RTPFB)
    case payloadSpecificFeedback   // 206 (PSFB)
    case extendedReport            // 207 (XR)
    case unknown(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 200: self = .senderReport
        case 201: self = .receiverReport
        case 202: self = .sourceDescription
        case 203: self = .goodbye
        case 204: self = .applicationDefined
        case 205: self = .transportLayerFeedback
        case 206: self = .payloadSpecificFeedback
        case 207: self = .extendedReport
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .senderReport: 200
        case .receiverReport: 201
        case .sourceDescription: 202
        case .goodbye: 203
        case .applicationDefined: 204
        case .transportLayerFeedback: 205
        case .payloadSpecificFeedback: 206
        case .extendedReport: 207
        case .unknown(let value): value
        }
    }
}
