import SDP
import Signaling

/// A track published in a meeting, as the signaling layer knows it: what subscribers are told
/// (`info`) and what their offers need (the codec, in the subscriber connection's payload types).
struct MeetingTrack: Sendable, Equatable {
    /// The publisher's identity (the SFU's participant id) and participant sid.
    let owner: String
    let ownerSid: String
    /// The client's id for the track, echoed in `track_published`.
    let cid: String?
    var info: SignalingTrackInfo
    /// The format subscribers receive it in (`SDPSubscriberCodecs`: fixed payload types, so a
    /// payload type means one codec in every bundled section).
    let subscriberCodec: SDPCodec

    var sid: String { info.sid }

    /// The simulcast layer (0 = lowest) that best fits a tile of `width` × `height`: the lowest
    /// whose resolution covers it, else the highest. Nil when the layers' sizes are unknown.
    func layer(fitting width: Int, _ height: Int) -> Int? {
        let layers = info.layers
        guard layers.count > 1, layers.allSatisfy({ $0.width > 0 && $0.height > 0 }) else { return nil }
        return layers.firstIndex { $0.width >= width && $0.height >= height } ?? layers.count - 1
    }
}

/// The subscriber-connection format for a codec a publisher negotiated.
enum SubscriberCodec {
    static func matching(_ codec: SDPCodec) -> SDPCodec? {
        switch codec.name.lowercased() {
        case "opus": SDPSubscriberCodecs.opus
        case "vp8": SDPSubscriberCodecs.vp8
        case "vp9": SDPSubscriberCodecs.vp9
        case "av1": SDPSubscriberCodecs.av1
        default: nil
        }
    }
}
