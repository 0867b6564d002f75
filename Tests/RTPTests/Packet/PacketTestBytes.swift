/// Parses hex with arbitrary whitespace into bytes; test vectors are written this way.
func packetTestBytes(hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var high: UInt8?
    for character in hex.unicodeScalars {
        let nibble: UInt8
        switch character.value {
        case 0x30...0x39: nibble = UInt8(character.value - 0x30)
        case 0x61...0x66: nibble = UInt8(character.value - 0x61 + 10)
        case 0x41...0x46: nibble = UInt8(character.value - 0x41 + 10)
        default: continue
        }
        if let pending = high {
            bytes.append(pending << 4 | nibble)
            high = nil
        } else {
            high = nibble
        }
    }
    return bytes
}

/// A Chrome-style VP8 packet: PT 96, one-byte extensions abs-send-time (id 2),
/// transport-wide-cc (id 3), mid (id 4), rid (id 10), one zero padding byte.
let chromeVP8Packet = packetTestBytes(hex: """
    90 60 1f 4a  4b 3c 2d 1e  a1 b2 c3 d4
    be de 00 03  22 12 34 56  31 01 a5 40  30 a0 68 00
    90 e0 2a 58  f0 01 9d 01  2a 80 02 e0  01
    """)
