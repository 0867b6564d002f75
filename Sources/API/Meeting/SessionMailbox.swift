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
    /// The client's socket closed.
    case socketClosed
}

/// The way into a session's input queue; the meeting posts without waiting for the session.
struct SessionMailbox: Sendable {
    let continuation: AsyncStream<SessionInput>.Continuation

    func post(_ input: SessionInput) {
        continuation.yield(input)
    }

    static func make() -> (AsyncStream<SessionInput>, SessionMailbox) {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionInput.self, bufferingPolicy: .unbounded)
        return (stream, SessionMailbox(continuation: continuation))
    }
}
