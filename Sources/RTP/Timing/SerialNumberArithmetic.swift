/// Serial-number comparison for wrapping RTP counters (RFC 1982 §3.2, as RFC 3550 §A.1 uses
/// for sequence numbers): `a` is newer than `b` when it is ahead by less than half the space.
///
/// RFC 1982 leaves a difference of exactly half the space undefined; here the numerically
/// larger value counts as newer so that `isNewer` is still antisymmetric.
public enum SerialNumberArithmetic {
    @inlinable
    public static func isNewer(_ a: UInt16, than b: UInt16) -> Bool {
        let forward = a &- b
        if forward == 0x8000 { return a > b }
        return forward != 0 && forward < 0x8000
    }

    @inlinable
    public static func isNewer(_ a: UInt32, than b: UInt32) -> Bool {
        let forward = a &- b
        if forward == 0x8000_0000 { return a > b }
        return forward != 0 && forward < 0x8000_0000
    }

    /// Signed steps from `from` to `to` the short way round, in -32768...32767
    /// (positive when `to` is newer).
    @inlinable
    public static func distance(from: UInt16, to: UInt16) -> Int {
        Int(Int16(bitPattern: to &- from))
    }

    /// Signed steps from `from` to `to` the short way round (positive when `to` is newer).
    @inlinable
    public static func distance(from: UInt32, to: UInt32) -> Int64 {
        Int64(Int32(bitPattern: to &- from))
    }

    /// The newer of two sequence numbers.
    @inlinable
    public static func latest(_ a: UInt16, _ b: UInt16) -> UInt16 { isNewer(a, than: b) ? a : b }
}
