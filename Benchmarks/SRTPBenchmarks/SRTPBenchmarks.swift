import Benchmark
import SRTP

/// One packet's protect + unprotect, in place, as a forwarded packet costs the server
/// (unprotect from the publisher, protect towards each subscriber). Packets carry a fresh
/// sequence number each time so replay protection behaves as in real traffic.
///
/// Steady state: the sessions use `ssrc_any_*` policies, so libsrtp clones a per-SSRC stream
/// (key derivation, allocations) on the first packet of each SSRC. One packet outside the
/// measurement takes that cost; then 1000 packets per measured iteration (`scalingFactor:
/// .kilo`), and the table shows time and mallocs per packet.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           scalingFactor: .kilo, maxDuration: .seconds(3))
    for profile in SRTPProfile.allCases {
        for payloadSize in [100, 1200] {
            Benchmark("SRTP protect+unprotect \(profile) \(payloadSize) B") { benchmark in
                let key = SRTPMasterKey(key: [UInt8](repeating: 0x11, count: profile.masterKeyLength),
                                        salt: [UInt8](repeating: 0x22, count: profile.masterSaltLength))
                guard let sender = try? SRTPSession(profile: profile, masterKey: key, direction: .sending),
                      let receiver = try? SRTPSession(profile: profile, masterKey: key, direction: .receiving)
                else {
                    benchmark.error("could not create the SRTP sessions")
                    return
                }
                var storage = [UInt8](repeating: 0xAB, count: 12 + payloadSize + 32)
                var sequenceNumber: UInt16 = 0
                withExtendedLifetime((sender, receiver)) {
                    storage.withUnsafeMutableBytes { buffer in
                        /// Writes a fresh RTP header, protects and unprotects; false on failure.
                        func roundTrip() -> Bool {
                            sequenceNumber &+= 1
                            // RTP header: V=2, PT 96, sequence number, timestamp, SSRC.
                            buffer[0] = 0x80; buffer[1] = 96
                            buffer[2] = UInt8(sequenceNumber >> 8); buffer[3] = UInt8(sequenceNumber & 0xFF)
                            buffer[8] = 0x12; buffer[9] = 0x34; buffer[10] = 0x56; buffer[11] = 0x78
                            guard let protected = try? sender.protectRTP(buffer, length: 12 + payloadSize),
                                  let unprotected = try? receiver.unprotectRTP(buffer, length: protected)
                            else { return false }
                            blackHole(unprotected)
                            return true
                        }
                        // First packet of the SSRC: libsrtp creates the stream here.
                        guard roundTrip() else {
                            benchmark.error("the first packet failed to round-trip")
                            return
                        }
                        benchmark.startMeasurement()
                        for _ in benchmark.scaledIterations {
                            guard roundTrip() else {
                                benchmark.error("a packet failed to round-trip")
                                return
                            }
                        }
                        benchmark.stopMeasurement()
                    }
                }
            }
        }
    }
}
