/// What the browser's answer settled for one m-section of a subscriber offer.
public struct NegotiatedSubscriberMedia: Sendable, Equatable {
    public let mid: String
    public let kind: SDPMediaKind
    /// RFC 3264 §6: port 0 in the answer rejects the section.
    public let isAccepted: Bool
    /// The answer's direction, from the browser's point of view (`recvonly` or `inactive`).
    public let direction: SDPDirection
    /// The offered codec the answer kept, with the offer's payload type and fmtp, `feedback`
    /// narrowed to the `a=rtcp-fb` lines both sides wrote, and `retransmissionPayloadType`
    /// nil unless the answer kept RTX. Nil for the data channel and rejected sections.
    public let codec: SDPCodec?
    /// Header extension URI → id, those the answer kept (RFC 8285 §6: with the offered ids).
    public let headerExtensionIDs: [String: UInt8]

    public init(mid: String, kind: SDPMediaKind, isAccepted: Bool, direction: SDPDirection, codec: SDPCodec?,
                headerExtensionIDs: [String: UInt8]) {
        self.mid = mid
        self.kind = kind
        self.isAccepted = isAccepted
        self.direction = direction
        self.codec = codec
        self.headerExtensionIDs = headerExtensionIDs
    }

    /// The browser takes media on this section: the server may send.
    public var isReceiving: Bool { isAccepted && (direction == .recvonly || direction == .sendrecv) }
    /// The negotiated payload type to send with.
    public var payloadType: UInt8? { codec?.payloadType }
    /// The negotiated RTX payload type, if the browser kept RTX.
    public var retransmissionPayloadType: UInt8? { codec?.retransmissionPayloadType }

    /// Whether the answer kept an `a=rtcp-fb` type (and parameter) for the codec.
    public func acceptsFeedback(_ type: String, parameter: String? = nil) -> Bool {
        codec?.feedback.contains(where: { $0.type == type && $0.parameter == parameter }) ?? false
    }
}

/// Everything the browser's answer on the subscriber connection settled, for the transport
/// (ICE, DTLS, SCTP) and for the sender of each outgoing track.
public struct NegotiatedSubscriberSession: Sendable, Equatable {
    /// The answer's BUNDLE group.
    public let bundleMids: [String]
    /// Every offered section, in offer order, accepted or not.
    public let media: [NegotiatedSubscriberMedia]
    /// The browser's ICE credentials (RFC 8839 §5.4), from the BUNDLE-tag section.
    public let remoteICECredentials: SDPICECredentials
    /// RFC 8122 §5: the digests the browser's DTLS certificate must match.
    public let remoteFingerprints: [SDPFingerprint]
    /// RFC 8842 §5.3: the browser's role, `.active` or `.passive`.
    public let remoteSetup: SDPSetupRole
    /// The server's role: the other one (`.passive` = DTLS server when the browser is active).
    public let localSetup: SDPSetupRole
    /// Candidates in the answer (usually none: browsers trickle).
    public let remoteCandidates: [SDPCandidate]
    /// The browser's SCTP port and max message size, when it accepted the data channel.
    public let dataChannel: SDPDataChannelParameters?

    public init(bundleMids: [String], media: [NegotiatedSubscriberMedia], remoteICECredentials: SDPICECredentials,
                remoteFingerprints: [SDPFingerprint], remoteSetup: SDPSetupRole, localSetup: SDPSetupRole,
                remoteCandidates: [SDPCandidate], dataChannel: SDPDataChannelParameters?) {
        self.bundleMids = bundleMids
        self.media = media
        self.remoteICECredentials = remoteICECredentials
        self.remoteFingerprints = remoteFingerprints
        self.remoteSetup = remoteSetup
        self.localSetup = localSetup
        self.remoteCandidates = remoteCandidates
        self.dataChannel = dataChannel
    }

    public func media(mid: String) -> NegotiatedSubscriberMedia? { media.first(where: { $0.mid == mid }) }
}

/// An answer that does not fit the subscriber offer it answers.
public enum SDPSubscriberAnswerError: Error, Equatable, Sendable {
    /// RFC 3264 §6: the answer has exactly the offer's m-sections.
    case sectionCountMismatch(offered: Int, answered: Int)
    /// RFC 8829 §5.8 / RFC 8843: every answer section carries `a=mid`.
    case missingMid(sectionIndex: Int)
    /// The answer names a mid the offer does not have at that position.
    case unknownMid(String)
    /// RFC 3264 §6: the media kind of a section cannot change in the answer.
    case kindMismatch(mid: String)
    /// The server offered BUNDLE (RFC 8843 §7.3): an answer without it, or with a mid the
    /// offer did not bundle, or an accepted section left out of it, cannot share the transport.
    case missingBundleGroup
    case notBundled(mid: String)
    /// RFC 8839 §5.4: no `a=ice-ufrag`/`a=ice-pwd` for the bundle transport.
    case missingICECredentials(mid: String)
    /// RFC 8122 §5: no `a=fingerprint` for the bundle transport.
    case missingFingerprint(mid: String)
    /// RFC 8842 §5.3: an answer says `active` or `passive`; absent, `actpass` or `holdconn` is invalid.
    case missingSetupRole(mid: String)
    case invalidSetupRole(SDPSetupRole)
    /// RFC 3264 §6.1: a `sendonly` offer is answered `recvonly` or `inactive`, an `inactive`
    /// one only `inactive`.
    case invalidDirection(mid: String, SDPDirection)
    /// RFC 3264 §6.1: answer payload types are a subset of the offered ones.
    case unknownPayloadType(mid: String, payloadType: String)
    /// An accepted RTP section keeps none of the offered media formats.
    case noAcceptedCodec(mid: String)
    /// RFC 8285 §6: the answer may only keep offered extensions, with their offered ids.
    case unexpectedHeaderExtension(mid: String, id: UInt16, uri: String)
    /// RFC 8841 §5: an accepted data channel section needs `a=sctp-port`.
    case missingSCTPPort(mid: String)
}
