import SCTP
import Synchronization
import Testing

/// A received message copied out of the callback.
struct ReceivedSCTPMessage: Equatable {
    var streamID: UInt16
    var ppid: UInt32
    var bytes: [UInt8]
}

/// Packets one association emitted, waiting for the test to deliver them to the other. Locked:
/// usrsctp's timers are process-wide, so a media worker in another suite may fire ours.
final class PacketQueue: Sendable {
    private let queued = Mutex<[[UInt8]]>([])

    func append(_ packet: UnsafeRawBufferPointer) {
        let copy = Array(packet)
        queued.withLock { $0.append(copy) }
    }

    func take() -> [[UInt8]] {
        queued.withLock { packets in
            defer { packets.removeAll() }
            return packets
        }
    }
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
        a = try SCTPAssociation { toB.append($0) }
        b = try SCTPAssociation { toA.append($0) }
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
            let forB = toB.take(), forA = toA.take()
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
        _ = toA.take()
        _ = toB.take()
    }
}

/// The SCTP suites run one test at a time: the tests pump usrsctp's global timers by hand.
@Suite(.serialized) enum UsrsctpProcessTests {}
