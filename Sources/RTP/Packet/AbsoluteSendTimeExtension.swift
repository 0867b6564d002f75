/// Sender's send time as 24-bit 6.18 fixed-point seconds, wrapping every 64 s
/// (webrtc abs-send-time; used by receive-side bandwidth estimation).
public struct AbsoluteSendTimeExtension: RTPHeaderExtensionValue, Hashable {
    public static let uri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    public static let length = 3
    /// Units per second: 18 fractional bits.
    public static let unitsPerSecond: Int64 = 1 << 18
    /// The value wraps after 64 seconds (6 integer bits).
    public static let wrapNanoseconds: Int64 = 64_000_000_000

    /// The 24-bit raw value.
    public let rawValue: UInt32

    /// Keeps the low 24 bits (the value is a wrapping clock).
    public init(rawValue: UInt32) { self.rawValue = rawValue & 0x00FF_FFFF }

    /// From a send time in nanoseconds (any epoch; only the position within 64 s matters),
    /// rounded to the nearest 2^-18 s.
    public init(nanoseconds: Int64) {
        var withinWrap = nanoseconds % Self.wrapNanoseconds
        if withinWrap < 0 { withinWrap += Self.wrapNanoseconds }
        // withinWrap < 6.4e10, times 2^18 < 1.7e16: fits Int64.
        let units = (withinWrap * Self.unitsPerSecond + 500_000_000) / 1_000_000_000
        self.init(rawValue: UInt32(truncatingIfNeeded: units))
    }

    /// From seconds, rounded to the nearest 2^-18 s, wrapping at 64 s.
    public init(seconds: Double) {
        guard seconds.isFinite else { self.init(rawValue: 0); return }
        var withinWrap = seconds.truncatingRemainder(dividingBy: 64)
        if withinWrap < 0 { withinWrap += 64 }
        let units = (withinWrap * Double(Self.unitsPerSecond)).rounded()
        self.init(rawValue: UInt32(units) & 0x00FF_FFFF)
    }

    /// Seconds within the 64 s wrap.
    public var seconds: Double { Double(rawValue) / Double(Self.unitsPerSecond) }

    public var encodedLength: Int { Self.length }

    public init(extensionValue value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError) {
        try value.requireExtensionLength(Self.length)
        let high = UInt32(value.load(fromByteOffset: 0, as: UInt8.self))
        let middle = UInt32(value.load(fromByteOffset: 1, as: UInt8.self))
        let low = UInt32(value.load(fromByteOffset: 2, as: UInt8.self))
        self.rawValue = high << 16 | middle << 8 | low
    }

    public func write(into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int {
        try value.requireExtensionSpace(Self.length)
        value.storeBytes(of: UInt8(truncatingIfNeeded: rawValue >> 16), toByteOffset: 0, as: UInt8.self)
        value.storeBytes(of: UInt8(truncatingIfNeeded: rawValue >> 8), toByteOffset: 1, as: UInt8.self)
        value.storeBytes(of: UInt8(truncatingIfNeeded: rawValue), toByteOffset: 2, as: UInt8.self)
        return Self.length
    }
}
