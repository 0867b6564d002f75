import RTP
import Testing

private let writeCases: [RTPHeaderFields] = [
    RTPHeaderFields(payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0),
    RTPHeaderFields(marker: true, payloadType: 127, sequenceNumber: 65535, timestamp: .max, ssrc: .max),
    RTPHeaderFields(
        payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3,
        csrcs: Array(1...15)),
    RTPHeaderFields(
        payloadType: 96, sequenceNumber: 8010, timestamp: 90_000, ssrc: 0xA1B2_C3D4,
        extensions: [
            RTPHeaderExtensionItem(id: 2, value: [0x12, 0x34, 0x56]),
            RTPHeaderExtensionItem(id: 3, value: [0x01, 0xA5]),
            RTPHeaderExtensionItem(id: 14, value: Array(repeating: 0x61, count: 16)),
        ]),
    // Id above 14 forces the two-byte form.
    RTPHeaderFields(
        payloadType: 100, sequenceNumber: 5, timestamp: 6, ssrc: 7, csrcs: [0xCAFE],
        extensions: [RTPHeaderExtensionItem(id: 1, value: [9]), RTPHeaderExtensionItem(id: 15, value: [1, 2])]),
    // A 17-byte value forces the two-byte form.
    RTPHeaderFields(
        payloadType: 100, sequenceNumber: 5, timestamp: 6, ssrc: 7,
        extensions: [RTPHeaderExtensionItem(id: 4, value: Array(0..<17))]),
    // An empty value forces the two-byte form.
    RTPHeaderFields(
        payloadType: 100, sequenceNumber: 5, timestamp: 6, ssrc: 7,
        extensions: [RTPHeaderExtensionItem(id: 4, value: []), RTPHeaderExtensionItem(id: 255, value: Array(repeating: 7, count: 255))]),
]

@Test(arguments: writeCases)
func writtenHeaderParsesBackToTheSameFields(fields: RTPHeaderFields) throws {
    let payload: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF]
    let header = try fields.encoded()
    let packet = header + payload
    let parsed = try RTPHeader.parse(packet)
    #expect(parsed.marker == fields.marker)
    #expect(parsed.payloadType == fields.payloadType)
    #expect(parsed.sequenceNumber == fields.sequenceNumber)
    #expect(parsed.timestamp == fields.timestamp)
    #expect(parsed.ssrc == fields.ssrc)
    #expect(parsed.csrcCount == fields.csrcs.count)
    #expect(parsed.headerLength == header.count)
    #expect(parsed.headerLength % 4 == 0)
    #expect(Array(packet[parsed.payloadRange]) == payload)
    #expect(parsed.extensionForm == fields.extensionForm)
    try packet.withUnsafeBytes { bytes in
        for (index, csrc) in fields.csrcs.enumerated() {
            #expect(parsed.csrc(at: index, in: bytes) == csrc)
        }
        var found: [RTPHeaderExtensionItem] = []
        if var cursor = parsed.extensionElements {
            while let element = try cursor.next(in: bytes) {
                found.append(RTPHeaderExtensionItem(id: element.id, value: Array(packet[element.valueRange])))
            }
        }
        #expect(found == fields.extensions)
    }
}

@Test func extensionFormIsChosenByIDAndLength() {
    var fields = RTPHeaderFields(payloadType: 96, sequenceNumber: 0, timestamp: 0, ssrc: 0)
    #expect(fields.extensionForm == nil)
    fields.extensions = [RTPHeaderExtensionItem(id: 14, value: Array(repeating: 0, count: 16))]
    #expect(fields.extensionForm == .oneByte)
    fields.extensions.append(RTPHeaderExtensionItem(id: 15, value: [0]))
    #expect(fields.extensionForm == .twoByte(appBits: 0))
}

@Test func writesTheChromePacketHeaderByteForByte() throws {
    let fields = RTPHeaderFields(
        payloadType: 96, sequenceNumber: 0x1F4A, timestamp: 0x4B3C_2D1E, ssrc: 0xA1B2_C3D4,
        extensions: [
            try AbsoluteSendTimeExtension(rawValue: 0x12_3456).element(id: 2),
            try TransportWideSequenceNumberExtension(sequenceNumber: 0x01A5).element(id: 3),
            try MidExtension("0").element(id: 4),
            try RTPStreamIDExtension("h").element(id: 10),
        ])
    #expect(try fields.encoded() == Array(chromeVP8Packet.prefix(28)))
}

@Test func setsPaddingBitForCallerAppendedPadding() throws {
    let fields = RTPHeaderFields(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, hasPadding: true)
    let packet = try fields.encoded() + [0xAA, 0x00, 0x02]
    let parsed = try RTPHeader.parse(packet)
    #expect(parsed.hasPadding)
    #expect(parsed.payloadRange == 12..<13)
}

@Test func everyTooSmallBufferThrowsWithoutWritingPastIt() throws {
    let fields = writeCases[3]
    let length = try fields.encodedLength()
    for size in 0..<length {
        var buffer = [UInt8](repeating: 0x55, count: size)
        buffer.withUnsafeMutableBytes { bytes -> Void in
            #expect(throws: RTPHeaderWriteError.bufferTooSmall(needed: length, available: size)) {
                try fields.write(into: bytes)
            }
        }
    }
    var exact = [UInt8](repeating: 0x55, count: length + 3)
    let written = try exact.withUnsafeMutableBytes { bytes in try fields.write(into: bytes) }
    #expect(written == length)
    #expect(Array(exact.suffix(3)) == [0x55, 0x55, 0x55])
}

@Test func invalidFieldsThrow() {
    let base = RTPHeaderFields(payloadType: 96, sequenceNumber: 0, timestamp: 0, ssrc: 0)
    var fields = base
    fields.payloadType = 128
    #expect(throws: RTPHeaderWriteError.payloadTypeOutOfRange(128)) { try fields.encoded() }
    fields = base
    fields.csrcs = Array(repeating: 1, count: 16)
    #expect(throws: RTPHeaderWriteError.tooManyCSRCs(16)) { try fields.encoded() }
    fields = base
    fields.extensions = [RTPHeaderExtensionItem(id: 0, value: [1])]
    #expect(throws: RTPHeaderWriteError.invalidExtensionID(0)) { try fields.encoded() }
    fields.extensions = [RTPHeaderExtensionItem(id: 3, value: [1]), RTPHeaderExtensionItem(id: 3, value: [2])]
    #expect(throws: RTPHeaderWriteError.duplicateExtensionID(3)) { try fields.encoded() }
    fields.extensions = [RTPHeaderExtensionItem(id: 200, value: [1]), RTPHeaderExtensionItem(id: 200, value: [2])]
    #expect(throws: RTPHeaderWriteError.duplicateExtensionID(200)) { try fields.encoded() }
    fields.extensions = [RTPHeaderExtensionItem(id: 3, value: Array(repeating: 0, count: 256))]
    #expect(throws: RTPHeaderWriteError.extensionValueTooLong(id: 3, length: 256)) { try fields.encoded() }
}
