/// The template dependency structure (AV1 RTP spec A.8.3 template_dependency_structure).
/// Sent rarely (key frames); the SFU keeps the latest one per publication to interpret later
/// descriptors. Parsing it allocates arrays, each bounded by the caps below.
public struct DependencyStructure: Sendable, Equatable {
    /// Template ids are 6 bits.
    public static let maximumTemplates = 64
    /// dt_cnt_minus_one is 5 bits.
    public static let maximumDecodeTargets = 32
    /// AV1 spatial_id is 2 bits, temporal_id 3 bits.
    public static let maximumSpatialID: UInt8 = 3
    public static let maximumTemporalID: UInt8 = 7

    public struct Template: Sendable, Equatable {
        public var spatialID: UInt8
        public var temporalID: UInt8
        public var decodeTargetIndications: DecodeTargetIndications
        public var frameDiffs: DependencyDescriptorFrameDiffs
        public var chainDiffs: DependencyDescriptorChainDiffs
        public init(spatialID: UInt8, temporalID: UInt8, decodeTargetIndications: DecodeTargetIndications,
                    frameDiffs: DependencyDescriptorFrameDiffs, chainDiffs: DependencyDescriptorChainDiffs) {
            self.spatialID = spatialID
            self.temporalID = temporalID
            self.decodeTargetIndications = decodeTargetIndications
            self.frameDiffs = frameDiffs
            self.chainDiffs = chainDiffs
        }
    }

    /// The highest layer a decode target contains (A.8.3.5 decode_target_layers).
    public struct DecodeTargetLayer: Sendable, Equatable {
        public var spatialID: UInt8
        public var maximumTemporalID: UInt8
        public init(spatialID: UInt8, maximumTemporalID: UInt8) {
            self.spatialID = spatialID
            self.maximumTemporalID = maximumTemporalID
        }
    }

    public var templateIDOffset: UInt8
    public var decodeTargetCount: Int
    public var templates: [Template]
    /// chain_cnt (0...decodeTargetCount).
    public var chainCount: Int
    /// decode_target_protected_by[dtIndex]: the chain protecting each decode target (empty when
    /// there are no chains).
    public var decodeTargetProtectedByChain: [UInt8]
    public var decodeTargetLayers: [DecodeTargetLayer]
    /// One per spatial layer 0...max spatial id, when resolutions_present_flag = 1.
    public var resolutions: [DependencyDescriptorResolution]?

    public init(templateIDOffset: UInt8, decodeTargetCount: Int, templates: [Template], chainCount: Int,
                decodeTargetProtectedByChain: [UInt8], decodeTargetLayers: [DecodeTargetLayer],
                resolutions: [DependencyDescriptorResolution]?) {
        self.templateIDOffset = templateIDOffset
        self.decodeTargetCount = decodeTargetCount
        self.templates = templates
        self.chainCount = chainCount
        self.decodeTargetProtectedByChain = decodeTargetProtectedByChain
        self.decodeTargetLayers = decodeTargetLayers
        self.resolutions = resolutions
    }

