/// Random text in the alphabet `0-9A-Za-z`: safe in URLs, config files and shells unquoted.
enum Base62 {
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `count` characters, each uniform over the 62 symbols. Bytes of 248 and above are drawn
    /// again (248 = 4 × 62), so `byte % 62` has no modulo bias.
    static func random(count: Int, using generator: inout some RandomNumberGenerator) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(count)
        while characters.count < count {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            if byte < 248 {
                characters.append(alphabet[Int(byte % 62)])
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }

    static func isBase62(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "0"..."9", "A"..."Z", "a"..."z": true
        default: false
        }
    }
}
