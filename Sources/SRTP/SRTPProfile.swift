/// The SRTP protection profiles Parley supports, with the sizes libsrtp2 needs.
///
/// Lengths follow RFC 3711 §8.2 (AES-CM: 128-bit key, 112-bit salt, 80-bit HMAC-SHA1 tag) and
/// RFC 7714 §12 (AES-GCM: 128-bit key, 96-bit salt, 128-bit authentication tag).
public enum SRTPProfile: Sendable, CaseIterable, CustomStringConvertible {
    case aeadAES128GCM
    case aes128CMHMACSHA1_80

    /// Maps the DTLS `use_srtp` profile identifier (RFC 5764 §4.1.2, RFC 7714 §14.2).
    public init?(dtlsSRTPProfileIdentifier identifier: UInt16) {
        switch identifier {
        case 0x0007: self = .aeadAES128GCM
        case 0x0001: self = .aes128CMHMACSHA1_80
        default: return nil
        }
    }

    public var masterKeyLength: Int { 16 }

    public var masterSaltLength: Int {
        switch self {
        case .aeadAES128GCM: 12
        case .aes128CMHMACSHA1_80: 14
        }
    }

    /// Bytes `protectRTP` appends: the authentication tag.
    public var rtpTrailerLength: Int {
        switch self {
        case .aeadAES128GCM: 16
        case .aes128CMHMACSHA1_80: 10
        }
    }

    /// Bytes `protectRTCP` appends: the tag plus the 4-byte E flag and SRTCP index (RFC 3711 §3.4).
    public var rtcpTrailerLength: Int { rtpTrailerLength + 4 }

    public var description: String {
        switch self {
        case .aeadAES128GCM: "AEAD_AES_128_GCM"
        case .aes128CMHMACSHA1_80: "AES_CM_128_HMAC_SHA1_80"
        }
    }
}
