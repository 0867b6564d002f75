import Benchmark
import ICE

/// The per-check cost of ICE-lite: every consent freshness check (RFC 7675, about one per
/// second per peer once connected, more during connectivity checks) costs this much.
///
/// 1000 checks per measured iteration (`scalingFactor: .kilo`); the table shows time and
/// mallocs per check. Mallocs include OpenSSL's (HMAC-SHA1).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           scalingFactor: .kilo, maxDuration: .seconds(2))

    // RFC 8489 §14.5, §14.7: parse the request, then check MESSAGE-INTEGRITY (HMAC-SHA1 over
    // the message with the length field patched, since FINGERPRINT follows) and FINGERPRINT
    // (CRC-32).
    Benchmark("STUN binding request parse + integrity + fingerprint") { benchmark in
        guard let request = ICEBenchmarkMessages.chromeBindingRequest() else {
            benchmark.error("could not build the binding request")
            return
        }
        let key = Array(ICEBenchmarkMessages.sfu.password.utf8)
        request.withUnsafeBytes { message in
            key.withUnsafeBytes { key in
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    do {
                        let parsed = try STUNMessage(parsing: message)
                        let valid = parsed.verifyMessageIntegrity(key: key, in: message)
                            && parsed.verifyFingerprint(in: message)
                        guard valid else {
                            benchmark.error("the request did not verify")
                            return
                        }
                        blackHole(parsed)
                    } catch {
                        benchmark.error("parse failed: \(error)")
                        return
                    }
                }
                benchmark.stopMeasurement()
            }
        }
    }

    // The pure-Swift part of the above, to tell its cost (and allocations) from OpenSSL's
    // HMAC: parse (RFC 8489 §5, §14) and the CRC-32 FINGERPRINT check.
    Benchmark("STUN binding request parse + fingerprint (no HMAC)") { benchmark in
        guard let request = ICEBenchmarkMessages.chromeBindingRequest() else {
            benchmark.error("could not build the binding request")
            return
        }
        request.withUnsafeBytes { message in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                do {
                    let parsed = try STUNMessage(parsing: message)
                    guard parsed.verifyFingerprint(in: message) else {
                        benchmark.error("the fingerprint did not verify")
                        return
                    }
                    blackHole(parsed)
                } catch {
                    benchmark.error("parse failed: \(error)")
                    return
                }
            }
            benchmark.stopMeasurement()
        }
    }

    // RFC 8445 §7.3: the whole answer of the lite agent: parse, FINGERPRINT, USERNAME,
    // MESSAGE-INTEGRITY, then a success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY
    // and FINGERPRINT written into a reused buffer.
    Benchmark("ICE-lite binding request -> response") { benchmark in
        guard let request = ICEBenchmarkMessages.chromeBindingRequest() else {
            benchmark.error("could not build the binding request")
            return
        }
        let now = ContinuousClock.now
        let agent = ICELiteAgent(local: ICEBenchmarkMessages.sfu, remote: ICEBenchmarkMessages.chrome, now: now)
        let source = STUNTransportAddress(ipv4: 192, 168, 1, 23, port: 54_321)
        var response = [UInt8](repeating: 0, count: 1500)
        request.withUnsafeBytes { message in
            response.withUnsafeMutableBytes { response in
                // The first answer nominates the address; later ones only renew consent.
                guard case .respond = agent.handleBindingRequest(message, from: source, now: now, response: response)
                else {
                    benchmark.error("the agent did not answer with a success response")
                    return
                }
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(agent.handleBindingRequest(message, from: source, now: now, response: response))
                }
                benchmark.stopMeasurement()
            }
        }
    }
}

/// A connectivity check as Chrome sends it to an ICE-lite SFU (RFC 8445 §7.2.2): USERNAME
/// "sfuUfrag:chromeUfrag", PRIORITY (peer-reflexive priority), ICE-CONTROLLING, USE-CANDIDATE,
/// MESSAGE-INTEGRITY keyed with the SFU's password, FINGERPRINT. (Chrome also adds the
/// comprehension-optional GOOG-NETWORK-INFO, which the builder does not write.)
enum ICEBenchmarkMessages {
    static let sfu = ICECredentials(usernameFragment: "pA7lEy9Q", password: "Zq3vT8nK0wLx5rB2yH6cJ4dF")
    static let chrome = ICECredentials(usernameFragment: "x1Kq", password: "9dPq0kUWbAhCkLZ8XTy1mEvN")

    static func chromeBindingRequest() -> [UInt8]? {
        try? STUNMessageBuilder.bindingRequest(
            transactionID: STUNTransactionID(word0: 0x6A4F_2B11, word1: 0x93C0_7D25, word2: 0x0E81_F4A6),
            username: "\(sfu.usernameFragment):\(chrome.usernameFragment)",
            key: Array(sfu.password.utf8), priority: 1_853_824_767,
            role: .controlling(tieBreaker: 0x1C4F_9E27_B03A_6D58), useCandidate: true)
    }
}
