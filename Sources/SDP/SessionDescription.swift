/// A session description (RFC 8866) as WebRTC uses it (RFC 8829, JSEP): the session-level
/// lines followed by one media section per transceiver or data channel association.
///
/// Attributes keep their original order, so `serialized()` reproduces browser output line for
/// line and `parse(serialized())` gives back an equal value.
public struct SessionDescription: Hashable, Sendable {
    /// RFC 8866 §5.1: always 0.
    public var version: UInt8
    public var origin: SDPOrigin
    /// RFC 8866 §5.3: JSEP writes `-`.
    public var sessionName: String
    public var sessionInformation: String?
    public var uri: String?
    public var emails: [String]
    public var phoneNumbers: [String]
    public var connection: SDPConnection?
    public var bandwidths: [SDPBandwidth]
    public var timings: [SDPTiming]
    /// RFC 8866 §5.11 `z=`, verbatim.
    public var timeZones: String?
    /// RFC 8866 §5.12 `k=` (obsolete), verbatim.
    public var encryptionKey: String?
    /// Session-level attributes in their original order.
    public var attributes: [SDPAttribute]
    public var mediaSections: [SDPMediaSection]

    public init(version: UInt8 = 0, origin: SDPOrigin, sessionName: String = "-",
                sessionInformation: String? = nil, uri: String? = nil, emails: [String] = [],
                phoneNumbers: [String] = [], connection: SDPConnection? = nil,
                bandwidths: [SDPBandwidth] = [], timings: [SDPTiming] = [SDPTiming()],
                timeZones: String? = nil, encryptionKey: String? = nil,
                attributes: [SDPAttribute] = [], mediaSections: [SDPMediaSection] = []) {
        self.version = version
        self.origin = origin
        self.sessionName = sessionName
        self.sessionInformation = sessionInformation
        self.uri = uri
        self.emails = emails
        self.phoneNumbers = phoneNumbers
        self.connection = connection
        self.bandwidths = bandwidths
        self.timings = timings
        self.timeZones = timeZones
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.mediaSections = mediaSections
    }
}

// MARK: - Session-level typed views

extension SessionDescription {
    public var groups: [SDPGroup] {
        attributes.compactMap { if case .group(let value) = $0 { value } else { nil } }
    }

    /// RFC 9143 §7: `a=group:BUNDLE` groups.
    public var bundleGroups: [SDPGroup] { groups.filter { $0.semantics == "BUNDLE" } }

    public var mediaStreamSemantic: SDPMediaStreamSemantic? {
        for case .mediaStreamSemantic(let value) in attributes { return value }
        return nil
    }

    /// RFC 8445 §2.5: the peer is an ICE-lite agent (as this SFU is).
    public var isICELite: Bool { attributes.contains(.iceLite) }

    public var iceOptions: [String] {
        for case .iceOptions(let options) in attributes { return options }
        return []
    }

    public var fingerprints: [SDPFingerprint] {
        attributes.compactMap { if case .fingerprint(let value) = $0 { value } else { nil } }
    }

    public var setup: SDPSetupRole? {
        for case .setup(let role) in attributes { return role }
        return nil
    }

    public var iceUsernameFragment: String? {
        for case .iceUsernameFragment(let text) in attributes { return text }
        return nil
    }

    public var icePassword: String? {
        for case .icePassword(let text) in attributes { return text }
        return nil
    }

    /// RFC 8285 §6: one- and two-byte header extensions may be mixed in one stream.
    public var isExtmapAllowMixed: Bool { attributes.contains(.extmapAllowMixed) }

    public func mediaSection(mid: String) -> SDPMediaSection? {
        mediaSections.first(where: { $0.mid == mid })
    }

    /// RFC 8841: the section carrying WebRTC data channels, if any.
    public var dataChannelSection: SDPMediaSection? {
        mediaSections.first(where: \.isDataChannel)
    }

    /// RFC 8122 §5: fingerprints at media level replace the session-level ones.
    public func effectiveFingerprints(of section: SDPMediaSection) -> [SDPFingerprint] {
        let local = section.fingerprints
        return local.isEmpty ? fingerprints : local
    }

    /// RFC 4145 §4 / RFC 8842: media-level setup overrides session-level.
    public func effectiveSetup(of section: SDPMediaSection) -> SDPSetupRole? {
        section.setup ?? setup
    }

    /// RFC 8839 §5.4: media-level ICE credentials override session-level.
    public func effectiveICECredentials(of section: SDPMediaSection) -> (usernameFragment: String, password: String)? {
        guard let ufrag = section.iceUsernameFragment ?? iceUsernameFragment,
              let password = section.icePassword ?? icePassword else { return nil }
        return (ufrag, password)
    }
}
