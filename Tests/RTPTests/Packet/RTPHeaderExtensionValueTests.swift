import RTP
import Testing

@Test func absoluteSendTimeOfOneAndAHalfSecondsIs0x060000() throws {
    #expect(try AbsoluteSendTimeExtension(seconds: 1.5).encoded() == [0x06, 0x00, 0x00])
    #expect(try AbsoluteSendTimeExtension(nanoseconds: 1_500_000_000).encoded() == [0x06, 0x00, 0x00])
    #expect(try AbsoluteSendTimeExtension(extensionValue: [0x06, 0x00, 0x00]).seconds == 1.5)
}

@Test func absoluteSendTimeWrapsEverySixtyFourSeconds() {
    #expect(AbsoluteSendTimeExtension(nanoseconds: 65_500_000_000) == AbsoluteSendTimeExtension(seconds: 1.5))
    #expect(AbsoluteSendTimeExtension(nanoseconds: -62_500_000_000) == AbsoluteSendTimeExtension(seconds: 1.5))
    #expect(AbsoluteSendTimeExtension(seconds: 63.9999999).rawValue == 0)
    #expect(AbsoluteSendTimeExtension(rawValue: 0x1FF_FFFF).rawValue == 0xFF_FFFF)
    // One unit is 2^-18 s ≈ 3.815 µs; 3815 ns rounds to 1 unit, 1907 ns to 0.
    #expect(AbsoluteSendTimeExtension(nanoseconds: 3815).rawValue == 1)
    #expect(AbsoluteSendTimeExtension(nanoseconds: 1907).rawValue == 0)
}

@Test(arguments: [UInt32(0), 1, 0x06_0000, 0xFF_FFFF, 0x12_3456])
func absoluteSendTimeRoundTrips(raw: UInt32) throws {
    let value = AbsoluteSendTimeExtension(rawValue: raw)
    #expect(try AbsoluteSendTimeExtension(extensionValue: value.encoded()) == value)
}

@Test func transportWideSequenceNumberIsBigEndian16Bit() throws {
    #expect(try TransportWideSequenceNumberExtension(sequenceNumber: 0x01A5).encoded() == [0x01, 0xA5])
    #expect(try TransportWideSequenceNumberExtension(extensionValue: [0xFF, 0xFE]).sequenceNumber == 65534)
}

@Test func audioLevelEncodesVoiceBitAndLevel() throws {
    #expect(try AudioLevelExtension(level: 42, voiceActivity: true).encoded() == [0xAA])
    #expect(try AudioLevelExtension(level: 127, voiceActivity: false).encoded() == [0x7F])
    let loudSpeech = try AudioLevelExtension(extensionValue: [0x80])
    #expect(loudSpeech.voiceActivity && loudSpeech.level == 0)
    let silence = try AudioLevelExtension(extensionValue: [0x7F])
    #expect(!silence.voiceActivity && silence.level == 127 && silence.dBov == -127)
    #expect(AudioLevelExtension(level: 200, voiceActivity: false).level == 127)
}

@Test func videoOrientationPacksCameraFlipAndRotation() throws {
    #expect(try VideoOrientationExtension(rotation: .degrees90).encoded() == [0x01])
    #expect(try VideoOrientationExtension(camera: .back, horizontalFlip: true, rotation: .degrees270).encoded() == [0x0F])
    #expect(try VideoOrientationExtension(camera: .back, rotation: .degrees180).encoded() == [0x0A])
    let read = try VideoOrientationExtension(extensionValue: [0xF6])  // reserved high bits ignored
    #expect(read == VideoOrientationExtension(camera: .front, horizontalFlip: true, rotation: .degrees180))
    #expect(read.rotation.degrees == 180)
}

@Test(arguments: VideoOrientationExtension.Rotation.allCases, [false, true])
func videoOrientationRoundTrips(rotation: VideoOrientationExtension.Rotation, flip: Bool) throws {
    for camera in [VideoOrientationExtension.Camera.front, .back] {
        let value = VideoOrientationExtension(camera: camera, horizontalFlip: flip, rotation: rotation)
        #expect(try VideoOrientationExtension(extensionValue: value.encoded()) == value)
    }
}

@Test func playoutDelayPacksTwelveBitMinimumAndMaximum() throws {
    let delay = try PlayoutDelayExtension(minimum: 100, maximum: 400)
    #expect(try delay.encoded() == [0x06, 0x41, 0x90])
    #expect(delay.minimumMilliseconds == 1000 && delay.maximumMilliseconds == 4000)
    let read = try PlayoutDelayExtension(extensionValue: [0xFF, 0xF0, 0x01])
    #expect(read.minimum == 4095 && read.maximum == 1)
    #expect(throws: RTPHeaderExtensionError.valueOutOfRange) { try PlayoutDelayExtension(minimum: 4096, maximum: 0) }
    #expect(throws: RTPHeaderExtensionError.valueOutOfRange) { try PlayoutDelayExtension(minimum: 0, maximum: 4096) }
}

