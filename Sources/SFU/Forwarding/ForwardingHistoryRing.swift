/// A fixed-size table of the most recent entries keyed by an extended (unwrapped) counter —
/// sequence numbers or picture ids — so a late or repeated packet can be mapped the way its
/// original was. Storage is allocated once in `init`; inserts and lookups never allocate.
///
/// A slot remembers the key it was written for, so a lookup of a key that has since been
/// overwritten by a newer one (more than `capacity` behind) finds nothing.
struct ForwardingHistoryRing<Value: Sendable>: Sendable {
    private var keys: [Int64]
    private var values: [Value]
    private let mask: Int

    /// `capacity` is rounded up to a power of two (at least 2).
    init(capacity: Int, filler: Value) {
        var size = 2
        while size < capacity { size <<= 1 }
        keys = [Int64](repeating: .min, count: size)
        values = [Value](repeating: filler, count: size)
        mask = size - 1
    }

    var capacity: Int { mask + 1 }

    /// Two's-complement masking is a true modulo for powers of two, also for negative keys.
    private func slot(_ key: Int64) -> Int { Int(truncatingIfNeeded: key) & mask }

    mutating func set(_ key: Int64, _ value: Value) {
        let index = slot(key)
        keys[index] = key
        values[index] = value
    }

    func value(for key: Int64) -> Value? {
        let index = slot(key)
        return keys[index] == key ? values[index] : nil
    }

    /// Forgets everything (e.g. on a switch to another source whose counters are unrelated).
    mutating func removeAll() {
        for index in keys.indices { keys[index] = .min }
    }
}
