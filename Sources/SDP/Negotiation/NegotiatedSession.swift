/// The outcome of answering one accepted m-section: what the transport and router need.
public struct NegotiatedMedia: Sendable, Equatable {
    public let mid: String
    public let kind: SDPMediaKind
    /// The answer's direction, from the server's point of view.
    public let direction: SDPDirection
    /// Accepted media codecs (no `rtx` entries) in server preference order, with the offer's
    /// payload types and fmtp, the feedback both sides support, and `retransmissionPayloadType`
    /// set when the offer's RTX for it was accepted. Empty for the data channel.
    public let codecs: [SDPCodec]
    /// Accepted header extension URI → id as offered (RFC 8285 §6).
    public let headerExtensionIDs: [String: UInt8]
    /// RFC 8853: rids the server will receive, in offer order; empty without simulcast.
    public let receiveSimulcastRIDs: [String]
    /// SSRCs named by the offer's `a=ssrc` lines (media and RTX), in order of appearance.
    public let remoteSSRCs: [UInt32]
    /// The offer's `a=ssrc-group` lines (FID, SIM, ...).
    public let remoteSSRCGroups: [SDPSourceGroup]

    public init(mid: String, kind: SDPMediaKind, direction: SDPDirection, codecs: [SDPCodec],
                headerExtensionIDs: [String: UInt8], receiveSimulcastRIDs: [String], remoteSSRCs: [UInt32],
                remoteSSRCGroups: [SDPSourceGroup]) {
        self.mid = mid
        self.kind = kind
        self.direction = direction
        self.codecs = codecs
        self.headerExtensionIDs = headerExtensionIDs
        self.receiveSimulcastRIDs = receiveSimulcastRIDs
        self.remoteSSRCs = remoteSSRCs
        self.remoteSSRCGroups = remoteSSRCGroups
    }

    /// The server sends on this section.
    public var isSending: Bool { direction == .sendrecv || direction == .sendonly }
    /// The server receives on this section.
    public var isReceiving: Bool { direction == .sendrecv || direction == .recvonly }
}

/// RFC 8841: the remote end of the SCTP association carrying data channels.
public struct SDPDataChannelParameters: Sendable, Hashable {
    /// The offerer's `a=sctp-port`.
    public var sctpPort: Int
    /// The offerer's `a=max-message-size`: the largest message the server may send it
    /// (RFC 8841 §6.1: 65536 when absent, 0 meaning no limit).
    public var maxMessageSize: Int

    public init(sctpPort: Int, maxMessageSize: Int) {
        self.sctpPort = sctpPort
        self.maxMessageSize = maxMessageSize
    }
}

/// Why an offered m-section was answered with port 0.
public enum SDPRejectionReason: Sendable, Hashable {
    /// JSEP (RFC 8829 §5.1.2) profiles only: DTLS-SRTP with AVPF, or SCTP over DTLS.
    case unsupportedProtocol(String)
    case unsupportedMediaKind(String)
    /// None of the offered formats matches a server capability.
    case noCommonCodec
    /// The server runs one BUNDLE transport (RFC 8843); sections outside its group are rejected.
    case notBundled
    /// The offerer already disabled the section (port 0 without `a=bundle-only`).
    case disabledByOfferer
    /// A data channel section without `a=sctp-port` (RFC 8841 §5).
    case missingSCTPPort
}

/// An m-section the answer rejects, by its position in the offer.
public struct SDPRejectedMedia: Sendable, Hashable {
    public let sectionIndex: Int
    public let mid: String?
    public let reason: SDPRejectionReason

    public init(sectionIndex: Int, mid: String?, reason: SDPRejectionReason) {
        self.sectionIndex = sectionIndex
        self.mid = mid
        self.reason = reason
    }
}

/// Everything the answer settled, for the transport (ICE, DTLS, SCTP) and the router.
public struct NegotiatedSession: Sendable, Equatable {
    /// The answer's BUNDLE group; the first mid is the answerer BUNDLE-tag (RFC 8843 §7.3).
    public let bundleMids: [String]
    /// Accepted sections in offer order, data channel included.
    public let media: [NegotiatedMedia]
    public let rejectedMedia: [SDPRejectedMedia]
    /// The offerer's ICE credentials from the bundle-tag section (RFC 8843 §7.3.1).
    public let remoteICECredentials: SDPICECredentials
    /// RFC 8122 §5: the certificate digests the remote DTLS handshake must match.
    public let remoteFingerprints: [SDPFingerprint]
    /// The offer's setup role (RFC 8842 §5.2); `.active` when the offer names none (RFC 4145 §4).
    public let remoteSetup: SDPSetupRole
    /// The answer's setup role: `.passive` (DTLS server) unless the offer was `passive`.
    public let localSetup: SDPSetupRole
    public let dataChannel: SDPDataChannelParameters?

    public init(bundleMids: [String], media: [NegotiatedMedia], rejectedMedia: [SDPRejectedMedia],
                remoteICECredentials: SDPICECredentials, remoteFingerprints: [SDPFingerprint],
                remoteSetup: SDPSetupRole, localSetup: SDPSetupRole, dataChannel: SDPDataChannelParameters?) {
        self.bundleMids = bundleMids
        self.media = media
        self.rejectedMedia = rejectedMedia
        self.remoteICECredentials = remoteICECredentials
        self.remoteFingerprints = remoteFingerprints
        self.remoteSetup = remoteSetup
        self.localSetup = localSetup
        self.dataChannel = dataChannel
    }

    /// Shorthand for `remoteICECredentials`.
    public var remoteICE: SDPICECredentials { remoteICECredentials }

    public func media(mid: String) -> NegotiatedMedia? { media.first(where: { $0.mid == mid }) }
}

/// Why no answer could be made. Per-section problems (no common codec, unknown protocol) reject
/// only that section; these are the ones that leave nothing to answer.
public enum SDPNegotiationError: Error, Equatable, Sendable {
    /// The SFU requires BUNDLE (RFC 8843; RFC 8829 §4.1.1 `max-bundle`).
    case missingBundleGroup
    /// RFC 8829 §5.8: every m-section carries `a=mid`.
    case missingMid(sectionIndex: Int)
    case duplicateMid(String)
    /// RFC 8829 §4.1.3: the SFU requires RTP/RTCP multiplexing (`rtcp-mux-policy: require`).
    case missingRTCPMux(mid: String)
    /// RFC 8839 §5.4: no `a=ice-ufrag`/`a=ice-pwd` for the bundle transport.
    case missingICECredentials(mid: String)
    /// RFC 8122 §5 / RFC 8842: no `a=fingerprint` for the bundle transport.
    case missingFingerprint(mid: String)
    /// RFC 4145 §4 `holdconn`: the offerer does not want a connection yet.
    case unsupportedSetupRole(SDPSetupRole)
    /// Every m-section had to be rejected.
    case nothingAcceptable([SDPRejectedMedia])
}
