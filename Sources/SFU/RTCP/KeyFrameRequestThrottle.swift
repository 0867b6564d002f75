/// Rate-limits key frame requests (PLI, RFC 4585 §6.3.1; FIR, RFC 5104 §4.3.1) towards a
/// publisher: subscribers joining or losing packets can ask many times a second, but one
/// request per layer per `minimumIntervalMicroseconds` is enough for the encoder, which
/// otherwise produces a burst of costly key frames.
///
/// `Layer` identifies one publication layer (e.g. its media SSRC, or track + spatial layer).
public struct KeyFrameRequestThrottle<Layer: Hashable & Sendable>: Sendable {
    public var minimumIntervalMicroseconds: Int64
    private var lastRequest: [Layer: Int64] = [:]

    public init(minimumIntervalMicroseconds: Int64 = 500_000) {
        self.minimumIntervalMicroseconds = minimumIntervalMicroseconds
    }

    /// True when a request for `layer` may go out at `now`; the request is then counted as sent.
    public mutating func shouldRequest(layer: Layer, nowMicroseconds: Int64) -> Bool {
        if let last = lastRequest[layer], nowMicroseconds - last < minimumIntervalMicroseconds {
            return false
        }
        lastRequest[layer] = nowMicroseconds
        return true
    }

    /// Forgets `layer` (publication ended), so its entry does not linger.
    public mutating func remove(layer: Layer) {
        lastRequest[layer] = nil
    }
}
