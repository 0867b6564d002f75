import CUsrsctp
import Synchronization

/// The process-wide usrsctp stack, run without its own threads.
///
/// usrsctp keeps global state, so it is started once, by the first association, and runs for
/// the rest of the process (a media server has no reason to tear it down, and several owners on
/// different threads could not agree when to). `usrsctp_init_nothreads` means usrsctp starts no
/// timer or receive threads: packets are fed in by the owner of each association (SCTP over
/// DTLS, AF_CONN sockets) and timers run when an event loop calls `advanceTimers(to:)` or
/// `handleTimers(elapsedMilliseconds:)`, so a room stays single-threaded.
public final class SCTPStack: Sendable {
    public static let shared = SCTPStack()

    private let started = Mutex(false)
    private let timerClock = Mutex(SCTPTimerClock())

    private init() {}

    /// Starts usrsctp unless it is running already. Associations call this themselves.
    public func start() {
        started.withLock { started in
            guard !started else { return }
            // Port 0: no UDP encapsulation; Parley carries SCTP inside DTLS only.
            usrsctp_init_nothreads(0, sctpConnOutput, nil)
            // Browsers do not negotiate ECN for data channels.
            usrsctp_sysctl_set_sctp_ecn_enable(0)
            started = true
        }
    }

    /// Whether usrsctp is running.
    public var isRunning: Bool { started.withLock { $0 } }

    /// Runs usrsctp's retransmission, SACK and heartbeat timers for `elapsedMilliseconds`.
    /// Timers of *every* association fire here, so their `send` closures run on the calling
    /// thread: an association's owner must hand packets that arrive on another thread over to
    /// its own (see `SCTPAssociation`). Afterwards owners `poll()` their associations to deliver
    /// events a timer produced (e.g. a lost association). Does nothing before `start()`.
    public func handleTimers(elapsedMilliseconds: UInt32) {
        guard isRunning, elapsedMilliseconds > 0 else { return }
        usrsctp_handle_timers(elapsedMilliseconds)
    }

    /// Runs the timers for the time that passed since the last call, from whichever thread
    /// calls first: every media worker can call this on its tick without the timers running
    /// faster than the clock.
    public func advanceTimers(to now: ContinuousClock.Instant) {
        guard isRunning else { return }
        let elapsed = timerClock.withLock { $0.advance(to: now) }
        handleTimers(elapsedMilliseconds: elapsed)
    }
}

/// Turns instants from several callers into whole elapsed milliseconds, each counted once.
public struct SCTPTimerClock: Sendable {
    private var last: ContinuousClock.Instant?
    /// A caller that was away longer (a stalled loop) does not replay more than this at once.
    public static let maximumStep: UInt32 = 1000

    public init() {}

    /// Milliseconds since the time already accounted for; 0 on the first call, and for an
    /// instant that is not later (another thread got there first).
    public mutating func advance(to now: ContinuousClock.Instant) -> UInt32 {
        guard let last else {
            self.last = now
            return 0
        }
        let milliseconds = (now - last) / .milliseconds(1)
        guard milliseconds >= 1 else { return 0 }
        self.last = last + .milliseconds(Int64(milliseconds))
        return UInt32(min(milliseconds, Double(Self.maximumStep)))
    }
}

public enum SCTPError: Error, Equatable, Sendable {
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
