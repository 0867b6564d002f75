import CSRTP

/// One direction of SRTP/SRTCP for one transport, backed by a libsrtp2 session; protecting
/// RTP with AES-GCM goes through OpenSSL instead (`AESGCMRTPProtector`, for speed).
///
/// A transport owns two: a `.sending` session keyed with its own master key (protect) and a
/// `.receiving` session keyed with the peer's (unprotect). Streams for new SSRCs are created on
/// first use from the session's template policy, so one session covers every SSRC of a bundle.
///
/// Work happens in place on the caller's buffer: no allocation or copy per packet. Not
/// thread-safe; a session belongs to the event loop of its transport.
public final class SRTPSession {
    public enum Direction: Sendable {
        case sending
        case receiving
    }

    public let profile: SRTPProfile
    public let direction: Direction
    private let session: srtp_t
    /// Sending RTP with AEAD_AES_128_GCM; nil for the other profiles and for receiving.
    private var gcmRTPProtector: AESGCMRTPProtector?

    /// Packets are accepted up to this far behind the newest index (RFC 3711 §3.3.2 requires at
    /// least 64). Video retransmissions and reordering on real networks need more than that.
    public static let replayWindowSize: UInt = 1024

    public convenience init(profile: SRTPProfile, masterKey: SRTPMasterKey, direction: Direction) throws(SRTPError) {
        try self.init(profile: profile, masterKey: masterKey, direction: direction, libsrtpProtectsGCMRTP: false)
    }

    /// `libsrtpProtectsGCMRTP`: tests compare the two implementations of GCM RTP protection.
    init(profile: SRTPProfile, masterKey: SRTPMasterKey, direction: Direction,
         libsrtpProtectsGCMRTP: Bool) throws(SRTPError) {
        try SRTPLibrary.ensureInitialized()
        guard masterKey.key.count == profile.masterKeyLength,
              masterKey.salt.count == profile.masterSaltLength else {
            throw .invalidKeyLength(expected: profile.masterKeyLength + profile.masterSaltLength,
                                    actual: masterKey.key.count + masterKey.salt.count)
        }
        self.profile = profile
        self.direction = direction
        gcmRTPProtector = profile == .aeadAES128GCM && direction == .sending && !libsrtpProtectsGCMRTP
            ? try AESGCMRTPProtector(masterKey: masterKey) : nil

        var policy = srtp_policy_t()
        switch profile {
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aes128CMHMACSHA1_80:
            parley_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp)
            parley_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        }
        policy.ssrc.type = direction == .sending ? ssrc_any_outbound : ssrc_any_inbound
        policy.window_size = Self.replayWindowSize
        // Retransmission without RTX re-sends a packet with its original sequence number.
        policy.allow_repeat_tx = 1
        policy.next = nil

        var keyAndSalt = masterKey.key + masterKey.salt
        var created: srtp_t?
        let status = keyAndSalt.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            return srtp_create(&created, &policy)
        }
        // Do not leave key bytes lying around in freed memory.
        for index in keyAndSalt.indices { keyAndSalt[index] = 0 }
        guard status == srtp_err_status_ok, let created else {
            throw .library(status: Int32(status.rawValue), operation: "srtp_create")
        }
        self.session = created
    }

    deinit { srtp_dealloc(session) }

    /// Encrypts and authenticates the RTP packet in `buffer[0..<length]` in place, appending the
    /// tag. Returns the new length. `buffer` must have `profile.rtpTrailerLength` bytes to spare.
    public func protectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        if let protected = try gcmRTPProtector?.protect(buffer, length: length) { return protected }
        return try transform(buffer, length: length, trailer: profile.rtpTrailerLength, operation: .protectRTP)
    }

    /// Verifies and decrypts the SRTP packet in `buffer[0..<length]` in place. Returns the length
    /// of the plain RTP packet.
    public func unprotectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        try transform(buffer, length: length, trailer: 0, operation: .unprotectRTP)
    }

    /// Like `protectRTP`, for a (compound) RTCP packet; appends index and tag.
    public func protectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        try transform(buffer, length: length, trailer: profile.rtcpTrailerLength, operation: .protectRTCP)
    }

    /// Like `unprotectRTP`, for SRTCP.
    public func unprotectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        try transform(buffer, length: length, trailer: 0, operation: .unprotectRTCP)
    }

    private enum Operation {
        case protectRTP, unprotectRTP, protectRTCP, unprotectRTCP
    }

    private func transform(_ buffer: UnsafeMutableRawBufferPointer, length: Int, trailer: Int,
                           operation: Operation) throws(SRTPError) -> Int {
        guard length >= 0, length + trailer <= buffer.count, let base = buffer.baseAddress else {
            throw .bufferTooSmall(needed: max(length, 0) + trailer, available: buffer.count)
        }
        // libsrtp2 rejects RTP shorter than its 12-byte header and RTCP shorter than 8, but only
        // the protect paths check; guard the unprotect paths too.
        let minimum = (operation == .protectRTP || operation == .unprotectRTP) ? 12 : 8
        guard length >= minimum else { throw .malformedPacket }
        var inOutLength = Int32(length)
        let status: srtp_err_status_t
        switch operation {
        case .protectRTP: status = srtp_protect(session, base, &inOutLength)
        case .unprotectRTP: status = srtp_unprotect(session, base, &inOutLength)
        case .protectRTCP: status = srtp_protect_rtcp(session, base, &inOutLength)
        case .unprotectRTCP: status = srtp_unprotect_rtcp(session, base, &inOutLength)
        }
        switch status {
        case srtp_err_status_ok: return Int(inOutLength)
        case srtp_err_status_auth_fail: throw .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: throw .replayed
        case srtp_err_status_bad_param, srtp_err_status_parse_err: throw .malformedPacket
        default: throw .library(status: Int32(status.rawValue), operation: "\(operation)")
        }
    }
}

/// libsrtp2 needs one `srtp_init()` per process before any session is created.
enum SRTPLibrary {
    private static let initStatus: srtp_err_status_t = srtp_init()

    static func ensureInitialized() throws(SRTPError) {
        guard initStatus == srtp_err_status_ok else {
            throw .library(status: Int32(initStatus.rawValue), operation: "srtp_init")
        }
    }
}
