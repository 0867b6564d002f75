import COpenSSL

/// The SRTP key derivation function (RFC 3711 §4.3.1, the AES-CM PRF with a key derivation rate
/// of 0): a session key or salt is the AES-CTR key stream under the master key, starting from the
/// master salt XORed with the label. RFC 7714's 96-bit salts are taken as 112 bits by appending
/// two zero bytes (RFC 7714 erratum 4938), as libsrtp2 does.
enum SRTPKeyDerivation {
    enum Label: UInt8 {
        case rtpEncryption = 0x00
        case rtpAuthentication = 0x01
        case rtpSalt = 0x02
    }

    static func derive(_ label: Label, length: Int, from masterKey: SRTPMasterKey) throws(SRTPError) -> [UInt8] {
        guard masterKey.key.count == 16, masterKey.salt.count <= 14 else {
            throw .invalidKeyLength(expected: 16 + 14, actual: masterKey.key.count + masterKey.salt.count)
        }
        // x = (label || r) XOR master salt, both 112 bits and right-aligned: the label lands in
        // byte 7 (r = 0). The counter block is x * 2^16.
        var counterBlock = masterKey.salt + [UInt8](repeating: 0, count: 16 - masterKey.salt.count)
        counterBlock[7] ^= label.rawValue
        let zeros = [UInt8](repeating: 0, count: length)
        var output = [UInt8](repeating: 0, count: length + 16)
        guard let context = EVP_CIPHER_CTX_new() else { throw .library(status: 0, operation: "EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        var written: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_aes_128_ctr(), nil, masterKey.key, counterBlock) == 1,
              EVP_EncryptUpdate(context, &output, &written, zeros, Int32(length)) == 1 else {
            throw .library(status: 0, operation: "SRTP key derivation")
        }
        return Array(output[0..<length])
    }
}
