/// Decode target indication (AV1 RTP spec Table A.1).
public enum DecodeTargetIndication: UInt8, Sendable, Equatable, CaseIterable {
    /// 0 '-': the frame is not in this decode target.
    case notPresent = 0
    /// 1 'D': in the decode target, no later frame of it depends on this one.
    case discardable = 1
    /// 2 'S': a switch point: decoding of this decode target can start here.
    case `switch` = 2
    /// 3 'R': required by later frames of the decode target.
    case required = 3
}

/// Up to 32 decode target indications, packed 2 bits each in one `UInt64` (no allocation).
public struct DecodeTargetIndications: Sendable, Equatable, RandomAccessCollection {
    /// A.8.3: dt_cnt_minus_one is 5 bits.
    public static let capacity = 32
    private var packed: UInt64 = 0
    public private(set) var count: Int = 0

    public init() {}

    public init(_ values: [DecodeTargetIndication]) {
        for value in values.prefix(Self.capacity) { append(value) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(index: Int) -> DecodeTargetIndication {
        let raw = UInt8(truncatingIfNeeded: packed >> UInt64(2 * index)) & 0x03
        return DecodeTargetIndication(rawValue: raw) ?? .notPresent
    }

    mutating func append(_ value: DecodeTargetIndication) {
        guard count < Self.capacity else { return }
        packed |= UInt64(value.rawValue) << UInt64(2 * count)
        count += 1
    }
}

/// A frame's dependencies as frame-number differences (fdiffs), stored inline.
public struct DependencyDescriptorFrameDiffs: Sendable, Equatable, RandomAccessCollection {
    /// The spec sets no limit; AV1 has 8 reference slots, so 16 leaves room for spatial
    /// references. More is rejected as hostile.
    public static let capacity = 16
    private var storage = InlineArray<16, UInt16>(repeating: 0)
    public private(set) var count: Int = 0

    public init() {}

    public init(_ values: [UInt16]) {
        for value in values.prefix(Self.capacity) { append(value) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(index: Int) -> UInt16 { storage[index] }

    mutating func append(_ value: UInt16) {
        guard count < Self.capacity else { return }
        storage[count] = value
        count += 1
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }
}

/// A frame's chain diffs (one per chain, at most one chain per decode target), stored inline.
public struct DependencyDescriptorChainDiffs: Sendable, Equatable, RandomAccessCollection {
    public static let capacity = 32
    private var storage = InlineArray<32, UInt8>(repeating: 0)
    public private(set) var count: Int = 0

    public init() {}

    public init(_ values: [UInt8]) {
        for value in values.prefix(Self.capacity) { append(value) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(index: Int) -> UInt8 { storage[index] }

    mutating func append(_ value: UInt8) {
        guard count < Self.capacity else { return }
        storage[count] = value
        count += 1
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }
}

/// Maximum render resolution of one spatial layer (A.8.3 render_resolutions).
public struct DependencyDescriptorResolution: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
