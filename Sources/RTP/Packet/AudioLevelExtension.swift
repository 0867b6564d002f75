/// Client-to-mixer audio level (RFC 6464 §3): V bit for voice activity and the level in
/// -dBov, 0 (loudest) ... 127 (silence or quieter).
public struct AudioLevelExtension: RTPHeaderExtensionValue, Hashable {
    public static let uri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    public static let length = 1
    public static let maximumLevel: UInt8 = 127

    public var voiceActivity: Bool
    /// Level in -dBov (0...127).
    public private(set) var level: UInt8

    /// Levels above 127 are clamped to 127: RFC 6464 §3 uses 127 for anything at or below
    /// -127 dBov.
    public init(level: UInt8, voiceActivity: Bool) {
        self.level = min(level, Self.maximumLevel)
        self.voiceActivity = voiceActivity
    }

    /// Level in dBov (0 or negative).
    public var dBov: Int { -Int(level) }

    public var encodedLength: Int { Self.length }

    public init(extensionValue value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) {
        try value.requireExtensionLength(Self.length)
        // RFC 6464 §3: V is the most significant bit, the level the low 7 bits.
        let byte = value.load(fromByteOffset: 0, as: UInt8.self)
        self.voiceActivity = byte & 0x80 != 0
        self.level = byte & 0x7F
    }

    public func write(into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int {
        try value.requireExtensionSpace(Self.length)
        value.storeBytes(of: (voiceActivity ? 0x80 : 0) | level, toByteOffset: 0, as: UInt8.self)
        return Self.length
    }
}
