/// Picture loss indication, PSFB FMT=1 (RFC 4585 §6.3.1): no FCI.
public struct RTCPPictureLossIndication: Sendable, Equatable {
    public static let format: UInt8 = 1
    public static let encodedSize = 12

    public let sources: RTCPFeedbackSources

    public init(parsing header: RTCPHeader, in bytes: UnsafeRawBufferPointer) throws(RTCPError) {
        sources = try RTCPFeedbackSources(
            parsing: header, type: RTCPFeedbackSources.payloadSpecificFeedbackType,
            format: Self.format, fciMinimum: 0, in: bytes)
    }

    public static func build(sources: RTCPFeedbackSources, into buffer: UnsafeMutableRawBufferPointer) throws(RTCPError) -> Int {
        try buffer.rtcpRequireCapacity(encodedSize)
        sources.write(type: RTCPFeedbackSources.payloadSpecificFeedbackType, format: format, packetLength: encodedSize, into: buffer)
        return encodedSize
    }

    public static func build(sources: RTCPFeedbackSources) throws(RTCPError) -> [UInt8] {
        try rtcpBuildArray(capacity: encodedSize) { buffer throws(RTCPError) in try build(sources: sources, into: buffer) }
    }
}
