import SDP
import Testing

/// Offers captured from headless Chromium on loopback (see Fixtures/).
@Suite struct SDPChromiumOfferTests {
    let twcc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

    @Test func sessionLevelLines() throws {
        let offer = try SDPFixture.chromiumOffer.parsed()
        #expect(offer.version == 0)
        #expect(offer.origin == SDPOrigin(username: "-", sessionID: 1_928_084_262_485_179_199, sessionVersion: 2,
                                          networkType: "IN", addressType: "IP4", unicastAddress: "127.0.0.1"))
        #expect(offer.sessionName == "-")
        #expect(offer.timings == [SDPTiming(start: 0, stop: 0)])
        #expect(offer.bundleGroups == [SDPGroup(semantics: "BUNDLE", mids: ["0", "1", "2"])])
        #expect(offer.isExtmapAllowMixed)
        #expect(!offer.isICELite)
        #expect(offer.mediaStreamSemantic == SDPMediaStreamSemantic(
            semantic: "WMS", streamIDs: ["cbe52438-3b40-4e8c-8dee-70254a1f3cb1"], spaceAfterColon: true))
        #expect(offer.fingerprints.isEmpty)
        #expect(offer.mediaSections.map(\.kind) == [.audio, .video, .application])
        #expect(offer.mediaSections.map(\.mid) == ["0", "1", "2"])
    }

    @Test func transportAttributesOfEverySection() throws {
        let offer = try SDPFixture.chromiumOffer.parsed()
        for section in offer.mediaSections {
            #expect(section.iceUsernameFragment == "cGBx")
            #expect(section.icePassword == "0JgBQUPlRi1Wmfdaa+9KzaDu")
            #expect(section.iceOptions == ["trickle"])
            #expect(section.setup == .actpass)
            let fingerprint = try #require(section.fingerprints.first)
            #expect(fingerprint.hashFunction == "sha-256")
            #expect(fingerprint.digest.count == 32)
            #expect(Array(fingerprint.digest.prefix(4)) == [0x7E, 0x67, 0x13, 0x00])
            #expect(fingerprint.digest.last == 0x54)
            #expect(offer.effectiveFingerprints(of: section) == [fingerprint])
            #expect(section.candidates.count == 8)
            #expect(!section.isEndOfCandidates)
        }
    }

    @Test func candidatesKeepTheirExtensions() throws {
        let audio = try SDPFixture.chromiumOffer.parsed().section("0")
        let candidates = audio.candidates
        #expect(candidates[0] == SDPCandidate(
            foundation: "129034410", componentID: 1, transport: "udp", priority: 2_122_194_687,
            address: "127.0.0.1", port: 34446, type: .host,
            extensions: [SDPCandidateExtension(name: "generation", value: "0"),
                         SDPCandidateExtension(name: "network-id", value: "3"),
                         SDPCandidateExtension(name: "network-cost", value: "50")]))
        #expect(candidates[0].generation == 0)
        #expect(candidates[0].tcpType == nil)
        #expect(candidates[0].isUDP)
        #expect(candidates[2].address == "::1")
        #expect(candidates[2].port == 42262)
        let tcp = candidates[4]
        #expect(tcp.transport == "tcp")
        #expect(tcp.tcpType == .active)
        #expect(tcp.port == 9)
        #expect(tcp.priority == 1_518_214_911)
        #expect(tcp.extensionValue("network-id") == "3")
        #expect(candidates.allSatisfy { $0.type == .host && $0.relatedAddress == nil })
    }

    @Test func audioCodecs() throws {
        let audio = try SDPFixture.chromiumOffer.parsed().section("0")
        #expect(audio.port == 34446)
        #expect(audio.transportProtocol == "UDP/TLS/RTP/SAVPF")
        #expect(audio.formats == ["111", "63", "9", "0", "8", "13", "110", "126"])
        #expect(audio.direction == .sendrecv)
        #expect(audio.isRTCPMultiplexed)
        #expect(audio.isRTCPReducedSize)
        #expect(audio.otherAttribute("rtcp") == .some("9 IN IP4 0.0.0.0"))
        #expect(audio.otherAttribute("rtcp-xr") == .some("rcvr-rtt=all"))
        let codecs = audio.codecs
        #expect(codecs.map(\.payloadType) == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(codecs.map(\.name) == ["opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event"])
        let opus = codecs[0]
        #expect(opus.clockRate == 48000)
        #expect(opus.channels == 2)
        #expect(opus.parameters == [SDPFormatParameter(name: "minptime", value: "10"),
                                    SDPFormatParameter(name: "useinbandfec", value: "1")])
        #expect(opus.parameter("useinbandfec") == "1")
        #expect(opus.feedback.map(\.type) == ["transport-cc"])
        #expect(opus.retransmissionPayloadType == nil)
        #expect(codecs[1].parameters == [SDPFormatParameter(name: "111/111")])
        #expect(codecs[2].channels == nil)
        #expect(audio.headerExtensionID(for: "urn:ietf:params:rtp-hdrext:ssrc-audio-level") == 1)
        #expect(audio.headerExtensionID(for: "urn:ietf:params:rtp-hdrext:sdes:mid") == 4)
        #expect(audio.mediaStreamIDs == [SDPMediaStreamID(streamID: "cbe52438-3b40-4e8c-8dee-70254a1f3cb1",
                                                          trackID: "5c882a8e-70e9-4ca4-8a0d-1f6bfb129386")])
        #expect(audio.ssrcs == [1_612_308_785])
        #expect(audio.canonicalName(ofSSRC: 1_612_308_785) == "QJbvNYayAGnKELaP")
        #expect(audio.sourceAttributes[1] == SDPSourceAttribute(
            ssrc: 1_612_308_785, attribute: "msid",
            value: "cbe52438-3b40-4e8c-8dee-70254a1f3cb1 5c882a8e-70e9-4ca4-8a0d-1f6bfb129386"))
    }

    @Test func videoCodecsWithRetransmission() throws {
        let video = try SDPFixture.chromiumOffer.parsed().section("1")
        #expect(video.direction == .sendonly)
        let codecs = video.codecs
        #expect(codecs.count == 23)
        let media = video.mediaCodecs
        #expect(media.map(\.payloadType) == [96, 102, 104, 108, 114, 116, 39, 45, 98, 100, 118, 120])
        #expect(media.map(\.retransmissionPayloadType) == [97, 103, 107, 109, 115, 117, 40, 46, 99, 101, 119, nil])
        let vp8 = try #require(video.codec(payloadType: 96))
        #expect(vp8.name == "VP8")
        #expect(vp8.clockRate == 90000)
        #expect(vp8.feedback.map { [$0.type, $0.parameter ?? ""] } ==
                [["goog-remb", ""], ["transport-cc", ""], ["ccm", "fir"], ["nack", ""], ["nack", "pli"]])
        let h264 = try #require(video.codec(payloadType: 108))
        #expect(h264.parameter("profile-level-id") == "42e01f")
        #expect(h264.parameter("packetization-mode") == "1")
        #expect(h264.retransmissionPayloadType == 109)
        let rtx = try #require(video.codec(payloadType: 109))
        #expect(rtx.isRetransmission)
        #expect(rtx.associatedPayloadType == 108)
        #expect(video.codec(payloadType: 45)?.parameters.map(\.name) == ["level-idx", "profile", "tier"])
        #expect(video.codec(payloadType: 120)?.name == "ulpfec")
    }

    @Test func videoHeaderExtensionIDs() throws {
        let video = try SDPFixture.chromiumOffer.parsed().section("1")
        #expect(video.extensionMaps.map(\.id) == [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11, 12, 9])
        #expect(video.extensionMaps.allSatisfy { $0.direction == nil && $0.extensionAttributes == nil })
        #expect(video.headerExtensionID(for: "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id") == 10)
        #expect(video.headerExtensionID(for: "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id") == 11)
        #expect(video.headerExtensionID(for: twcc) == 3)
        #expect(video.headerExtensionID(for: "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time") == 2)
        #expect(video.headerExtensionID(
            for: "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension") == 12)
        #expect(video.headerExtensionID(for: "urn:ietf:params:rtp-hdrext:ssrc-audio-level") == nil)
    }

    @Test func simulcastLayersAndRids() throws {
        let video = try SDPFixture.chromiumOffer.parsed().section("1")
        #expect(video.rids == [SDPRestrictionID(id: "q", direction: .send),
                               SDPRestrictionID(id: "h", direction: .send),
                               SDPRestrictionID(id: "f", direction: .send)])
        #expect(video.simulcast == SDPSimulcast(send: [[SDPSimulcastStream(rid: "q")], [SDPSimulcastStream(rid: "h")],
                                                       [SDPSimulcastStream(rid: "f")]]))
        let layers = video.simulcastLayers(.send)
        #expect(layers.map(\.rid) == ["q", "h", "f"])
        #expect(layers.map { $0.rids.map(\.id) } == [["q"], ["h"], ["f"]])
        #expect(layers.allSatisfy { !$0.isPaused })
        #expect(video.simulcastLayers(.recv).isEmpty)
        // With rids, libwebrtc sends no a=ssrc lines in the offer.
        #expect(video.sourceAttributes.isEmpty)
        #expect(video.mediaStreamIDs.first?.trackID == "d7344b92-e222-49c7-b5d0-05ebcce20ee7")
    }

    @Test func dataChannelSection() throws {
        let offer = try SDPFixture.chromiumOffer.parsed()
        let data = try #require(offer.dataChannelSection)
        #expect(data.mid == "2")
        #expect(data.port == 40160)
        #expect(data.transportProtocol == "UDP/DTLS/SCTP")
        #expect(data.formats == ["webrtc-datachannel"])
        #expect(data.sctpPort == 5000)
        #expect(data.maxMessageSize == 262_144)
        #expect(data.codecs.isEmpty)
        #expect(data.connections == [SDPConnection(networkType: "IN", addressType: "IP4", address: "127.0.0.1")])
    }

    @Test func plainOfferHasSourceGroupsInsteadOfSimulcast() throws {
        let offer = try SDPFixture.chromiumOfferPlain.parsed()
        let video = try offer.section("1")
        #expect(video.direction == .sendrecv)
        #expect(video.rids.isEmpty)
        #expect(video.simulcast == nil)
        #expect(video.sourceGroups == [SDPSourceGroup(semantics: "FID", ssrcs: [2_784_298_496, 3_729_763_980])])
        #expect(video.ssrcs == [2_784_298_496, 3_729_763_980])
        #expect(video.canonicalName(ofSSRC: 3_729_763_980) == "wLwbIIqMZmLHB3NI")
        #expect(offer.origin.sessionID == 6_574_115_042_960_653_716)
        #expect(offer.dataChannelSection?.mid == "2")
        #expect(try offer.section("0").iceUsernameFragment == "gKpo")
    }
}
