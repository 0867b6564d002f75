/// The AV1 Dependency Descriptor RTP header extension (AV1 RTP spec Appendix A), used by AV1
/// and by VP8/VP9/H264 simulcast/SVC in browsers. It describes a frame by a template id into a
/// structure sent earlier, so `parse` takes the last structure the SFU stored for the stream.
///
/// Parsing allocates nothing unless a new structure is attached to this packet.
public struct DependencyDescriptor: Sendable, Equatable {
    /// Header extension URI negotiated in SDP (a=extmap).
    public static let extensionURI =
        "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension"

    public var isStartOfFrame: Bool
    public var isEndOfFrame: Bool
    /// frame_dependency_template_id (6 bits, before subtracting template_id_offset).
    public var templateID: UInt8
    /// frame_number (16 bits, wraps).
    public var frameNumber: UInt16
    /// From the template (A.8.4 frame_dependency_definition).
    public var spatialID: UInt8
    public var temporalID: UInt8
    /// Template's or custom (custom_dtis_flag) decode target indications, one per decode target.
    public var decodeTargetIndications: DecodeTargetIndications
    /// Template's or custom (custom_fdiffs_flag) frame dependencies.
    public var frameDiffs: DependencyDescriptorFrameDiffs
    /// Template's or custom (custom_chains_flag) chain diffs.
    public var chainDiffs: DependencyDescriptorChainDiffs
    /// Set when active_decode_targets_present_flag = 1, or all ones when a structure is attached
    /// (A.8.2). Nil means "unchanged since the last packet that said".
    public var activeDecodeTargetsBitmask: UInt32?
    /// The structure attached to this packet, if any; the SFU should store it.
    public var attachedStructure: DependencyStructure?
    /// FrameMaxWidth/Height when the structure carries resolutions.
    public var maximumResolution: DependencyDescriptorResolution?

    public init(isStartOfFrame: Bool, isEndOfFrame: Bool, templateID: UInt8, frameNumber: UInt16,
                spatialID: UInt8, temporalID: UInt8, decodeTargetIndications: DecodeTargetIndications,
                frameDiffs: DependencyDescriptorFrameDiffs, chainDiffs: DependencyDescriptorChainDiffs,
                activeDecodeTargetsBitmask: UInt32?, attachedStructure: DependencyStructure?,
                maximumResolution: DependencyDescriptorResolution?) {
        self.isStartOfFrame = isStartOfFrame
        self.isEndOfFrame = isEndOfFrame
        self.templateID = templateID
        self.frameNumber = frameNumber
        self.spatialID = spatialID
        self.temporalID = temporalID
        self.decodeTargetIndications = decodeTargetIndications
        self.frameDiffs = frameDiffs
        self.chainDiffs = chainDiffs
        self.activeDecodeTargetsBitmask = activeDecodeTargetsBitmask
        self.attachedStructure = attachedStructure
        self.maximumResolution = maximumResolution
    }

    /// Parses the extension's data bytes (after the one/two-byte extension element header).
    /// `structure` is the latest structure received for this stream; a structure attached to
    /// this packet takes precedence and is returned in `attachedStructure`.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, structure: DependencyStructure?
    ) throws(DependencyDescriptorError) -> DependencyDescriptor {
        var reader = DependencyDescriptorBitReader(bytes)
        // A.8.2 mandatory_descriptor_fields(): S f(1), E f(1), template id f(6), frame number f(16).
        let isStartOfFrame = try reader.readFlag()
        let isEndOfFrame = try reader.readFlag()
        let templateID = UInt8(try reader.read(6))
        let frameNumber = UInt16(try reader.read(16))

        // A.8.2: extended_descriptor_fields() only when the extension is longer than 3 bytes.
        var customDTIs = false
        var customFrameDiffs = false
        var customChains = false
        var attached: DependencyStructure? = nil
        var activeMask: UInt32? = nil
        if bytes.count > 3 {
            let structurePresent = try reader.readFlag()
            let activeTargetsPresent = try reader.readFlag()
            customDTIs = try reader.readFlag()
            customFrameDiffs = try reader.readFlag()
            customChains = try reader.readFlag()
            if structurePresent {
                let newStructure = try DependencyStructure.read(from: &reader)
                attached = newStructure
                // A.8.2: a new structure activates all its decode targets.
                activeMask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(newStructure.decodeTargetCount)) - 1)
            }
            if activeTargetsPresent {
                guard let current = attached ?? structure else { throw .structureRequired }
                activeMask = try reader.read(current.decodeTargetCount)
            }
        }
        guard let current = attached ?? structure else { throw .structureRequired }

        // A.8.4 frame_dependency_definition(): templateIndex = (id + 64 - offset) % 64.
        let templateIndex = (Int(templateID) + 64 - Int(current.templateIDOffset)) % 64
        guard templateIndex < current.templates.count else { throw .unknownTemplate(id: templateID) }
        let template = current.templates[templateIndex]

        var dtis = template.decodeTargetIndications
        if customDTIs {
            // A.8.4 frame_dtis(): f(2) per decode target.
            dtis = DecodeTargetIndications()
            for _ in 0..<current.decodeTargetCount {
                dtis.append(DecodeTargetIndication(rawValue: UInt8(try reader.read(2))) ?? .notPresent)
            }
        }
        var diffs = template.frameDiffs
        if customFrameDiffs {
            // A.8.4 frame_fdiffs(): next_fdiff_size f(2), fdiff_minus_one f(4 * size), ...
            diffs = DependencyDescriptorFrameDiffs()
            while true {
                let size = try reader.read(2)
                if size == 0 { break }
                if diffs.count == DependencyDescriptorFrameDiffs.capacity { throw .tooManyFrameDiffs }
                diffs.append(UInt16(try reader.read(4 * Int(size))) + 1)
            }
        }
        var chains = template.chainDiffs
        if customChains {
            // A.8.4 frame_chains(): f(8) per chain.
            chains = DependencyDescriptorChainDiffs()
            for _ in 0..<current.chainCount {
                chains.append(UInt8(try reader.read(8)))
            }
        }
        var resolution: DependencyDescriptorResolution? = nil
        if let resolutions = current.resolutions, Int(template.spatialID) < resolutions.count {
            resolution = resolutions[Int(template.spatialID)]
        }
        // A.8.2: the remaining bits are zero_padding and are ignored.
        return DependencyDescriptor(
            isStartOfFrame: isStartOfFrame, isEndOfFrame: isEndOfFrame, templateID: templateID,
            frameNumber: frameNumber, spatialID: template.spatialID, temporalID: template.temporalID,
            decodeTargetIndications: dtis, frameDiffs: diffs, chainDiffs: chains,
            activeDecodeTargetsBitmask: activeMask, attachedStructure: attached, maximumResolution: resolution)
    }

    public static func parse(_ bytes: [UInt8], structure: DependencyStructure?) throws(DependencyDescriptorError) -> DependencyDescriptor {
        try withCodecPayloadBytes(bytes) { (buffer) throws(DependencyDescriptorError) -> DependencyDescriptor in
            try parse(buffer, structure: structure)
        }
    }
}
