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
    /// the associations, every 10-20 ms. Timers of *every* association fire here, so their `send`
    /// closures run on this thread: call it from the thread that drives the associations (or make
    /// the closures thread-safe). Afterwards call `poll()` on the associations to deliver events a
    /// timer produced (e.g. a lost association).
    public func handleTimers(elapsedMilliseconds: UInt32) {
        usrsctp_handle_timers(elapsedMilliseconds)
    }
}

public enum SCTPError: Error, Equatable, Sendable {
    case notStarted
    case socketsStillOpen
    case socketCreationFailed(errno: Int32)
    /// A usrsctp socket option could not be set (option name, errno).
    case socketOptionFailed(option: Int32, errno: Int32)
    case bindFailed(errno: Int32)
    case connectFailed(errno: Int32)
    /// The send buffer is full; pump packets/timers and retry.
    case wouldBlock
    case sendFailed(errno: Int32)
    case streamResetFailed(errno: Int32)
    /// The association was closed (or never connected) when the call was made.
    case associationClosed
}

/// usrsctp's single output hook for AF_CONN sockets. Each association registers an opaque
/// pointer to itself as its address; usrsctp hands that pointer back with every packet it wants
/// to send, and the registry maps it to the live association (or drops the packet if the
/// association is gone, e.g. an ABORT emitted while closing).
private func sctpConnOutput(address: UnsafeMutableRawPointer?, buffer: UnsafeMutableRawPointer?,
                            length: Int, tos: UInt8, setDF: UInt8) -> Int32 {
    guard let address, let buffer,
          let association = SCTPAssociationRegistry.shared.association(for: address) else { return 0 }
    association.emit(UnsafeRawBufferPointer(start: buffer, count: length))
    return 0
}