    /// Reads template_dependency_structure() at the reader's position.
    static func read(from reader: inout DependencyDescriptorBitReader) throws(DependencyDescriptorError) -> DependencyStructure {
        // A.8.3: template_id_offset f(6), dt_cnt_minus_one f(5).
        let templateIDOffset = UInt8(try reader.read(6))
        let decodeTargetCount = Int(try reader.read(5)) + 1

        // A.8.3.2 template_layers(): walk spatial/temporal ids until next_layer_idc == 3.
        var layers: [(spatial: UInt8, temporal: UInt8)] = []
        var spatialID: UInt8 = 0
        var temporalID: UInt8 = 0
        while true {
            if layers.count == maximumTemplates { throw .tooManyTemplates }
            layers.append((spatialID, temporalID))
            let nextLayer = try reader.read(2)
            if nextLayer == 3 { break }
            if nextLayer == 1 {
                if temporalID == maximumTemporalID { throw .tooManyTemporalLayers }
                temporalID += 1
            } else if nextLayer == 2 {
                if spatialID == maximumSpatialID { throw .tooManySpatialLayers }
                temporalID = 0
                spatialID += 1
            }
        }
        let maxSpatialID = spatialID

        // A.8.3.3 template_dtis(): 2 bits per template per decode target.
        var dtis: [DecodeTargetIndications] = []
        dtis.reserveCapacity(layers.count)
        for _ in layers {
            var indications = DecodeTargetIndications()
            for _ in 0..<decodeTargetCount {
                indications.append(DecodeTargetIndication(rawValue: UInt8(try reader.read(2))) ?? .notPresent)
            }
            dtis.append(indications)
        }

        // A.8.3.4 template_fdiffs(): fdiff_follows_flag, fdiff_minus_one f(4) ...
        var fdiffs: [DependencyDescriptorFrameDiffs] = []
        fdiffs.reserveCapacity(layers.count)
        for _ in layers {
            var diffs = DependencyDescriptorFrameDiffs()
            while try reader.readFlag() {
                if diffs.count == DependencyDescriptorFrameDiffs.capacity { throw .tooManyFrameDiffs }
                diffs.append(UInt16(try reader.read(4)) + 1)
            }
            fdiffs.append(diffs)
        }

        // A.8.3.6 template_chains(): chain_cnt ns(DtCnt + 1), protected_by ns(chain_cnt),
        // then f(4) chain fdiff per template per chain.
        let chainCount = Int(try reader.readNonSymmetric(UInt32(decodeTargetCount + 1)))
        var protectedBy: [UInt8] = []
        var chainDiffs = [DependencyDescriptorChainDiffs](repeating: .init(), count: layers.count)
        if chainCount > 0 {
            for _ in 0..<decodeTargetCount {
                protectedBy.append(UInt8(try reader.readNonSymmetric(UInt32(chainCount))))
            }
            for index in layers.indices {
                for _ in 0..<chainCount {
                    chainDiffs[index].append(UInt8(try reader.read(4)))
                }
            }
        }

        // A.8.3.5 decode_target_layers(): derived, no bits — the highest spatial and temporal
        // id among templates that belong to each decode target.
        var targetLayers: [DecodeTargetLayer] = []
        for target in 0..<decodeTargetCount {
            var layer = DecodeTargetLayer(spatialID: 0, maximumTemporalID: 0)
            for (index, ids) in layers.enumerated() where dtis[index][target] != .notPresent {
                layer.spatialID = max(layer.spatialID, ids.spatial)
                layer.maximumTemporalID = max(layer.maximumTemporalID, ids.temporal)
            }
            targetLayers.append(layer)
        }

        // A.8.3: resolutions_present_flag, then render_resolutions() per spatial layer.
        var resolutions: [DependencyDescriptorResolution]? = nil
        if try reader.readFlag() {
            var list: [DependencyDescriptorResolution] = []
            for _ in 0...Int(maxSpatialID) {
                let width = Int(try reader.read(16)) + 1
                let height = Int(try reader.read(16)) + 1
                list.append(DependencyDescriptorResolution(width: width, height: height))
            }
            resolutions = list
        }

        var templates: [Template] = []
        templates.reserveCapacity(layers.count)
        for index in layers.indices {
            templates.append(Template(
                spatialID: layers[index].spatial, temporalID: layers[index].temporal,
                decodeTargetIndications: dtis[index], frameDiffs: fdiffs[index], chainDiffs: chainDiffs[index]))
        }
        return DependencyStructure(
            templateIDOffset: templateIDOffset, decodeTargetCount: decodeTargetCount, templates: templates,
            chainCount: chainCount, decodeTargetProtectedByChain: protectedBy,
            decodeTargetLayers: targetLayers, resolutions: resolutions)
    }
}
