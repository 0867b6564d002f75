/// The VP9 scalability structure (SS, RFC 9628 §4.2.1): spatial layer resolutions and the
/// group-of-pictures description used in non-flexible mode. Sent on key frames, so this type
/// allocates arrays; counts are bounded by their field widths (≤ 8 spatial layers, ≤ 255
/// picture descriptions, ≤ 3 references each).
public struct VP9ScalabilityStructure: Sendable, Equatable {
    public struct Resolution: Sendable, Equatable {
        public var width: UInt16
        public var height: UInt16
        public init(width: UInt16, height: UInt16) {
            self.width = width
            self.height = height
        }
    }

    /// One entry of the picture group (N_G entries).
    public struct PictureDescription: Sendable, Equatable {
        public var temporalID: UInt8
        public var isSwitchingUpPoint: Bool
        public var referenceDiffs: VP9ReferenceDiffs
        public init(temporalID: UInt8, isSwitchingUpPoint: Bool, referenceDiffs: VP9ReferenceDiffs) {
            self.temporalID = temporalID
            self.isSwitchingUpPoint = isSwitchingUpPoint
            self.referenceDiffs = referenceDiffs
        }
    }

    /// N_S + 1.
    public var spatialLayerCount: Int
    /// Present when Y = 1; one per spatial layer.
    public var resolutions: [Resolution]?
    /// Present when G = 1.
    public var pictureGroup: [PictureDescription]?

    public init(spatialLayerCount: Int, resolutions: [Resolution]?, pictureGroup: [PictureDescription]?) {
        self.spatialLayerCount = spatialLayerCount
        self.resolutions = resolutions
        self.pictureGroup = pictureGroup
    }

    /// Decodes the SS found at `descriptor.scalabilityStructureRange` (or anywhere a caller
    /// knows an SS starts).
    public static func parse(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(VP9DescriptorError) -> VP9ScalabilityStructure {
        var resolutions: [Resolution]? = nil
        var group: [PictureDescription]? = nil
        let layers = try walk(bytes, from: start, onResolution: { resolutions = (resolutions ?? []) + [$0] },
                              onPicture: { group = (group ?? []) + [$0] }, onEmptyGroup: { group = [] }).layers
        return VP9ScalabilityStructure(spatialLayerCount: layers, resolutions: resolutions, pictureGroup: group)
    }

    /// Returns the offset just past the SS, checking lengths, without allocating.
    static func skip(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(VP9DescriptorError) -> Int {
        try walk(bytes, from: start, onResolution: nil, onPicture: nil, onEmptyGroup: nil).end
    }

    private static func walk(
        _ bytes: UnsafeRawBufferPointer, from start: Int,
        onResolution: ((Resolution) -> Void)?, onPicture: ((PictureDescription) -> Void)?,
        onEmptyGroup: (() -> Void)?
    ) throws(VP9DescriptorError) -> (end: Int, layers: Int) {
        var offset = start
        func need(_ count: Int) throws(VP9DescriptorError) {
            if offset < 0 || offset + count > bytes.count {
                throw .truncated(needed: offset + count, available: bytes.count)
            }
        }
        // §4.2.1: | N_S |Y|G|-|-|-|
        try need(1)
        let header = bytes[offset]
        offset += 1
        let layers = Int(header >> 5) + 1
        if header & 0x10 != 0 {
            // §4.2.1: Y → WIDTH (16) HEIGHT (16) per spatial layer.
            for _ in 0..<layers {
                try need(4)
                let width = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian
                let height = bytes.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self).bigEndian
                offset += 4
                onResolution?(Resolution(width: width, height: height))
            }
        }
        if header & 0x08 != 0 {
            // §4.2.1: G → N_G then N_G × (| TID |U| R |-|-| + R × P_DIFF).
            try need(1)
            let groupCount = Int(bytes[offset])
            offset += 1
            if groupCount == 0 { onEmptyGroup?() }
            for _ in 0..<groupCount {
                try need(1)
                let byte = bytes[offset]
                offset += 1
                let referenceCount = Int((byte >> 2) & 0x03)
                try need(referenceCount)
                var diffs = VP9ReferenceDiffs()
                for index in 0..<referenceCount { diffs.append(bytes[offset + index]) }
                offset += referenceCount
                onPicture?(PictureDescription(temporalID: byte >> 5, isSwitchingUpPoint: byte & 0x10 != 0, referenceDiffs: diffs))
            }
        }
        return (offset, layers)
    }
}
