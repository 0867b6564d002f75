/// A short list of attribute types kept inline (no heap), for the unknown
/// comprehension-required attributes of a message and for reading UNKNOWN-ATTRIBUTES.
/// Holds at most `capacity`; `overflowed` says more were seen than fit.
public struct STUNAttributeTypeList: Sendable, RandomAccessCollection, Equatable {
    public static let capacity = 16

    private var storage: InlineArray<16, UInt16> = .init(repeating: 0)
    public private(set) var count: Int = 0
    /// True when an append was dropped because the list was full.
    public private(set) var overflowed = false

    public init() {}

    public init(_ types: some Sequence<STUNAttributeType>) {
        for type in types { append(type) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> STUNAttributeType {
        STUNAttributeType(rawValue: storage[position])
    }

    /// Appends unless full (then sets `overflowed`).
    public mutating func append(_ type: STUNAttributeType) {
        guard count < Self.capacity else {
            overflowed = true
            return
        }
        storage[count] = type.rawValue
        count += 1
    }

    /// Appends only if not already present.
    mutating func appendIfAbsent(_ type: STUNAttributeType) {
        for index in 0..<count where storage[index] == type.rawValue { return }
        append(type)
    }

    public static func == (lhs: STUNAttributeTypeList, rhs: STUNAttributeTypeList) -> Bool {
        guard lhs.count == rhs.count, lhs.overflowed == rhs.overflowed else { return false }
        for index in 0..<lhs.count where lhs.storage[index] != rhs.storage[index] { return false }
        return true
    }
}
