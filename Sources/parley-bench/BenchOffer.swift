import DTLS
import ICE
import WebRTC

/// The SDP offer a benchmark participant sends: Opus and VP8 sections, or only a data channel
/// section, bundled, as a browser would, with the client's ICE credentials and fingerprint.
struct BenchOffer {
    static let audioSSRC: UInt32 = 0x0A0D_1000
    static let videoSSRC: UInt32 = 0x0B1D_E000
    static let audioPayloadType: UInt8 = 111
    static let videoPayloadType: UInt8 = 96

    let credentials: ICECredentials
    let fingerprint: CertificateFingerprint
    let sessionID: UInt64
    /// `sendrecv` for the echo service; `sendonly` to publish into a room.
    var direction = "sendrecv"
    var includesVideo = true
    /// Simulcast layers (rid-based, as Chrome offers them); 1 sends one encoding with `a=ssrc`.
    var videoLayers = 1
    /// Only an application section (RFC 8841): data channels, no media.
    var dataOnly = false

    /// The video section's lines that say how its RTP streams are named.
    private var videoStreams: String {
        guard videoLayers > 1 else { return "a=ssrc:\(Self.videoSSRC) cname:parley-bench\n" }
        let rids = SyntheticVideoLayer.rids.prefix(videoLayers)
        return rids.map { "a=rid:\($0) send\n" }.joined() + "a=simulcast:send \(rids.joined(separator: ";"))\n"
    }

    var sdp: String {
        let transport = """
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:\(credentials.usernameFragment)
            a=ice-pwd:\(credentials.password)
            a=fingerprint:\(fingerprint.algorithm) \(fingerprint.sdpValue)
            a=setup:actpass
            """
        let audio = """
            m=audio 9 UDP/TLS/RTP/SAVPF \(Self.audioPayloadType)
            \(transport)
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
            a=\(direction)
            a=msid:bench bench-audio
            a=rtcp-mux
            a=rtpmap:\(Self.audioPayloadType) opus/48000/2
            a=fmtp:\(Self.audioPayloadType) minptime=10;useinbandfec=1
            a=ssrc:\(Self.audioSSRC) cname:parley-bench

            """
        let video = """
            m=video 9 UDP/TLS/RTP/SAVPF \(Self.videoPayloadType)
            \(transport)
            a=mid:1
            a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
            a=extmap:2 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
            a=\(direction)
            a=msid:bench bench-video
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:\(Self.videoPayloadType) VP8/90000
            a=rtcp-fb:\(Self.videoPayloadType) nack
            a=rtcp-fb:\(Self.videoPayloadType) nack pli
            a=rtcp-fb:\(Self.videoPayloadType) ccm fir
            \(videoStreams)
            """
        let data = """
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            \(transport)
            a=mid:0
            a=sctp-port:5000
            a=max-message-size:\(DataChannelConfiguration.advertisedMaxMessageSize)

            """
        let session = """
            v=0
            o=- \(sessionID) 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE \(includesVideo && !dataOnly ? "0 1" : "0")
            a=msid-semantic: WMS bench

            """
        let sections = dataOnly ? data : audio + (includesVideo ? video : "")
        return (session + sections).replacingOccurrences(of: "\n", with: "\r\n")
    }
}
