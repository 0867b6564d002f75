import Foundation
import SDP
import Testing

/// The session descriptions under Fixtures/: two captured from headless Chromium, two written
/// by hand after the Firefox and Safari formats.
enum SDPFixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case chromiumOffer = "chromium-offer"
    case chromiumOfferPlain = "chromium-offer-plain"
    case firefoxOffer = "firefox-offer"
    case safariOffer = "safari-offer"

    var testDescription: String { rawValue }

    func text() throws -> String {
        let url = try #require(Bundle.module.url(forResource: rawValue, withExtension: "sdp", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    func parsed() throws -> SessionDescription {
        try SessionDescription.parse(text())
    }
}

extension SessionDescription {
    /// Test shorthand: the section with this mid, or a failed expectation.
    func section(_ mid: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SDPMediaSection {
        try #require(mediaSection(mid: mid), sourceLocation: sourceLocation)
    }
}
