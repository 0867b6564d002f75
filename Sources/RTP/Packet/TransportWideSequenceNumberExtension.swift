/// Transport-wide sequence number shared by all streams of a transport, echoed in
/// transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2).
public struct TransportWideSequenceNumberExtension: RTPHeaderExtensionValue, Hashable {
    public static let uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    public static let length = 2

    public var sequenceNumber: UInt16

    public init(sequenceNumber: UInt16) { self.sequenceNumber = sequenceNumber }

    public var encodedLength: Int { Self.length }

    @inlinable
    public init(extensionValue value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) {
        try value.requireExtensionLength(Self.length)
        self.sequenceNumber = value.loadUnaligned(fromByteOffset: 0, as: UInt16.self).bigEndian
    }

    @inlinable
    public func write(into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int {
        try value.requireExtensionSpace(Self.length)
        value.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 0, as: UInt16.self)
        return Self.length
    }
}
