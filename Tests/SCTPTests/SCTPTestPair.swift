import SCTP
import Testing

/// A received message copied out of the callback.
struct ReceivedSCTPMessage: Equatable {
    var streamID: UInt16
    var ppid: UInt32
    var bytes: [UInt8]
}

/// Packets one association emitted, waiting for the test to deliver them to the other.
final class PacketQueue {
    var packets: [[UInt8]] = []
}

/// Two associations in one process, wired back to back through queues that `pump` empties.
final class SCTPTestPair {
    let a: SCTPAssociation
    let b: SCTPAssociation
    let toB = PacketQueue()
    let toA = PacketQueue()
    var receivedByA: [ReceivedSCTPMessage] = []
    var receivedByB: [ReceivedSCTPMessage] = []
    var resetAtA: [[UInt16]] = []
    var resetAtB: [[UInt16]] = []
    var closedA = false
    var closedB = false

    init() throws {
        let toB = toB, toA = toA
        a = try SCTPAssociation { toB.packets.append(Array($0)) }
        b = try SCTPAssociation { toA.packets.append(Array($0)) }
        a.onMessage = { [unowned self] in receivedByA.append(.init(streamID: $0, ppid: $1, bytes: Array($2))) }
        b.onMessage = { [unowned self] in receivedByB.append(.init(streamID: $0, ppid: $1, bytes: Array($2))) }
        a.onStreamReset = { [unowned self] in resetAtA.append($0) }
        b.onStreamReset = { [unowned self] in resetAtB.append($0) }
        a.onClosed = { [unowned self] in closedA = true }
        b.onClosed = { [unowned self] in closedB = true }
    }

    /// Delivers queued packets both ways until `done` holds or nothing moves for a while,
    /// running the usrsctp timers between rounds. Returns whether `done` held.
    @discardableResult
    func pump(maxRounds: Int = 2000, until done: () -> Bool) -> Bool {
        var idleRounds = 0
        for _ in 0..<maxRounds {
            if done() { return true }
            let forB = toB.packets, forA = toA.packets
            toB.packets.removeAll()
            toA.packets.removeAll()
            for packet in forB { packet.withUnsafeBytes { b.receive($0) } }
            for packet in forA { packet.withUnsafeBytes { a.receive($0) } }
            if forA.isEmpty && forB.isEmpty {
                idleRounds += 1
                // Nothing in flight: let retransmission/SACK timers advance.
                SCTPStack.shared.handleTimers(elapsedMilliseconds: 20)
                a.poll()
                b.poll()
                if idleRounds > 500 { break }
            } else {
                idleRounds = 0
                SCTPStack.shared.handleTimers(elapsedMilliseconds: 1)
            }
        }
        return done()
    }

    func connect() throws {
        try a.start()
        try b.start()
        let connected = pump { a.state == .connected && b.state == .connected }
        try #require(connected)
    }

    func close() {
        a.close()
        b.close()
        toA.packets.removeAll()
        toB.packets.removeAll()
    }
}

/// Releases the stack; usrsctp may need a few timer ticks to free closed sockets first.
func releaseSCTPStack() throws {
    for _ in 0..<500 {
        do {
            try SCTPStack.shared.release()
            return
        } catch SCTPError.socketsStillOpen {
            SCTPStack.shared.handleTimers(elapsedMilliseconds: 100)
        }
    }
    try SCTPStack.shared.release()
}

/// usrsctp is process-global: every suite touching it nests here and runs one test at a time.
@Suite(.serialized) enum UsrsctpProcessTests {}
