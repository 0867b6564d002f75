/// Why an SRTP operation failed. The first three are expected on a live network (an attacker,
/// a late duplicate, a peer with the wrong keys) and mean "drop the packet and count it".
public enum SRTPError: Error, Equatable, Sendable {
    /// The authentication tag did not verify (tampered packet or wrong key).
    case authenticationFailed
    /// The packet's index was already seen or is older than the replay window (RFC 3711 §3.3.2).
    case replayed
    /// Too short to be an SRTP/SRTCP packet, or otherwise not parseable by libsrtp2.
    case malformedPacket
    /// `protect` needs room after the packet for the trailer.
    case bufferTooSmall(needed: Int, available: Int)
    case invalidKeyLength(expected: Int, actual: Int)
    /// Any other libsrtp2 status, by its numeric value (see `srtp_err_status_t`).
    case library(status: Int32, operation: String)
}
