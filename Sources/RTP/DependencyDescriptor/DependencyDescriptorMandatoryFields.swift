/// The first three bytes of every dependency descriptor (AV1 RTP spec A.8.2
/// mandatory_descriptor_fields), readable without any structure — e.g. to track frame numbers
/// of a stream before its first structure has arrived.
public struct DependencyDescriptorMandatoryFields: Sendable, Equatable {
    public var isStartOfFrame: Bool
    public var isEndOfFrame: Bool
    public var templateID: UInt8
    public var frameNumber: UInt16
    /// The extension is longer than 3 bytes, so extended fields follow (A.8.2).
    public var hasExtendedFields: Bool

    public init(isStartOfFrame: Bool, isEndOfFrame: Bool, templateID: UInt8, frameNumber: UInt16, hasExtendedFields: Bool) {
        self.isStartOfFrame = isStartOfFrame
        self.isEndOfFrame = isEndOfFrame
        self.templateID = templateID
        self.frameNumber = frameNumber
        self.hasExtendedFields = hasExtendedFields
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(DependencyDescriptorError) -> DependencyDescriptorMandatoryFields {
        guard bytes.count >= 3 else { throw .truncated(neededBits: 24, availableBits: bytes.count * 8) }
        // A.8.2: S f(1), E f(1), frame_dependency_template_id f(6), frame_number f(16).
        let first = bytes[0]
        return DependencyDescriptorMandatoryFields(
            isStartOfFrame: first & 0x80 != 0, isEndOfFrame: first & 0x40 != 0, templateID: first & 0x3F,
            frameNumber: bytes.loadUnaligned(fromByteOffset: 1, as: UInt16.self).bigEndian,
            hasExtendedFields: bytes.count > 3)
    }

    public static func parse(_ bytes: [UInt8]) throws(DependencyDescriptorError) -> DependencyDescriptorMandatoryFields {
        try withCodecPayloadBytes(bytes) { (buffer) throws(DependencyDescriptorError) -> DependencyDescriptorMandatoryFields in
            try parse(buffer)
        }
    }
}
