import SCTP
import Testing

extension UsrsctpProcessTests {
    @Suite struct SCTPAssociationTests {
        /// Connects a pair, runs `body`, closes it.
        private func withConnectedPair(_ body: (SCTPTestPair) throws -> Void) throws {
            do {
                let pair = try SCTPTestPair()
                defer { pair.close() }
                try pair.connect()
                try body(pair)
            }
        }

        @Test func simultaneousOpenConnectsBothSides() throws {
            try withConnectedPair { pair in
                #expect(pair.a.state == .connected)
                #expect(pair.b.state == .connected)
            }
        }

        @Test func sendBeforeConnectingThrows() throws {
            do {
                let association = try SCTPAssociation { _ in }
                #expect(throws: SCTPError.associationClosed) {
                    try [UInt8](repeating: 1, count: 4).withUnsafeBytes {
                        try association.send(message: $0, streamID: 0, ppid: 51, ordered: true,
                                             maxRetransmits: nil)
                    }
                }
                association.close()
            }
        }

        @Test(arguments: [1, 2, 100, 1200, 5000, 65_536, 100_000, 262_144])
        func messagesOfEverySizeArriveIntactBothWays(size: Int) throws {
            try withConnectedPair { pair in
                for ordered in [true, false] {
                    let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ size) }
                    let stream: UInt16 = ordered ? 3 : 1000
                    try payload.withUnsafeBytes {
                        try pair.a.send(message: $0, streamID: stream, ppid: 53, ordered: ordered,
                                        maxRetransmits: nil)
                        try pair.b.send(message: $0, streamID: stream + 1, ppid: 51, ordered: ordered,
                                        maxRetransmits: ordered ? nil : 3)
                    }
                    let arrived = pair.pump {
                        !pair.receivedByB.isEmpty && !pair.receivedByA.isEmpty
                    }
                    try #require(arrived)
                    #expect(pair.receivedByB == [.init(streamID: stream, ppid: 53, bytes: payload)])
                    #expect(pair.receivedByA == [.init(streamID: stream + 1, ppid: 51, bytes: payload)])
                    pair.receivedByA.removeAll()
                    pair.receivedByB.removeAll()
                }
            }
        }

        @Test func manyMessagesOnOneOrderedStreamKeepTheirOrder() throws {
            try withConnectedPair { pair in
                for index in 0..<200 {
                    try [UInt8(index), UInt8(index >> 8)].withUnsafeBytes {
                        try pair.a.send(message: $0, streamID: 2, ppid: 53, ordered: true,
                                        maxRetransmits: nil)
                    }
                }
                try #require(pair.pump { pair.receivedByB.count == 200 })
                #expect(pair.receivedByB.map(\.bytes) == (0..<200).map { [UInt8($0), UInt8($0 >> 8)] })
            }
        }

        @Test func streamResetReachesThePeer() throws {
            try withConnectedPair { pair in
                // A stream has to have carried data for its reset to be meaningful to usrsctp.
                try [UInt8(1)].withUnsafeBytes {
                    try pair.a.send(message: $0, streamID: 6, ppid: 53, ordered: true, maxRetransmits: nil)
                }
                try #require(pair.pump { pair.receivedByB.count == 1 })
                try pair.a.resetStreams([6])
                try #require(pair.pump { !pair.resetAtB.isEmpty })
                #expect(pair.resetAtB == [[6]])
            }
        }

        @Test func oversizedMessagesAreDroppedAndLaterOnesStillArrive() throws {
            try withConnectedPair { pair in
                pair.b.maxReceivedMessageSize = 100_000
                let big = [UInt8](repeating: 0xAB, count: 200_000)
                try big.withUnsafeBytes {
                    try pair.a.send(message: $0, streamID: 1, ppid: 53, ordered: true, maxRetransmits: nil)
                }
                try [UInt8(7)].withUnsafeBytes {
                    try pair.a.send(message: $0, streamID: 1, ppid: 53, ordered: true, maxRetransmits: nil)
                }
                try #require(pair.pump { pair.receivedByB.count == 1 })
                #expect(pair.b.droppedOversizedMessages == 1)
                #expect(pair.receivedByB == [.init(streamID: 1, ppid: 53, bytes: [7])])

                // Over the limit but read in one piece (no partial delivery): dropped as well.
                pair.b.maxReceivedMessageSize = 1_000
                try [UInt8](repeating: 1, count: 2_000).withUnsafeBytes {
                    try pair.a.send(message: $0, streamID: 1, ppid: 53, ordered: true, maxRetransmits: nil)
                }
                try [UInt8(8)].withUnsafeBytes {
                    try pair.a.send(message: $0, streamID: 1, ppid: 53, ordered: true, maxRetransmits: nil)
                }
                try #require(pair.pump { pair.receivedByB.count == 2 })
                #expect(pair.b.droppedOversizedMessages == 2)
                #expect(pair.receivedByB.last?.bytes == [8])
            }
        }

        @Test func aFullSendBufferSaysWouldBlockUntilPumped() throws {
            try withConnectedPair { pair in
                let chunk = [UInt8](repeating: 1, count: 262_144)
                var accepted = 0
                var blocked = false
                for _ in 0..<32 where !blocked {
                    do {
                        try chunk.withUnsafeBytes {
                            try pair.a.send(message: $0, streamID: 4, ppid: 53, ordered: true, maxRetransmits: nil)
                        }
                        accepted += 1
                    } catch SCTPError.wouldBlock {
                        blocked = true
                    }
                }
                #expect(blocked)
                try #require(pair.pump { pair.receivedByB.count == accepted })
                try chunk.withUnsafeBytes {
                    try pair.a.send(message: $0, streamID: 4, ppid: 53, ordered: true, maxRetransmits: nil)
                }
                try #require(pair.pump { pair.receivedByB.count == accepted + 1 })
                #expect(pair.receivedByB.allSatisfy { $0.bytes == chunk })
            }
        }

        @Test func closeAbortsThePeer() throws {
            do {
                let pair = try SCTPTestPair()
                try pair.connect()
                pair.a.close()
                #expect(pair.closedA)
                #expect(pair.a.state == .closed)
                try #require(pair.pump { pair.closedB })
                #expect(pair.b.state == .closed)
                pair.close()
            }
        }
    }
}
