import Auth
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Signaling

/// `GET /v1/rtc?access_token=JWT`: the signaling WebSocket (docs/signaling.md).
///
/// The token is checked before the upgrade; a request that may not upgrade falls through to
/// the plain HTTP route, which answers with the JSON error (401 bad token, 403 no roomJoin).
struct SignalingRoutes: Sendable {
    static let path: RouterPath = "v1/rtc"

    let verifier: TokenVerifier
    let environment: ParticipantSession.Environment

    /// The upgrade, on the router that sees WebSocket requests.
    func registerUpgrade(on router: Router<ParleyRequestContext>) {
        let verifier = verifier, environment = environment
        router.ws(Self.path, shouldUpgrade: { request, _ in
            guard (try? await Self.verify(request, with: verifier)) != nil else { return .dontUpgrade }
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            guard let (token, room) = try? await Self.verify(context.request, with: verifier) else { return }
            let (inputs, mailbox) = SessionMailbox.make()
            let socket = SessionSocket(
                write: { data in (try? await outbound.write(.text(String(decoding: data, as: UTF8.self)))) != nil },
                close: { try? await outbound.close(.normalClosure, reason: nil) })
            let session = ParticipantSession(token: token, room: room, environment: environment, mailbox: mailbox,
                                             socket: socket)
            // Frames go to the session's queue as they arrive; the session handles them in order.
            let reader = Task {
                let maxBytes = environment.limits.maxMessageBytes
                do {
                    // Oversized messages reach the session, which answers `message_too_large`.
                    for try await message in inbound.messages(maxSize: maxBytes * 4) {
                        switch message {
                        case .text(let text): mailbox.post(.client(Data(text.utf8)))
                        case .binary(let buffer): mailbox.post(.client(Data(buffer: buffer)))
                        }
                    }
                } catch {
                    context.logger.debug("signaling socket failed", metadata: ["error": "\(error)"])
                }
                mailbox.post(.socketClosed(socket))
            }
            // Returns when the participant's session ends: after its socket closed, that can be
            // the end of the resume grace period, or much later when it resumed on another socket.
            // A stopping server ends the session at once instead of keeping it for a resume.
            await withGracefulShutdownHandler {
                await session.run(inputs)
            } onGracefulShutdown: {
                mailbox.post(.serverStopping)
            }
            reader.cancel()
            try? await outbound.close(.normalClosure, reason: nil)
        })
    }

    /// The plain route: explains why there was no upgrade.
    func registerFallback(on router: Router<ParleyRequestContext>) {
        let verifier = verifier
        router.get(Self.path) { request, _ -> Response in
            _ = try await Self.verify(request, with: verifier)
            throw APIError(status: .badRequest, code: "websocket_required",
                           message: "this endpoint only speaks WebSocket (send an Upgrade request)")
        }
    }

    /// The token from `access_token`, with the room it may join.
    static func verify(_ request: Request, with verifier: TokenVerifier) async throws -> (VerifiedToken, String) {
        // Browsers cannot set headers on a WebSocket, so the query; other clients may use the header.
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? $0.dropFirst(7) : nil }
        guard let raw = request.uri.queryParameters["access_token"].map(Substring.init) ?? bearer, !raw.isEmpty else {
            throw APIError(status: .unauthorized, code: "unauthorized",
                           message: "pass the join token as ?access_token= or Authorization: Bearer")
        }
        let token: VerifiedToken
        do {
            token = try await verifier.verify(String(raw))
        } catch {
            throw APIError(authError: error)
        }
        guard token.grants.roomJoin, let room = token.grants.room, !room.isEmpty else {
            throw APIError(status: .forbidden, code: "forbidden", message: "the token lacks the roomJoin grant for a room")
        }
        return (token, room)
    }
}
