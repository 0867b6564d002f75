/// Coordination of video orientation (3GPP TS 26.114 §7.4.5, "CVO"): one byte
/// `0 0 0 0 C F R1 R0` telling the receiver how to rotate/flip the decoded picture.
public struct VideoOrientationExtension: RTPHeaderExtensionValue, Hashable {
    public static let uri = "urn:3gpp:video-orientation"
    public static let length = 1

    /// C bit.
    public enum Camera: UInt8, Sendable, Hashable {
        case front = 0
        case back = 1
    }

    /// R1 R0: rotation in quarter turns.
    public enum Rotation: UInt8, Sendable, Hashable, CaseIterable {
        case degrees0 = 0
        case degrees90 = 1
        case degrees180 = 2
        case degrees270 = 3

        public var degrees: Int { Int(rawValue) * 90 }
    }

    public var camera: Camera
    /// F bit: horizontal flip.
    public var horizontalFlip: Bool
    public var rotation: Rotation

    public init(camera: Camera = .front, horizontalFlip: Bool = false, rotation: Rotation) {
        self.camera = camera
        self.horizontalFlip = horizontalFlip
        self.rotation = rotation
    }

    public var encodedLength: Int { Self.length }

    /// The upper four bits are reserved (zero in the 2-bit-rotation granularity) and ignored.
    public init(extensionValue value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) {
        try value.requireExtensionLength(Self.length)
        let byte = value.load(fromByteOffset: 0, as: UInt8.self)
        self.camera = byte & 0x08 != 0 ? .back : .front
        self.horizontalFlip = byte & 0x04 != 0
        self.rotation = Rotation(rawValue: byte & 0x03) ?? .degrees0
    }

    public func write(into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int {
        try value.requireExtensionSpace(Self.length)
        let byte = camera.rawValue << 3 | (horizontalFlip ? 0x04 : 0) | rotation.rawValue
        value.storeBytes(of: byte, toByteOffset: 0, as: UInt8.self)
        return Self.length
    }
}
