/// An ICE-lite agent (RFC 8445 §2.5, §7.3), always in the controlled role: it answers the
/// browser's connectivity checks and never sends its own. Pure logic: the transport passes in
/// datagrams, their source and the time, and sends whatever this writes into its buffer.
///
/// Not thread-safe; use it from one isolation domain (the connection's).
public final class ICELiteAgent {
    public private(set) var local: ICECredentials
    public private(set) var remote: ICECredentials?
    /// RFC 7675 §5.1: consent is lost after this long without a valid request from the
    /// selected address (30 s recommended).
    public let consentTimeout: Duration

    /// The address the controlling peer nominated (USE-CANDIDATE in a valid check). A later
    /// nomination from another address moves it: that is how a client's network change
    /// (Wi-Fi to cellular) reaches us, since a lite agent never checks pairs itself.
    public private(set) var selectedAddress: STUNTransportAddress?

    /// At most this many validated addresses are remembered; the oldest is forgotten first.
    public static let maximumValidatedAddresses = 16

    /// The local password as HMAC key bytes (RFC 8445 §7.2.2: the password itself, no SASLprep).
    private var localKey: [UInt8]
    /// Addresses that sent at least one authenticated check, oldest first.
    private var validatedAddresses: [STUNTransportAddress] = []
    /// Consent holds until this instant (RFC 7675 §5.1); before any nomination it runs from init.
    private var consentExpiry: ContinuousClock.Instant

    /// `now` defaults to the clock's current instant only so transport code can construct the
    /// agent without one; tests pass it to start the pre-nomination consent window exactly.
    public init(
        local: ICECredentials, remote: ICECredentials?, consentTimeout: Duration = .seconds(30),
        now: ContinuousClock.Instant = .now
    ) {
        self.local = local
        self.remote = remote
        self.consentTimeout = consentTimeout
        localKey = Array(local.password.utf8)
        consentExpiry = now.advanced(by: consentTimeout)
        validatedAddresses.reserveCapacity(Self.maximumValidatedAddresses)
    }

    /// The peer's credentials, which with trickle ICE may arrive (in the SDP answer) after its
    /// first checks; from then on the USERNAME's remote part must match.
    ///
    /// Before a pair is nominated, the consent window restarts here: an agent created long
    /// before its peer was told about it (a subscriber connection negotiated only when there is
    /// something to receive) gives the peer the full window from the moment it can check.
    public func setRemote(_ remote: ICECredentials, now: ContinuousClock.Instant = .now) {
        self.remote = remote
        if selectedAddress == nil { consentExpiry = now.advanced(by: consentTimeout) }
    }

    /// ICE restart (RFC 8445 §9): from now on checks must use `local` (and `remote`, once the
    /// peer's new credentials are known; nil accepts any remote part, as before an answer).
    ///
    /// The selected address stays selected, so media keeps flowing on the old pair until the
    /// peer nominates one with the new credentials (RFC 8445 §9: the restart does not disturb
    /// media). Addresses validated with the old password are forgotten, and consent restarts
    /// so the peer has the full window to reach us with the new credentials.
    public func restart(local: ICECredentials, remote: ICECredentials?, now: ContinuousClock.Instant = .now) {
        self.local = local
        self.remote = remote
        localKey = Array(local.password.utf8)
        validatedAddresses.removeAll(keepingCapacity: true)
        if let selectedAddress { validatedAddresses.append(selectedAddress) }
        consentExpiry = now.advanced(by: consentTimeout)
    }

