/// A master key and master salt for one direction of an SRTP session.
public struct SRTPMasterKey: Sendable, Equatable {
    public let key: [UInt8]
    public let salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }

    /// Splits the keying material exported from DTLS (label `EXTRACTOR-dtls_srtp`, length
    /// `2 * (keyLength + saltLength)`) into the client's and the server's master keys.
    /// RFC 5764 §4.2: client key | server key | client salt | server salt.
    public static func fromDTLSKeyingMaterial(_ material: [UInt8], profile: SRTPProfile)
        throws(SRTPError) -> (client: SRTPMasterKey, server: SRTPMasterKey) {
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        guard material.count == 2 * (keyLength + saltLength) else {
            throw .invalidKeyLength(expected: 2 * (keyLength + saltLength), actual: material.count)
        }
        let clientKey = Array(material[0..<keyLength])
        let serverKey = Array(material[keyLength..<2 * keyLength])
        let clientSalt = Array(material[2 * keyLength..<2 * keyLength + saltLength])
        let serverSalt = Array(material[(2 * keyLength + saltLength)...])
        return (SRTPMasterKey(key: clientKey, salt: clientSalt), SRTPMasterKey(key: serverKey, salt: serverSalt))
    }
}
