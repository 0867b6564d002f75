/// The two SSRCs every RTPFB/PSFB packet starts with (RFC 4585 §6.1).
public struct RTCPFeedbackSources: Sendable, Equatable {
    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    static let size = 8
    static let transportLayerFeedbackType: UInt8 = 205
    static let payloadSpecificFeedbackType: UInt8 = 206

    /// Checks PT/FMT and that the payload holds the two SSRCs plus `fciMinimum` bytes.
    init(parsing header: RTCPHeader, type: UInt8, format: UInt8, fciMinimum: Int, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        try header.requireFeedback(type: type, format: format, in: bytes)
        try header.requirePayload(Self.size + fciMinimum)
        let start = header.payloadRange.lowerBound
        senderSSRC = bytes.rtcpUInt32(at: start)
        mediaSSRC = bytes.rtcpUInt32(at: start + 4)
    }

    /// Writes the common header and both SSRCs at the start of `buffer`.
    func write(type: UInt8, format: UInt8, packetLength: Int, into buffer: UnsafeMutableRawBufferPointer) {
        buffer.rtcpWriteHeader(countOrFormat: format, packetType: type, packetLength: packetLength)
        buffer.rtcpStore(senderSSRC, at: 4)
        buffer.rtcpStore(mediaSSRC, at: 8)
    }
}
