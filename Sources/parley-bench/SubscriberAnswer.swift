import DTLS
import ICE
import SDP

/// The answer a benchmark subscriber gives the server's `subscribe_offer` (RFC 3264 §6): every
/// media section received (`recvonly`) with its first offered codec (NACK, PLI and, if offered,
/// REMB and transport-cc feedback, with the transport-cc header extension) and its RTX format
/// for video, as a browser answers, data channels accepted,
/// closed sections left closed, all bundled on one transport whose DTLS client this side is.
enum SubscriberAnswer {
    static func sdp(answering offer: SessionDescription, credentials: ICECredentials,
                    fingerprint: CertificateFingerprint, sessionID: UInt64,
                    transportWideExtensionID: UInt8? = nil) -> String {
        let transport = """
            c=IN IP4 0.0.0.0
            a=ice-ufrag:\(credentials.usernameFragment)
            a=ice-pwd:\(credentials.password)
            a=fingerprint:\(fingerprint.algorithm) \(fingerprint.sdpValue)
            a=setup:active

            """
        var bundled: [String] = []
        var sections = ""
        for section in offer.mediaSections {
            let mid = section.mid ?? ""
            let kind = section.kind == .audio ? "audio" : section.kind == .video ? "video" : "application"
            if section.port == 0 {
                sections += "m=\(kind) 0 \(section.transportProtocol) \(section.formats.joined(separator: " "))\n"
                sections += "a=mid:\(mid)\na=inactive\n"
                continue
            }
            bundled.append(mid)
            if section.isDataChannel {
                sections += "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\n" + transport
                sections += "a=mid:\(mid)\na=sctp-port:5000\na=max-message-size:262144\n"
                continue
            }
            guard let codec = section.codecs.first(where: { !$0.isRetransmission }) else {
                sections += "m=\(kind) 0 \(section.transportProtocol) \(section.formats.first ?? "0")\na=mid:\(mid)\n"
                bundled.removeLast()
                continue
            }
            let channels = codec.channels.map { "/\($0)" } ?? ""
            let rtx = kind == "video" ? codec.retransmissionPayloadType : nil
            sections += "m=\(kind) 9 UDP/TLS/RTP/SAVPF \(codec.payloadType)\(rtx.map { " \($0)" } ?? "")\n" + transport
            // RFC 3264 §6.1: a section the server sends on is received; one it holds inactive
            // (a paused or ended subscription) stays inactive.
            let direction = section.direction == .inactive || section.direction == .recvonly ? "inactive" : "recvonly"
            sections += "a=mid:\(mid)\na=\(direction)\na=rtcp-mux\n"
            sections += "a=rtpmap:\(codec.payloadType) \(codec.name)/\(codec.clockRate)\(channels)\n"
            if let id = transportWideExtensionID,
               section.extensionMaps.contains(where: { $0.id == UInt16(id) && $0.uri == SDPOfferHeaderExtension.transportWideCCURI }) {
                sections += "a=extmap:\(id) \(SDPOfferHeaderExtension.transportWideCCURI)\n"
                if codec.feedback.contains(where: { $0.type == "transport-cc" }) {
                    sections += "a=rtcp-fb:\(codec.payloadType) transport-cc\n"
                }
            }
            if let rtx {
                sections += "a=rtpmap:\(rtx) rtx/\(codec.clockRate)\na=fmtp:\(rtx) apt=\(codec.payloadType)\n"
            }
            if kind == "video" {
                sections += "a=rtcp-fb:\(codec.payloadType) nack\na=rtcp-fb:\(codec.payloadType) nack pli\n"
                // REMB is the estimate this subscriber sends back, when the server asks for it.
                if codec.feedback.contains(where: { $0.type == "goog-remb" }) {
                    sections += "a=rtcp-fb:\(codec.payloadType) goog-remb\n"
                }
            }
        }
        let session = """
            v=0
            o=- \(sessionID) 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE \(bundled.joined(separator: " "))

            """
        return (session + sections).replacingOccurrences(of: "\n", with: "\r\n")
    }
}
