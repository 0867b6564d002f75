/// The stamp every benchmark packet and message carries at the end of its payload: who sent it,
/// on which stream, its sequence on that stream and when, so that receivers measure loss and
/// one-way latency without knowing the senders (also across bench processes on one machine:
/// the time is CLOCK_MONOTONIC).
struct BenchStamp {
    static let magic: UInt32 = 0x5042_4E43 // "PBNC"
    /// magic (4), stream (1), sender (2), sequence (4), send time in µs (8).
    static let size = 4 + 1 + 2 + 4 + 8

    /// Streams: audio, the video layers (1 + spatial layer), data channel messages.
    static let audioStream: UInt8 = 0
    static func videoStream(layer: Int) -> UInt8 { UInt8(1 + layer) }
    static let dataStream: UInt8 = 0x0D

    var stream: UInt8
    var sender: UInt16
    var sequence: UInt32
    var sentAt: Int64

    /// Writes the stamp into the bytes just before `end`.
    func write(into bytes: UnsafeMutableRawBufferPointer, endingAt end: Int) {
        let offset = end - Self.size
        bytes.storeBytes(of: Self.magic.bigEndian, toByteOffset: offset, as: UInt32.self)
        bytes[offset + 4] = stream
        bytes.storeBytes(of: sender.bigEndian, toByteOffset: offset + 5, as: UInt16.self)
        bytes.storeBytes(of: sequence.bigEndian, toByteOffset: offset + 7, as: UInt32.self)
        bytes.storeBytes(of: UInt64(sentAt).bigEndian, toByteOffset: offset + 11, as: UInt64.self)
    }

    /// The stamp ending at `end`, if there is one.
    init?(in bytes: UnsafeRawBufferPointer, endingAt end: Int) {
        guard end >= Self.size, end <= bytes.count else { return nil }
        let offset = end - Self.size
        guard bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian == Self.magic else { return nil }
        stream = bytes[offset + 4]
        sender = bytes.loadUnaligned(fromByteOffset: offset + 5, as: UInt16.self).bigEndian
        sequence = bytes.loadUnaligned(fromByteOffset: offset + 7, as: UInt32.self).bigEndian
        sentAt = Int64(bitPattern: bytes.loadUnaligned(fromByteOffset: offset + 11, as: UInt64.self).bigEndian)
    }

    init(stream: UInt8, sender: UInt16, sequence: UInt32, sentAt: Int64) {
        self.stream = stream
        self.sender = sender
        self.sequence = sequence
        self.sentAt = sentAt
    }
}
