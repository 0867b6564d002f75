import ICE
import Testing

@Test(arguments: [
    (UInt16(0x0001), STUNMessageClass.request), (0x0011, .indication), (0x0101, .successResponse), (0x0111, .errorResponse),
])
func bindingMessageTypesDecode(raw: UInt16, messageClass: STUNMessageClass) {
    let type = STUNMessageType(rawValue: raw)
    #expect(type.method == .binding)
    #expect(type.messageClass == messageClass)
    #expect(type.rawValue == raw)
}

@Test func everyMethodAndClassRoundTripsThroughTheWireType() {
    for method in UInt16(0)..<0x1000 {
        for messageClass in [STUNMessageClass.request, .indication, .successResponse, .errorResponse] {
            let type = STUNMessageType(method: STUNMethod(rawValue: method), messageClass: messageClass)
            #expect(type.rawValue & 0xC000 == 0)
            let decoded = STUNMessageType(rawValue: type.rawValue)
            if decoded != type { Issue.record("method \(method) class \(messageClass) became \(decoded)") }
        }
    }
    // RFC 8489 §5 example: method 0x003 (Allocate) request is 0x0003; TURN Data indication 0x0017.
    #expect(STUNMessageType(method: STUNMethod(rawValue: 0x003), messageClass: .request).rawValue == 0x0003)
    #expect(STUNMessageType(method: STUNMethod(rawValue: 0x007), messageClass: .indication).rawValue == 0x0017)
    #expect(STUNMessageType(method: STUNMethod(rawValue: 0xFFF), messageClass: .errorResponse).rawValue == 0x3FFF)
}

@Test func looksLikeSTUNFollowsRFC7983() {
    #expect(STUNMessage.looksLikeSTUN(RFC5769.sampleRequest))
    var dtls = RFC5769.sampleRequest
    dtls[0] = 22  // DTLS handshake record
    #expect(!STUNMessage.looksLikeSTUN(dtls))
    var rtp = RFC5769.sampleRequest
    rtp[0] = 0x80
    #expect(!STUNMessage.looksLikeSTUN(rtp))
    var four = RFC5769.sampleRequest
    four[0] = 4
    #expect(!STUNMessage.looksLikeSTUN(four))
    var three = RFC5769.sampleRequest
    three[0] = 3
    #expect(STUNMessage.looksLikeSTUN(three))
    var cookie = RFC5769.sampleRequest
    cookie[4] = 0x22
    #expect(!STUNMessage.looksLikeSTUN(cookie))
    #expect(!STUNMessage.looksLikeSTUN(Array(RFC5769.sampleRequest[0..<19])))
    #expect(!STUNMessage.looksLikeSTUN([]))
}

@Test(arguments: [
    ([UInt16](repeating: 0, count: 8), "::"),
    ([0, 0, 0, 0, 0, 0, 0, 1], "::1"),
    ([1, 0, 0, 0, 0, 0, 0, 0], "1::"),
    ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], "2001:db8::1"),
    ([1, 0, 0, 2, 0, 0, 0, 3], "1:0:0:2::3"),
    ([1, 0, 0, 2, 0, 0, 3, 4], "1::2:0:0:3:4"),
    ([1, 0, 2, 3, 4, 5, 6, 7], "1:0:2:3:4:5:6:7"),
    ([0xfe80, 0, 0, 0, 0xABCD, 0xEF01, 0x2345, 0x6789], "fe80::abcd:ef01:2345:6789"),
])
func ipv6TextFollowsRFC5952(groups: [UInt16], text: String) throws {
    let address = try #require(STUNTransportAddress(ipv6: groups, port: 443))
    #expect(address.addressString == text)
    #expect(address.description == "[\(text)]:443")
}

@Test func transactionIDBytesRoundTripAndRandomIDsDiffer() throws {
    let id = try #require(STUNTransactionID(bytes: RFC5769.transactionID))
    #expect(id.bytes == RFC5769.transactionID)
    #expect(id.word0 == 0xb7e7_a701)
    #expect(id.description == "b7e7a701bc34d686fa87dfae")
    #expect(STUNTransactionID(bytes: [1, 2, 3]) == nil)
    #expect(STUNTransactionID.random() != STUNTransactionID.random())
}
