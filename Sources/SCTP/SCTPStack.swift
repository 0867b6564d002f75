import CUsrsctp
import Synchronization

/// The process-wide usrsctp stack, run without its own threads.
///
/// usrsctp keeps global state, so it is started once for the first user and finished when the
/// last one releases it. `usrsctp_init_nothreads` means usrsctp starts no timer or receive
/// threads: packets are fed in by the owner of each association (SCTP over DTLS, AF_CONN
/// sockets) and timers run when `handleTimers` is called from an event loop, so a room can stay
/// single-threaded.
public final class SCTPStack: Sendable {
    public static let shared = SCTPStack()

    private let users = Mutex(0)

    private init() {}

    /// Starts usrsctp if this is the first user. Balance with `release()`.
    public func acquire() {
        users.withLock { count in
            if count == 0 {
                // Port 0: no UDP encapsulation; Parley carries SCTP inside DTLS only.
                usrsctp_init_nothreads(0, sctpConnOutput, nil)
                // Browsers do not negotiate ECN for data channels.
                usrsctp_sysctl_set_sctp_ecn_enable(0)
            }
            count += 1
        }
    }

    /// Finishes usrsctp when the last user releases it. Fails while any SCTP socket is still
    /// open, as usrsctp refuses to shut down then.
    public func release() throws(SCTPError) {
        try users.withLock { count throws(SCTPError) in
            guard count > 0 else { throw .notStarted }
            if count == 1 {
                guard usrsctp_finish() == 0 else { throw .socketsStillOpen }
            }
            count -= 1
        }
    }

    /// Whether usrsctp is running.
    public var isRunning: Bool { users.withLock { $0 > 0 } }

    /// Runs usrsctp's retransmission and heartbeat timers; call it from the event loop that owns
    /// the associations, every few tens of milliseconds.
    public func handleTimers(elapsedMilliseconds: UInt32) {
        usrsctp_handle_timers(elapsedMilliseconds)
    }
}

public enum SCTPError: Error, Equatable, Sendable {
    case notStarted
    case socketsStillOpen
    case socketCreationFailed(errno: Int32)
}

/// usrsctp's single output hook for AF_CONN sockets. Associations register their address as an
/// opaque pointer; until one does (data channels, a later step), nothing is sent.
private func sctpConnOutput(address: UnsafeMutableRawPointer?, buffer: UnsafeMutableRawPointer?,
                            length: Int, tos: UInt8, setDF: UInt8) -> Int32 {
    0
}