    /// Answers one datagram that looks like STUN (RFC 7983 §7) received from `source`.
    ///
    /// Order of checks, RFC 8489 §6.3 and §9.1.3 with the ICE rules of RFC 8445 §7.3:
    /// 1. a parsable Binding request with a valid FINGERPRINT, else drop;
    /// 2. USERNAME and MESSAGE-INTEGRITY both present, else 400 (unsigned, RFC 8489 §9.1.3);
    /// 3. USERNAME is "<local ufrag>:<remote ufrag>" and MESSAGE-INTEGRITY verifies with the
    ///    local password, else drop (see below);
    /// 4. no unknown comprehension-required attribute, else 420 (RFC 8489 §6.3.1.1);
    /// 5. no ICE-CONTROLLED, else 487 (RFC 8445 §7.3.1.1);
    /// 6. success response with XOR-MAPPED-ADDRESS = `source`.
    ///
    /// Step 3 drops instead of answering 401 (RFC 8489 §9.1.3 allows either for ICE's
    /// short-term credentials): a 401 is unauthenticated, so answering would let anyone who can
    /// spoof a source address probe which ufrags exist on our port and use us as a reflector,
    /// and a legitimate peer gains nothing from it (it simply retransmits).
    public func handleBindingRequest(
        _ message: UnsafeRawBufferPointer, from source: STUNTransportAddress,
        now: ContinuousClock.Instant, response: UnsafeMutableRawBufferPointer
    ) -> ICELiteOutcome {
        let request: STUNMessage
        do {
            request = try STUNMessage(parsing: message)
        } catch {
            return .drop(.malformed)
        }
        guard request.type == .bindingRequest else { return .drop(.notABindingRequest) }
        // RFC 8445 §7.2.2: checks carry FINGERPRINT; it tells STUN apart from other traffic
        // on the shared port (RFC 8489 §7.3).
        guard request.fingerprintOffset != nil else { return .drop(.missingFingerprint) }
        guard request.verifyFingerprint(in: message) else { return .drop(.badFingerprint) }

        // RFC 8489 §9.1.3: a request without both USERNAME and MESSAGE-INTEGRITY gets 400,
        // without MESSAGE-INTEGRITY (there is no key to use).
        guard request.username != nil, request.messageIntegrityOffset != nil else {
            return error(400, "Bad Request", for: request, signed: false, into: response)
        }
        // RFC 8445 §7.3: USERNAME is "LFRAG:RFRAG" from our side. Before the remote
        // credentials are known any remote part is accepted: the check is keyed with our own
        // password, so it is still authenticated.
        guard let fragments = request.usernameFragments(in: message),
            STUNMessage.bytes(fragments.local, in: message, equal: local.usernameFragment),
            remote.map({ STUNMessage.bytes(fragments.remote, in: message, equal: $0.usernameFragment) })
                ?? !fragments.remote.isEmpty
        else { return .drop(.wrongUsername) }
        // RFC 8445 §7.2.2 / RFC 8489 §9.1.3: HMAC-SHA1 keyed with the local password.
        guard localKey.withUnsafeBytes({ request.verifyMessageIntegrity(key: $0, in: message) }) else {
            return .drop(.badMessageIntegrity)
        }

        // RFC 8489 §6.3.1.1: checked after authentication; the 420 is signed (§9.1.4).
        if !request.unknownComprehensionRequired.isEmpty {
            return error(
                420, "Unknown Attribute", unknownAttributes: request.unknownComprehensionRequired,
                for: request, signed: true, into: response)
        }
        // RFC 8445 §7.3.1.1: a peer that also believes it is controlled is in conflict with us.
        // A lite agent cannot take the controlling role (RFC 8445 §6.1.1), so whatever the
        // tie-breakers say, it answers 487 and the peer, being full, must switch to controlling.
        if request.iceControlled != nil {
            return error(487, "Role Conflict", for: request, signed: true, into: response)
        }

        // RFC 8445 §7.3.1.2: the success response mirrors the source transport address.
        let length: Int
        do {
            length = try STUNMessageBuilder.bindingSuccessResponse(
                into: response, transactionID: request.transactionID, mappedAddress: source, key: localKey)
        } catch {
            return .drop(.responseBufferTooSmall)
        }

        markValidated(source)
        var changed = false
        // RFC 8445 §7.3.1.5: USE-CANDIDATE from the controlling agent nominates the pair.
        if request.useCandidate, selectedAddress != source {
            selectedAddress = source
            changed = true
        }
        // RFC 7675 §5.1: every authenticated check on the selected pair renews consent.
        if source == selectedAddress {
            consentExpiry = now.advanced(by: consentTimeout)
        }
        return .respond(length: length, selectedAddressChanged: changed)
    }

    /// RFC 7675 §5.1: expired once `consentTimeout` has passed since the last valid request
    /// from the selected address (before any nomination: since init). The transport should
    /// stop sending media and tear the session down at the first `.expired`; a later check
    /// would renew it, but RFC 7675 §5.1 asks for an ICE restart instead.
    public func consentState(now: ContinuousClock.Instant) -> ICEConsentState {
        now < consentExpiry ? .fresh : .expired
    }

    /// Whether `address` has sent an authenticated check (RFC 8445 §7.3: it may receive media
    /// once the pair is selected; until then this is the address a server may trust).
    public func isValidated(_ address: STUNTransportAddress) -> Bool {
        validatedAddresses.contains(address)
    }

    /// The local ufrag a Binding request is addressed to: the part of USERNAME before the
    /// colon (RFC 8445 §7.2.2). Lets one UDP port serve many agents: the transport routes a
    /// datagram by this before any agent sees it. Nil for anything that is not a parsable STUN
    /// message with a "local:remote" USERNAME. Allocates only the returned String.
    public static func localUsernameFragment(of message: UnsafeRawBufferPointer) -> String? {
        guard STUNMessage.looksLikeSTUN(message),
            let parsed = try? STUNMessage(parsing: message),
            let fragments = parsed.usernameFragments(in: message),
            !fragments.local.isEmpty
        else { return nil }
        return STUNMessage.string(fragments.local, in: message)
    }

    /// Convenience for `[UInt8]` datagrams.
    public static func localUsernameFragment(of message: [UInt8]) -> String? {
        message.withUnsafeBytes { localUsernameFragment(of: $0) }
    }

    // MARK: Private

    private func markValidated(_ address: STUNTransportAddress) {
        guard !validatedAddresses.contains(address) else { return }
        if validatedAddresses.count >= Self.maximumValidatedAddresses {
            validatedAddresses.removeFirst()
        }
        validatedAddresses.append(address)
    }

    /// RFC 8489 §9.1.3/§9.1.4: 400 and 401 are unsigned, other errors carry
    /// MESSAGE-INTEGRITY with the credentials of the request.
    private func error(
        _ code: Int, _ reason: String, unknownAttributes: STUNAttributeTypeList = STUNAttributeTypeList(),
        for request: STUNMessage, signed: Bool, into response: UnsafeMutableRawBufferPointer
    ) -> ICELiteOutcome {
        do {
            let length = try STUNMessageBuilder.bindingErrorResponse(
                into: response, transactionID: request.transactionID, errorCode: code, reason: reason,
                unknownAttributes: unknownAttributes, key: signed ? localKey : nil)
            return .respondWithError(length: length)
        } catch {
            return .drop(.responseBufferTooSmall)
        }
    }
}
