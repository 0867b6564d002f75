import RTP

/// Bytes from a hex string; whitespace and anything that is not a hex digit is ignored.
func rtcpHex(_ text: String) -> [UInt8] {
    var result: [UInt8] = []
    var high: UInt8?
    for character in text.utf8 {
        let value: UInt8
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
        default: continue
        }
        if let pending = high {
            result.append(pending << 4 | value)
            high = nil
        } else {
            high = value
        }
    }
    return result
}

/// Every header of a compound datagram, or the error that stopped the walk.
func rtcpHeaders(_ bytes: [UInt8]) -> (headers: [RTCPHeader], error: RTCPError?) {
    bytes.withUnsafeBytes { buffer in
        var iterator = RTCPCompoundIterator(buffer)
        var headers: [RTCPHeader] = []
        do throws(RTCPError) {
            while let header = try iterator.next() { headers.append(header) }
            return (headers, nil)
        } catch {
            return (headers, error)
        }
    }
}

/// Parses the first packet of `bytes` with `body`.
func rtcpParseFirst<T>(_ bytes: [UInt8], _ body: (RTCPHeader, UnsafeRawBufferPointer) throws(RTCPError) -> T) throws(RTCPError) -> T {
    var result: Result<T, RTCPError> = .failure(.truncated(needed: 4, available: 0))
    bytes.withUnsafeBytes { buffer in
        do throws(RTCPError) {
            let header = try RTCPHeader.parse(buffer)
            result = .success(try body(header, buffer))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

/// The text of a range in `bytes`.
func rtcpText(_ bytes: [UInt8], _ range: Range<Int>?) -> String? {
    guard let range else { return nil }
    return String(decoding: bytes[range], as: UTF8.self)
}

/// Runs every typed parser on every packet of `bytes`, ignoring errors: used to show
/// hostile input never crashes.
func rtcpParseEverything(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
        var iterator = RTCPCompoundIterator(buffer)
        while true {
            let next: RTCPHeader?
            do throws(RTCPError) { next = try iterator.next() } catch { return }
            guard let header = next else { return }
            if let report = try? RTCPSenderReport(parsing: header, in: buffer) {
                for _ in report.reportBlocks.blocks(in: buffer) {}
            }
            if let report = try? RTCPReceiverReport(parsing: header, in: buffer) {
                for _ in report.reportBlocks.blocks(in: buffer) {}
                _ = try? report.reportBlocks.block(at: 0, in: buffer)
            }
            if let description = try? RTCPSourceDescription(parsing: header, in: buffer) {
                for chunk in description.chunks(in: buffer) {
                    for _ in chunk.items(in: buffer) {}
                }
            }
            if let goodbye = try? RTCPGoodbye(parsing: header, in: buffer) {
                for _ in goodbye.sources.ssrcs(in: buffer) {}
            }
            if let nack = try? RTCPGenericNACK(parsing: header, in: buffer) {
                for _ in nack.lostSequenceNumbers(in: buffer) {}
            }
            _ = try? RTCPTransportFeedback(parsing: header, in: buffer)
            _ = try? RTCPPictureLossIndication(parsing: header, in: buffer)
            if let fir = try? RTCPFullIntraRequest(parsing: header, in: buffer) {
                for index in 0..<fir.entryCount { _ = try? fir.entry(at: index, in: buffer) }
            }
            if let remb = try? RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: buffer) {
                _ = remb.bitrate
                for _ in remb.feedbackSSRCs.ssrcs(in: buffer) {}
            }
            if let report = try? RTCPExtendedReport(parsing: header, in: buffer) {
                for block in report.blocks(in: buffer) {
                    _ = try? RTCPReceiverReferenceTime(parsing: block, in: buffer)
                    if let dlrr = try? RTCPDelaySinceLastReceiverReport(parsing: block, in: buffer) {
                        for index in 0..<dlrr.subBlockCount { _ = try? dlrr.subBlock(at: index, in: buffer) }
                    }
                }
            }
        }
    }
}

/// Deterministic pseudo-random numbers for fuzz-style tests (SplitMix64).
struct RTCPTestRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

enum RTCPTestVectors {
    /// A real RTCP datagram from a browser packet dump (published with the pion/rtcp
    /// test suite): RR (1 block), SDES (CNAME), BYE, PLI, RTPFB FMT=5 (RRR).
    static let packetDump = rtcpHex("""
        81 c9 00 07 90 2f 9e 2e bc 5e 9a 40 00 00 00 00 00 00 46 e1 00 00 01 11 09 f3 64 32 00 02 4a 79
        81 ca 00 0c 90 2f 9e 2e 01 26
        7b 39 63 30 30 65 62 39 32 2d 31 61 66 62 2d 39 64 34 39 2d 61 34 37 64 2d 39 31 66 36 34 65 65 65 36 39 66 35 7d
        00 00 00 00
        81 cb 00 01 90 2f 9e 2e
        81 ce 00 02 90 2f 9e 2e 90 2f 9e 2e
        85 cd 00 02 90 2f 9e 2e 90 2f 9e 2e
        """)

    /// A real Chrome REMB (published with the amazon-kinesis-video-streams-webrtc-sdk-c
    /// tests) after the receiver report of the dump above: the RR+REMB compound Chrome sends.
    static let receiverReportAndREMB = Array(packetDump[0..<32]) + rtcpHex("""
        8f ce 00 05 61 7a 37 43 00 00 00 00 52 45 4d 42 01 12 46 73 6c 76 e8 55
        """)

    /// SR (no report blocks) + SDES with a 16-character CNAME, laid out as Chrome sends
    /// them (reconstructed by hand, values invented).
    static let senderReportAndSDES = rtcpHex("""
        80 c8 00 06 4b 3d 2a 19 e9 1f 3a 5c 80 00 00 00 00 01 5f 90 00 00 03 e8 00 01 86 a0
        81 ca 00 06 4b 3d 2a 19 01 10 61 42 63 44 65 46 67 48 69 4a 6b 4c 6d 4e 6f 50 00 00
        """)
}
