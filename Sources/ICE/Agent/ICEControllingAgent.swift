/// A full ICE agent in the controlling role (RFC 8445 §7.2, §8.1.1) that checks one
/// candidate pair: our client side of a session with an ICE-lite server (tests,
/// parley-bench). Pure logic: the caller sends what `makeBindingRequest` writes to the
/// server candidate, passes responses to `handleResponse`, and wakes at `nextCheckDeadline`.
///
/// Each check is its own STUN transaction with a fresh transaction ID (as browsers do); a
/// response to any of the last `maximumOutstandingRequests` unanswered checks is accepted.
///
/// Not thread-safe; use it from one isolation domain.
public final class ICEControllingAgent {
    public let local: ICECredentials
    public let remote: ICECredentials
    /// RFC 8445 §7.1.3: sent in ICE-CONTROLLING to resolve role conflicts.
    public let tieBreaker: UInt64
    /// RFC 8445 §7.1.1: the PRIORITY a peer-reflexive candidate learned from this check would
    /// get. Default: type preference 110 (prflx, §5.1.2.2), local preference 65535, component 1.
    public var priority: UInt32 = 110 << 24 | 65535 << 8 | (256 - 1)

    /// RFC 8489 §6.2.1: the first retransmission interval. ICE paces checks far faster than
    /// the 500 ms RTO default (RFC 8445 §14.3 allows it on a known path).
    public static let initialRetransmissionInterval: Duration = .milliseconds(100)
    /// Doubling stops here, so a lost path is retried at least this often.
    public static let maximumRetransmissionInterval: Duration = .milliseconds(1600)
    /// RFC 7675 §5.1: consent checks every 5 s, randomized over 4...6 s (±20 %) so many
    /// sessions do not synchronize.
    public static let consentCheckIntervals: ClosedRange<Duration> = .milliseconds(4000) ... .milliseconds(6000)
    /// Unanswered checks remembered for matching responses; the oldest is forgotten first.
    public static let maximumOutstandingRequests = 8

    /// A check whose USE-CANDIDATE request received an authenticated success response
    /// (RFC 8445 §8.1.1: the pair is nominated).
    public private(set) var isNominated = false
    /// When to send the next check: nil before the first one (send it now). Until the first
    /// success, the retransmission time (100 ms doubling up to 1.6 s); afterwards the next
    /// consent check, 4-6 s after the last one sent.
    public private(set) var nextCheckDeadline: ContinuousClock.Instant?
    /// The time of the last authenticated success response (RFC 7675 §5.1: consent is lost
    /// 30 s after it).
    public private(set) var lastSuccess: ContinuousClock.Instant?

    public enum ResponseOutcome: Sendable, Equatable {
        /// An authenticated success response; our address as the server saw it.
        case success(mappedAddress: STUNTransportAddress)
        /// An authenticated error response (e.g. 487 role conflict, 420 unknown attribute).
        case failure(errorCode: Int)
        /// Not a response to an outstanding check of ours, or not authentic: discard it
        /// (RFC 8489 §9.1.5, over UDP).
        case ignored
    }

    private struct OutstandingRequest {
        var transactionID: STUNTransactionID
        var nominates: Bool
    }

    private let remoteKey: [UInt8]
    private let username: String
    private var outstanding: [OutstandingRequest] = []
    private var retransmissionInterval = ICEControllingAgent.initialRetransmissionInterval

    public init(local: ICECredentials, remote: ICECredentials, tieBreaker: UInt64 = .random(in: .min ... .max)) {
        self.local = local
        self.remote = remote
        self.tieBreaker = tieBreaker
        remoteKey = Array(remote.password.utf8)
        // RFC 8445 §7.2.2: "RFRAG:LFRAG".
        username = remote.usernameFragment + ":" + local.usernameFragment
        outstanding.reserveCapacity(Self.maximumOutstandingRequests)
    }

    /// The largest request this agent writes, for sizing buffers.
    public var maximumRequestLength: Int {
        // Header, USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT.
        STUNMessage.headerLength + STUNMessageWriter.encodedSize(valueLength: username.utf8.count) + 8 + 12 + 4 + 24 + 8
    }

