import DTLS
import Foundation
import Testing

@Suite struct DTLSCertificateTests {
    @Test func freshCertificateIsSelfSignedP256WithSHA256Fingerprint() throws {
        let certificate = try DTLSCertificate.generateSelfSigned()
        #expect(certificate.isValidlySelfSigned)
        #expect(certificate.keyBits == 256)
        #expect(certificate.fingerprint.algorithm == "sha-256")
        #expect(certificate.fingerprint.bytes.count == 32)
        // SDP form: 32 upper-case hex pairs joined by colons.
        let value = certificate.fingerprint.sdpValue
        #expect(value.count == 32 * 3 - 1)
        #expect(value.allSatisfy { $0 == ":" || $0.isHexDigit && !$0.isLowercase })
    }

    @Test func twoFreshCertificatesHaveDifferentFingerprints() throws {
        let first = try DTLSCertificate.generateSelfSigned()
        let second = try DTLSCertificate.generateSelfSigned()
        #expect(first.fingerprint != second.fingerprint)
    }

    @Test func pemRoundTripKeepsTheFingerprint() throws {
        let original = try DTLSCertificate.generateSelfSigned()
        let pem = try original.pemEncoded()
        #expect(pem.contains("-----BEGIN CERTIFICATE-----"))
        #expect(pem.contains("-----BEGIN PRIVATE KEY-----"))
        let reloaded = try DTLSCertificate(pem: pem)
        #expect(reloaded.fingerprint == original.fingerprint)
        #expect(reloaded.isValidlySelfSigned)
    }

    @Test func pemWithoutKeyIsRejected() throws {
        let pem = try DTLSCertificate.generateSelfSigned().pemEncoded()
        let keyStart = try #require(pem.range(of: "-----BEGIN PRIVATE KEY-----")).lowerBound
        let certificateOnly = String(pem[..<keyStart])
        #expect(throws: DTLSError.self) { try DTLSCertificate(pem: certificateOnly) }
        #expect(throws: DTLSError.self) { try DTLSCertificate(pem: "not a pem") }
    }

    @Test func pemWithAnotherCertificatesKeyIsRejected() throws {
        let first = try DTLSCertificate.generateSelfSigned().pemEncoded()
        let second = try DTLSCertificate.generateSelfSigned().pemEncoded()
        let keyMarker = "-----BEGIN PRIVATE KEY-----"
        let firstKeyStart = try #require(first.range(of: keyMarker)).lowerBound
        let secondKeyStart = try #require(second.range(of: keyMarker)).lowerBound
        let mixed = String(first[..<firstKeyStart]) + String(second[secondKeyStart...])
        #expect(throws: DTLSError.invalidPEM("the private key does not match the certificate")) {
            try DTLSCertificate(pem: mixed)
        }
    }

    @Test func contextAcceptsTheCertificateAndBothSRTPProfiles() throws {
        let certificate = try DTLSCertificate.generateSelfSigned()
        let context = try DTLSContext(certificate: certificate)
        #expect(context.srtpProfiles == [.aeadAES128GCM, .aes128CMHMACSHA1_80])
        #expect(context.certificate.fingerprint == certificate.fingerprint)
    }
}

@Suite struct CertificateFingerprintTests {
    @Test func parsesSDPValueInEitherCase() throws {
        let bytes: [UInt8] = (0..<32).map { UInt8($0 * 7 & 0xFF) }
        let upper = CertificateFingerprint(algorithm: "SHA-256", bytes: bytes)
        #expect(upper.algorithm == "sha-256")
        let parsed = try CertificateFingerprint(algorithm: "sha-256", sdpValue: upper.sdpValue.lowercased())
        #expect(parsed == upper)
    }

    @Test(arguments: ["", "AB", "AB:CD:", "GG:" + String(repeating: "AA:", count: 30) + "AA", "ABC:DE"])
    func rejectsMalformedSDPValues(_ value: String) {
        #expect(throws: DTLSError.invalidFingerprint(value)) {
            try CertificateFingerprint(algorithm: "sha-256", sdpValue: value)
        }
    }
}