@Test func stringExtensionsRoundTrip() throws {
    #expect(try MidExtension("audio-0").encoded() == Array("audio-0".utf8))
    #expect(try MidExtension(extensionValue: Array("1".utf8)) == MidExtension("1"))
    #expect(try RTPStreamIDExtension(extensionValue: RTPStreamIDExtension("q").encoded()).value == "q")
    #expect(try RepairedRTPStreamIDExtension(extensionValue: RepairedRTPStreamIDExtension("hi_1").encoded()).value == "hi_1")
    let long = String(repeating: "x", count: 255)
    #expect(try MidExtension(extensionValue: MidExtension(long).encoded()).value == long)
}

@Test func stringExtensionsStopAtNulAndRejectBadContent() throws {
    #expect(try MidExtension(extensionValue: [0x61, 0x62, 0x00, 0x00]).value == "ab")
    #expect(throws: RTPHeaderExtensionError.emptyValue) { try MidExtension(extensionValue: [0x00]) }
    #expect(throws: RTPHeaderExtensionError.emptyValue) { try RTPStreamIDExtension(extensionValue: []) }
    #expect(throws: RTPHeaderExtensionError.invalidCharacter(0x20)) { try RTPStreamIDExtension(extensionValue: [0x61, 0x20]) }
    #expect(throws: RTPHeaderExtensionError.invalidCharacter(0xC3)) { try MidExtension("é").encoded() }
    #expect(throws: RTPHeaderExtensionError.emptyValue) { try MidExtension("").encoded() }
    #expect(throws: RTPHeaderExtensionError.valueTooLong(length: 256, maximum: 255)) {
        try MidExtension(String(repeating: "x", count: 256)).encoded()
    }
}

@Test func stringComparisonMatchesWholeValueOnly() {
    let bytes: [UInt8] = Array("mid1".utf8) + [0]
    bytes.withUnsafeBytes { value in
        #expect(MidExtension.value(value, equals: "mid1"))
        #expect(!MidExtension.value(value, equals: "mid"))
        #expect(!MidExtension.value(value, equals: "mid12"))
        #expect(RepairedRTPStreamIDExtension.value(value, equals: "mid1"))
    }
}

@Test func fixedLengthValuesRejectOtherLengths() {
    #expect(throws: RTPHeaderExtensionError.valueLengthMismatch(expected: 3, actual: 2)) {
        try AbsoluteSendTimeExtension(extensionValue: [1, 2])
    }
    #expect(throws: RTPHeaderExtensionError.valueLengthMismatch(expected: 2, actual: 3)) {
        try TransportWideSequenceNumberExtension(extensionValue: [1, 2, 3])
    }
    #expect(throws: RTPHeaderExtensionError.valueLengthMismatch(expected: 1, actual: 0)) {
        try AudioLevelExtension(extensionValue: [])
    }
    #expect(throws: RTPHeaderExtensionError.valueLengthMismatch(expected: 1, actual: 2)) {
        try VideoOrientationExtension(extensionValue: [0, 0])
    }
    #expect(throws: RTPHeaderExtensionError.valueLengthMismatch(expected: 3, actual: 4)) {
        try PlayoutDelayExtension(extensionValue: [0, 0, 0, 0])
    }
}

@Test func writingIntoTooSmallBufferThrows() {
    var buffer: [UInt8] = [0, 0]
    buffer.withUnsafeMutableBytes { bytes in
        #expect(throws: RTPHeaderExtensionError.bufferTooSmall(needed: 3, available: 2)) {
            try AbsoluteSendTimeExtension(seconds: 1).write(into: bytes)
        }
        #expect(throws: RTPHeaderExtensionError.bufferTooSmall(needed: 3, available: 2)) {
            try MidExtension("abc").write(into: bytes)
        }
    }
}

@Test func uriConstantsMatchTheirSpecifications() {
    #expect(MidExtension.uri == "urn:ietf:params:rtp-hdrext:sdes:mid")
    #expect(RTPStreamIDExtension.uri == "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id")
    #expect(RepairedRTPStreamIDExtension.uri == "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id")
    #expect(AbsoluteSendTimeExtension.uri == "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time")
    #expect(TransportWideSequenceNumberExtension.uri == "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01")
    #expect(AudioLevelExtension.uri == "urn:ietf:params:rtp-hdrext:ssrc-audio-level")
    #expect(VideoOrientationExtension.uri == "urn:3gpp:video-orientation")
    #expect(PlayoutDelayExtension.uri == "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay")
}
