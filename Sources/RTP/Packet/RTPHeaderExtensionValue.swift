/// A typed RFC 8285 extension value, negotiated in SDP by `uri` (RFC 8285 §5).
///
/// `init(extensionValue:)` receives exactly the value bytes of one element (e.g.
/// `UnsafeRawBufferPointer(rebasing: packet[element.valueRange])`).
public protocol RTPHeaderExtensionValue: Sendable {
    /// The extmap URI that names this extension in SDP.
    static var uri: String { get }
    /// Number of value bytes `write(into:)` produces.
    var encodedLength: Int { get }
    init(extensionValue value: UnsafeRawBufferPointer) throws(RTPHeaderExtensionError)
    /// Writes the value at the start of `value`, returning bytes written.
    func write(into value: UnsafeMutableRawBufferPointer) throws(RTPHeaderExtensionError) -> Int
}

extension RTPHeaderExtensionValue {
    /// Reads the value from `range` of a packet buffer.
    public init(from bytes: UnsafeRawBufferPointer, range: Range<Int>) throws(RTPHeaderExtensionError) {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
            throw .elementsOutsideBuffer(end: range.upperBound, bufferCount: bytes.count)
        }
        try self.init(extensionValue: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// Convenience for tests and slow paths.
    public init(extensionValue bytes: [UInt8]) throws(RTPHeaderExtensionError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(RTPHeaderExtensionError) -> Self in try Self(extensionValue: raw) }
        }
        self = try result.get()
    }

    /// The encoded value bytes (allocates; for building headers).
    public func encoded() throws(RTPHeaderExtensionError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: encodedLength)
        let result = bytes.withUnsafeMutableBytes { raw in
            Result { () throws(RTPHeaderExtensionError) -> Int in try write(into: raw) }
        }
        _ = try result.get()
        return bytes
    }

    /// An element with this value for `RTPHeaderFields.extensions`.
    public func element(id: UInt8) throws(RTPHeaderExtensionError) -> RTPHeaderExtensionItem {
        RTPHeaderExtensionItem(id: id, value: try encoded())
    }
}

extension UnsafeRawBufferPointer {
    @usableFromInline
    func requireExtensionLength(_ expected: Int) throws(RTPHeaderExtensionError) {
        guard count == expected else { throw .valueLengthMismatch(expected: expected, actual: count) }
    }
}

extension UnsafeMutableRawBufferPointer {
    @usableFromInline
    func requireExtensionSpace(_ needed: Int) throws(RTPHeaderExtensionError) {
        guard count >= needed else { throw .bufferTooSmall(needed: needed, available: count) }
    }
}
