/// What the transport must do with a datagram after `ICELiteAgent.handleBindingRequest`.
public enum ICELiteOutcome: Sendable, Equatable {
    /// A success response of `length` bytes is in the response buffer; send it to the request's
    /// source. `selectedAddressChanged` is true when this request nominated a new address
    /// (first nomination, or a move after a network change).
    case respond(length: Int, selectedAddressChanged: Bool)
    /// An error response (400, 420 or 487) of `length` bytes is in the response buffer; send it
    /// to the request's source.
    case respondWithError(length: Int)
    /// Send nothing.
    case drop(ICEDropReason)
}

/// Why a datagram got no answer. Each case is worth counting separately in metrics.
public enum ICEDropReason: Sendable, Equatable {
    /// Not a well-formed STUN message (RFC 8489 §6.3: silently discarded).
    case malformed
    /// A STUN message, but not a Binding request (indications, responses, other methods).
    case notABindingRequest
    /// USERNAME is not "<local ufrag>:<remote ufrag>".
    case wrongUsername
    /// MESSAGE-INTEGRITY does not verify with the local password.
    case badMessageIntegrity
    /// FINGERPRINT does not match the message.
    case badFingerprint
    /// RFC 8445 §7.2.2: connectivity checks carry FINGERPRINT; this one does not.
    case missingFingerprint
    /// Reserved for agents that cannot answer before the peer's credentials are known.
    /// `ICELiteAgent` never produces it: RFC 8445 §7.3 lets it answer with its own password.
    case missingRemoteCredentials
    /// The caller's response buffer cannot hold the response.
    case responseBufferTooSmall
}

/// RFC 7675 §5.1: whether the peer still consents to receive media.
public enum ICEConsentState: Sendable, Equatable {
    case fresh
    case expired
}
