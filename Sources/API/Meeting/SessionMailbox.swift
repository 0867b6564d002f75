import Foundation
import Signaling

/// What a participant's session reacts to, one at a time: its client's messages and what the
/// rest of the meeting tells it.
enum SessionInput: Sendable {
    /// A text frame from the client's socket.
    case client(Data)
    /// A message for the client, from the meeting.
    case deliver(ServerMessage)
    /// Another participant published a track this one may subscribe to.
    case trackAvailable(MeetingTrack)
    /// A track this participant may be receiving is gone (unpublished, or its owner left).
    case trackGone(sid: String)
    /// Subscription settings changed from outside (REST), as if the client had sent them.
    case applySubscription(SubscriptionUpdate)
    /// What the participant may do changed (REST).
    case permissionsChanged(ParticipantPermissions)
    /// The meeting ends this session: say why, then close.
    case end(SignalingLeaveReason)
    /// The server is stopping: say so and end (no resume on this server).
    case serverStopping
    /// The client is back on a new socket (`join` with a valid `resume`): continue on it.
    case resume(SessionSocket, JoinRequest, requestID: Int?)
    /// This socket closed (a session ignores the close of a socket it already left).
    case socketClosed(SessionSocket)
    /// Once a second: join timeout, liveness, the resume grace period.
    case tick
}

/// The way into a session's input queue; the meeting posts without waiting for the session.
struct SessionMailbox: Sendable {
    let continuation: AsyncStream<SessionInput>.Continuation

    /// False once the session has ended and takes nothing more.
    @discardableResult
    func post(_ input: SessionInput) -> Bool {
        if case .terminated = continuation.yield(input) { return false }
        return true
    }

    /// The session ended: later posts are refused (what is queued can still be read).
    func close() {
        continuation.finish()
    }

    static func make() -> (AsyncStream<SessionInput>, SessionMailbox) {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionInput.self, bufferingPolicy: .unbounded)
        return (stream, SessionMailbox(continuation: continuation))
    }
}

/// One signaling WebSocket as a session sees it. A session outlives its socket for the resume
/// grace period and may continue on another one, so it holds the socket, not the other way round.
final class SessionSocket: Sendable {
    /// Writes one text frame; false once the socket is gone.
    let write: @Sendable (Data) async -> Bool
    /// Closes the socket (normal closure); harmless when it is closed already.
    let close: @Sendable () async -> Void

    init(write: @escaping @Sendable (Data) async -> Bool, close: @escaping @Sendable () async -> Void) {
        self.write = write
        self.close = close
    }
}
