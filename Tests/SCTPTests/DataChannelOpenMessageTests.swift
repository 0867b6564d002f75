import SCTP
import Testing

@Suite struct DataChannelOpenMessageTests {
    /// RFC 8832 §5.1 layout written out by hand: partial reliable rexmit unordered, priority 256,
    /// 5 retransmissions, label "foo", protocol "json".
    static let openVector: [UInt8] = [
        0x03, 0x81, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x04,
        0x66, 0x6F, 0x6F, 0x6A, 0x73, 0x6F, 0x6E,
    ]

    @Test func parsesAHandWrittenOpen() throws {
        try Self.openVector.withUnsafeBytes { bytes in
            let open = try DataChannelOpenMessage(parsing: bytes)
            #expect(open.channelType == .partialReliableRexmitUnordered)
            #expect(!open.channelType.isOrdered)
            #expect(open.priority == 256)
            #expect(open.reliabilityParameter == 5)
            #expect(Array(bytes[open.labelRange]) == Array("foo".utf8))
            #expect(Array(bytes[open.protocolRange]) == Array("json".utf8))
            #expect(try DCEPMessageType.parse(bytes) == .open)
        }
    }

    @Test func buildsTheSameBytes() throws {
        let built = try DataChannelOpenMessage.build(channelType: .partialReliableRexmitUnordered,
                                                     priority: 256, reliabilityParameter: 5,
                                                     label: "foo", protocol: "json")
        #expect(built == Self.openVector)
    }

    @Test(arguments: DataChannelType.allCases)
    func roundTripsEveryChannelType(type: DataChannelType) throws {
        let built = try DataChannelOpenMessage.build(channelType: type, priority: 7,
                                                     reliabilityParameter: 0xDEAD_BEEF,
                                                     label: "chät", protocol: "")
        try built.withUnsafeBytes { bytes in
            let open = try DataChannelOpenMessage(parsing: bytes)
            #expect(open.channelType == type)
            #expect(open.priority == 7)
            #expect(open.reliabilityParameter == 0xDEAD_BEEF)
            #expect(String(decoding: bytes[open.labelRange], as: UTF8.self) == "chät")
            #expect(open.protocolRange.isEmpty)
            #expect(open.protocolRange.upperBound == bytes.count)
        }
    }

    private func parseOpen(_ bytes: [UInt8]) throws(DCEPError) -> DataChannelOpenMessage {
        try bytes.withUnsafeBytes { raw in Result { () throws(DCEPError) in try DataChannelOpenMessage(parsing: raw) } }.get()
    }

    private func parseType(_ bytes: [UInt8]) throws(DCEPError) -> DCEPMessageType {
        try bytes.withUnsafeBytes { raw in Result { () throws(DCEPError) in try DCEPMessageType.parse(raw) } }.get()
    }

    @Test func everyTruncationThrows() {
        for length in 0..<Self.openVector.count {
            #expect(throws: DCEPError.self) { try parseOpen(Array(Self.openVector[0..<length])) }
        }
    }

    @Test func unknownChannelAndMessageTypesAreRejected() {
        var badChannel = Self.openVector
        badChannel[1] = 0x03
        #expect(throws: DCEPError.unknownChannelType(0x03)) { try parseOpen(badChannel) }
        var badType = Self.openVector
        badType[0] = 0x01
        #expect(throws: DCEPError.unknownMessageType(0x01)) { try parseOpen(badType) }
        #expect(throws: DCEPError.unknownMessageType(0x01)) { try parseType(badType) }
        #expect(throws: DCEPError.truncated(needed: 1, available: 0)) { try parseType([]) }
    }

    @Test func ackIsTheSingleTypeByte() throws {
        #expect(DataChannelAckMessage.bytes == [0x02])
        #expect(try parseType(DataChannelAckMessage.bytes) == .ack)
    }

    @Test func buildIntoATooSmallBufferThrows() {
        var output = [UInt8](repeating: 0, count: 13)
        let label: [UInt8] = [1, 2], subprotocol: [UInt8] = []
        let result = label.withUnsafeBytes { labelBytes in
            subprotocol.withUnsafeBytes { protocolBytes in
                output.withUnsafeMutableBytes { buffer in
                    Result { () throws(DCEPError) in
                        try DataChannelOpenMessage.build(channelType: .reliable, priority: 0,
                                                         reliabilityParameter: 0, label: labelBytes,
                                                         protocol: protocolBytes, into: buffer)
                    }
                }
            }
        }
        #expect(throws: DCEPError.bufferTooSmall(needed: 14, available: 13)) { try result.get() }
    }
}
