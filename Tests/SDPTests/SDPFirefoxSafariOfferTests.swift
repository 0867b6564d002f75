import SDP
import Testing

/// Hand-written offers in the shapes Firefox and Safari produce (see Fixtures/).
@Suite struct SDPFirefoxSafariOfferTests {
    @Test func firefoxSessionLevelFingerprintAppliesToEverySection() throws {
        let offer = try SDPFixture.firefoxOffer.parsed()
        #expect(offer.origin.username == "mozilla...THIS_IS_SDPARTA-128.0")
        #expect(offer.origin.sessionID == 5_911_337_353_337_011_843)
        #expect(offer.origin.sessionVersion == 0)
        #expect(offer.iceOptions == ["trickle"])
        #expect(offer.mediaStreamSemantic == SDPMediaStreamSemantic(semantic: "WMS", streamIDs: ["*"], spaceAfterColon: false))
        #expect(offer.bundleGroups.first?.mids == ["0", "1", "2"])
        let fingerprint = try #require(offer.fingerprints.first)
        #expect(fingerprint.hashFunction == "sha-256")
        #expect(Array(fingerprint.digest.prefix(3)) == [0xA3, 0x1F, 0x5C])
        #expect(fingerprint.digest.last == 0x6B)
        for section in offer.mediaSections {
            #expect(section.fingerprints.isEmpty)
            #expect(offer.effectiveFingerprints(of: section) == [fingerprint])
            #expect(offer.effectiveSetup(of: section) == .actpass)
            let credentials = try #require(offer.effectiveICECredentials(of: section))
            #expect(credentials.usernameFragment == "8f2e41d3")
            #expect(credentials.password == "c1b6f5a2d8e47a0b3c9f16d2e5a8b7c4")
        }
    }