    /// Writes a connectivity check (RFC 8445 §7.1, §7.2.2): USERNAME "remote:local",
    /// PRIORITY, ICE-CONTROLLING, USE-CANDIDATE when `nominate` (aggressive or regular
    /// nomination is the caller's choice), MESSAGE-INTEGRITY keyed with the remote password,
    /// FINGERPRINT. Returns its length, or 0 if it does not fit (see `maximumRequestLength`).
    public func makeBindingRequest(nominate: Bool, now: ContinuousClock.Instant, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let transactionID = STUNTransactionID.random()
        let length: Int
        do {
            length = try STUNMessageBuilder.bindingRequest(
                into: buffer, transactionID: transactionID, username: username, key: remoteKey,
                priority: priority, role: .controlling(tieBreaker: tieBreaker), useCandidate: nominate)
        } catch {
            return 0
        }
        if outstanding.count >= Self.maximumOutstandingRequests { outstanding.removeFirst() }
        outstanding.append(OutstandingRequest(transactionID: transactionID, nominates: nominate))

        if lastSuccess == nil {
            // RFC 8489 §6.2.1: retransmit at RTO, doubling each time (capped here).
            nextCheckDeadline = now.advanced(by: retransmissionInterval)
            retransmissionInterval = min(retransmissionInterval * 2, Self.maximumRetransmissionInterval)
        } else {
            nextCheckDeadline = now.advanced(by: Self.randomConsentInterval())
        }
        return length
    }

    /// Matches a response to an outstanding check by transaction ID, then requires a valid
    /// FINGERPRINT and MESSAGE-INTEGRITY keyed with the remote password (RFC 8445 §7.2.5,
    /// RFC 8489 §9.1.5: over UDP an unauthenticated response is discarded as if never received,
    /// so an off-path attacker cannot fake a 487 or a mapped address).
    public func handleResponse(_ message: UnsafeRawBufferPointer, now: ContinuousClock.Instant) -> ResponseOutcome {
        guard let response = try? STUNMessage(parsing: message),
            response.type == .bindingSuccessResponse || response.type == .bindingErrorResponse,
            let index = outstanding.firstIndex(where: { $0.transactionID == response.transactionID }),
            response.verifyFingerprint(in: message),
            remoteKey.withUnsafeBytes({ response.verifyMessageIntegrity(key: $0, in: message) })
        else { return .ignored }

        if response.type == .bindingErrorResponse {
            // RFC 8489 §14.8: an error response without ERROR-CODE is malformed.
            guard let errorCode = response.errorCode else { return .ignored }
            outstanding.remove(at: index)
            return .failure(errorCode: errorCode.code)
        }
        guard let mapped = response.xorMappedAddress ?? response.mappedAddress else { return .ignored }
        let request = outstanding.remove(at: index)
        if request.nominates { isNominated = true }
        if lastSuccess == nil {
            // Connectivity established: from here on, checks are consent checks.
            nextCheckDeadline = now.advanced(by: Self.randomConsentInterval())
        }
        lastSuccess = now
        retransmissionInterval = Self.initialRetransmissionInterval
        return .success(mappedAddress: mapped)
    }

    /// Convenience for `[UInt8]` responses.
    public func handleResponse(_ message: [UInt8], now: ContinuousClock.Instant) -> ResponseOutcome {
        message.withUnsafeBytes { handleResponse($0, now: now) }
    }

    private static func randomConsentInterval() -> Duration {
        let range = consentCheckIntervals
        let lower = range.lowerBound.components
        let upper = range.upperBound.components
        // Millisecond resolution is plenty for a 4-6 s timer.
        let lowerMilliseconds = lower.seconds * 1000 + lower.attoseconds / 1_000_000_000_000_000
        let upperMilliseconds = upper.seconds * 1000 + upper.attoseconds / 1_000_000_000_000_000
        return .milliseconds(Int64.random(in: lowerMilliseconds ... upperMilliseconds))
    }
}
