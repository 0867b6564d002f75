/// Caps applied while parsing, because session descriptions arrive from untrusted peers.
/// The defaults leave room for hundreds of transceivers in one PeerConnection.
public struct SDPParseLimits: Hashable, Sendable {
    public var maxBytes: Int
    public var maxLines: Int
    public var maxLineLength: Int
    public var maxMediaSections: Int
    /// Per media section, and separately for the session level.
    public var maxAttributesPerSection: Int

    public init(
        maxBytes: Int = 4 << 20,
        maxLines: Int = 50_000,
        maxLineLength: Int = 4096,
        maxMediaSections: Int = 1024,
        maxAttributesPerSection: Int = 2048
    ) {
        self.maxBytes = maxBytes
        self.maxLines = maxLines
        self.maxLineLength = maxLineLength
        self.maxMediaSections = maxMediaSections
        self.maxAttributesPerSection = maxAttributesPerSection
    }

    public static let `default` = SDPParseLimits()
}
