/// Errors from parsing the AV1 dependency descriptor RTP header extension (AV1 RTP spec App. A).
public enum DependencyDescriptorError: Error, Equatable, Sendable {
    /// The extension ended before a field.
    case truncated(neededBits: Int, availableBits: Int)
    /// Internal misuse of the bit reader (more than 32 bits at once).
    case invalidBitCount(Int)
    /// The descriptor needs a template dependency structure, and none was attached nor given.
    case structureRequired
    /// frame_dependency_template_id does not name a template of the structure (A.8.3).
    case unknownTemplate(id: UInt8)
    /// More than 64 templates (template ids are 6 bits).
    case tooManyTemplates
    /// template_layers walked past spatial id 3 (A.8.3.2; AV1 spatial_id is 2 bits).
    case tooManySpatialLayers
    /// template_layers walked past temporal id 7 (AV1 temporal_id is 3 bits).
    case tooManyTemporalLayers
    /// More frame dependencies than `DependencyDescriptorFrameDiffs.capacity`.
    case tooManyFrameDiffs
}
