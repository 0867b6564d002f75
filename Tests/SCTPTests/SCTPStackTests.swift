import SCTP
import Testing

// usrsctp is process-global: these run one after another, and after no other SCTP suite.
extension UsrsctpProcessTests {
@Suite struct SCTPStackTests {
    @Test func startsWithoutThreadsOpensAConnSocketAndFinishes() throws {
        #expect(!SCTPStack.shared.isRunning)
        SCTPStack.shared.acquire()
        #expect(SCTPStack.shared.isRunning)
        do {
            let socket = try SCTPConnSocket()
            // usrsctp refuses to finish while a socket is open.
            #expect(throws: SCTPError.socketsStillOpen) { try SCTPStack.shared.release() }
            withExtendedLifetime(socket) {}
        }
        SCTPStack.shared.handleTimers(elapsedMilliseconds: 10)
        try SCTPStack.shared.release()
        #expect(!SCTPStack.shared.isRunning)
    }

    @Test func socketNeedsAStartedStack() {
        #expect(throws: SCTPError.notStarted) { try SCTPConnSocket() }
        #expect(throws: SCTPError.notStarted) { try SCTPStack.shared.release() }
    }
}
}
