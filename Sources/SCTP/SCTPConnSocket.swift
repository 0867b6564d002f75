import CUsrsctp
import Glibc

/// A usrsctp socket of the AF_CONN family: SCTP whose packets usrsctp hands to the
/// application (here, to DTLS) instead of to the kernel (RFC 8261 §3, SCTP over DTLS).
public final class SCTPConnSocket {
    /// `struct socket*`, owned.
    private let socket: OpaquePointer

    /// Opens a one-to-one style socket, starting the stack if needed.
    public init() throws(SCTPError) {
        SCTPStack.shared.start()
        guard let socket = usrsctp_socket(AF_CONN, Int32(SOCK_STREAM.rawValue), Int32(IPPROTO_SCTP),
                                          nil, nil, 0, nil) else {
            throw .socketCreationFailed(errno: errno)
        }
        self.socket = socket
    }

    deinit { usrsctp_close(socket) }
}
