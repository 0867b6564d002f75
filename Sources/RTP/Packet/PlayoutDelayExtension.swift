/// Sender's requested playout delay bounds (webrtc playout-delay): two 12-bit values,
/// minimum then maximum, in units of 10 ms (0 ... 40.95 s).
public struct PlayoutDelayExtension: RTPHeaderExtensionValue, Hashable {
    public static let uri = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"
    public static let length = 3
    public static let millisecondsPerUnit = 10
    public static let maximumUnits: UInt16 = 0x0FFF

    /// Minimum delay in 10 ms units.
    public let minimum: UInt16
    /// Maximum delay in 10 ms units.
    public let maximum: UInt16

    /// Throws `.valueOutOfRange` when either value exceeds 12 bits.
    public init(minimum: UInt16, maximum: UInt16) throws(RTPHeaderExtensionError) {
        guard minimum <= Self.maximumUnits, maximum <= Self.maximumUnits else { throw .valueOutOfRange }
        self.minimum = minimum
        self.maximum = maximum
    }

    public var minimumMilliseconds: Int { Int(minimum) * Self.millisecondsPerUnit }
    public var maximumMilliseconds: Int { Int(maximum) * Self.millisecondsPerUnit }

    public var encodedLength: Int { Self.length }

    public init(extensionValue value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) {
        try value.requireExtensionLength(Self.length)
        let first = UInt16(value.load(fromByteOffset: 0, as: UInt8.self))
        let second = UInt16(value.load(fromByteOffset: 1, as: UInt8.self))
        let third = UInt16(value.load(fromByteOffset: 2, as: UInt8.self))
        self.minimum = first << 4 | second >> 4
        self.maximum = (second & 0x0F) << 8 | third
    }

    public func write(into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int {
        try value.requireExtensionSpace(Self.length)
        value.storeBytes(of: UInt8(truncatingIfNeeded: minimum >> 4), toByteOffset: 0, as: UInt8.self)
        value.storeBytes(of: UInt8(truncatingIfNeeded: (minimum & 0x0F) << 4 | maximum >> 8), toByteOffset: 1, as: UInt8.self)
        value.storeBytes(of: UInt8(truncatingIfNeeded: maximum), toByteOffset: 2, as: UInt8.self)
        return Self.length
    }
}