    @Test func firefoxCandidatesOfEveryType() throws {
        let audio = try SDPFixture.firefoxOffer.parsed().section("0")
        #expect(audio.isEndOfCandidates)
        let candidates = audio.candidates
        #expect(candidates.map(\.type) == [.host, .host, .serverReflexive, .relayed])
        #expect(candidates[0].transport == "UDP")
        #expect(candidates[0].isUDP)
        #expect(candidates[0].extensions.isEmpty)
        #expect(candidates[1].tcpType == .active)
        #expect(!candidates[1].isUDP)
        #expect(candidates[2] == SDPCandidate(
            foundation: "1", componentID: 1, transport: "UDP", priority: 1_686_052_863, address: "203.0.113.7",
            port: 49203, type: .serverReflexive, relatedAddress: "192.0.2.10", relatedPort: 49203))
        #expect(candidates[3].address == "198.51.100.20")
        #expect(candidates[3].priority == 92_217_343)
        #expect(candidates[3].relatedAddress == "203.0.113.7")
    }

    @Test func firefoxExtensionMapDirectionsAndAudioCodecs() throws {
        let audio = try SDPFixture.firefoxOffer.parsed().section("0")
        #expect(audio.extensionMaps == [
            SDPExtensionMap(id: 1, uri: "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
            SDPExtensionMap(id: 2, direction: .recvonly, uri: "urn:ietf:params:rtp-hdrext:csrc-audio-level"),
            SDPExtensionMap(id: 3, uri: "urn:ietf:params:rtp-hdrext:sdes:mid"),
        ])
        let codecs = audio.codecs
        #expect(codecs.map(\.name) == ["opus", "G722", "PCMU", "PCMA", "telephone-event"])
        #expect(codecs[0].parameters.map(\.name) == ["maxplaybackrate", "stereo", "useinbandfec"])
        #expect(codecs[1].channels == 1)
        #expect(codecs[4].parameters == [SDPFormatParameter(name: "0-15")])
        #expect(codecs[4].channels == 1)
        #expect(audio.sourceAttributes == [SDPSourceAttribute(ssrc: 2_655_508_255, attribute: "cname",
                                                              value: "{735484ea-4f6c-4a53-ba9b-8d4cd2ed9ac7}")])
        #expect(audio.mediaStreamIDs.first?.streamID == "{6f5b3b1e-8c2d-4e4a-9a0f-2b7d1c3e5f60}")
    }

    @Test func firefoxVideoSimulcastAndCodecs() throws {
        let video = try SDPFixture.firefoxOffer.parsed().section("1")
        #expect(video.direction == .sendonly)
        #expect(video.rids.map(\.id) == ["q", "h", "f"])
        #expect(video.rids.allSatisfy { $0.direction == .send && $0.payloadTypes.isEmpty && $0.restrictions.isEmpty })
        #expect(video.simulcastLayers(.send).map(\.rid) == ["q", "h", "f"])
        #expect(video.headerExtensionID(for: "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id") == 8)
        #expect(video.extensionMaps.first(where: { $0.id == 6 })?.direction == .recvonly)
        let media = video.mediaCodecs
        #expect(media.map(\.name) == ["VP8", "VP9", "H264", "H264", "ulpfec", "red"])
        #expect(media.map(\.retransmissionPayloadType) == [124, 125, 127, 98, nil, 119])
        let h264 = try #require(video.codec(payloadType: 126))
        #expect(h264.parameters == [SDPFormatParameter(name: "profile-level-id", value: "42e01f"),
                                    SDPFormatParameter(name: "level-asymmetry-allowed", value: "1"),
                                    SDPFormatParameter(name: "packetization-mode", value: "1")])
        #expect(h264.feedback.count == 5)
        #expect(video.codec(payloadType: 97)?.parameter("packetization-mode") == nil)
        #expect(video.sourceGroups.count == 3)
        #expect(video.sourceGroups[1] == SDPSourceGroup(semantics: "FID", ssrcs: [2_839_812_234, 4_067_135_409]))
        #expect(video.sourceAttributes.allSatisfy { $0.attribute == "cname" })
        #expect(video.ssrcs.count == 6)
    }

    @Test func firefoxDataChannel() throws {
        let data = try #require(try SDPFixture.firefoxOffer.parsed().dataChannelSection)
        #expect(data.mid == "2")
        #expect(data.sctpPort == 5000)
        #expect(data.maxMessageSize == 1_073_741_823)
        #expect(data.direction == .sendrecv)
    }

    @Test func safariPrefersH264() throws {
        let offer = try SDPFixture.safariOffer.parsed()
        #expect(offer.dataChannelSection == nil)
        #expect(offer.bundleGroups.first?.mids == ["0", "1"])
        let video = try offer.section("1")
        #expect(video.port == 9)
        #expect(video.connections.first?.address == "0.0.0.0")
        let media = video.mediaCodecs
        #expect(media.map(\.name) == ["H264", "H264", "H265", "VP8", "VP9", "red", "ulpfec"])
        #expect(media.map(\.payloadType) == [96, 98, 100, 102, 104, 106, 108])
        #expect(media.map(\.retransmissionPayloadType) == [97, 99, 101, 103, 105, 107, nil])
        #expect(media.map { $0.parameter("profile-level-id") } == ["640c1f", "42e01f", nil, nil, nil, nil, nil])
        #expect(media[2].parameter("tx-mode") == "SRST")
        #expect(video.mediaStreamIDs == [SDPMediaStreamID(streamID: "4D5E6F70-8192-4A3B-BC4D-5E6F708192A3",
                                                          trackID: "9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A")])
        #expect(video.sourceGroups == [SDPSourceGroup(semantics: "FID", ssrcs: [2_882_400_001, 2_882_400_002])])
        #expect(video.headerExtensionID(for: "urn:3gpp:video-orientation") == 13)
        let fingerprint = try #require(video.fingerprints.first)
        #expect(Array(fingerprint.digest.prefix(2)) == [0x5D, 0x8B])
        #expect(offer.effectiveICECredentials(of: video)?.usernameFragment == "Qx7v")
    }
}
