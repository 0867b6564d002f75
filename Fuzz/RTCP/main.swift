// libFuzzer target: compound RTCP (RFC 3550 §6.1) and every packet the iterator yields, parsed
// by `RTCPPacket(parsing:in:)`, then each lazily read part walked: report blocks, SDES chunks
// and items, BYE sources, NACK pairs and lost sequence numbers, transport-cc results, FIR
// entries, REMB SSRCs, XR blocks (RRTR, DLRR sub-blocks). Built with the RTP module sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var iterator = RTCPCompoundIterator(bytes)
    var packets = 0
    while true {
        let next: RTCPHeader?
        do { next = try iterator.next() } catch { break }
        guard let header = next else { break }
        packets += 1
        fuzzCheck(packets <= size / 4 + 1, "more packets than 32-bit words")
        fuzzCheck(fuzzInside(header.range, size) && !header.range.isEmpty, "header range \(header.range)")
        fuzzCheck(header.payloadRange.lowerBound >= header.range.lowerBound
                  && header.payloadRange.upperBound <= header.range.upperBound, "payload outside packet")
        guard let packet = try? RTCPPacket(parsing: header, in: bytes) else { continue }
        walk(packet, in: bytes)
    }
    return 0
}

/// Reads every lazily parsed part; counts are bounded by the datagram, so the loops end.
private func walk(_ packet: RTCPPacket, in bytes: UnsafeRawBufferPointer) {
    let size = bytes.count
    switch packet {
    case let .senderReport(report):
        walk(report.reportBlocks, in: bytes)
        fuzzCheck(fuzzInside(report.profileExtensionRange, size), "SR profile extension")
    case let .receiverReport(report):
        walk(report.reportBlocks, in: bytes)
        fuzzCheck(fuzzInside(report.profileExtensionRange, size), "RR profile extension")
    case let .sourceDescription(description):
        var chunks = 0
        for chunk in description.chunks(in: bytes) {
            chunks += 1
            fuzzCheck(chunks <= description.chunkCount, "more SDES chunks than SC")
            fuzzCheck(fuzzInside(chunk.itemsRange, size), "SDES items range")
            var items = 0
            for item in chunk.items(in: bytes) {
                items += 1
                fuzzCheck(items <= size, "SDES item loop")
                fuzzCheck(fuzzInside(item.valueRange, size), "SDES item value")
            }
            if let cname = chunk.cname(in: bytes) { fuzzCheck(fuzzInside(cname, size), "CNAME range") }
        }
    case let .goodbye(goodbye):
        walk(goodbye.sources, in: bytes)
        if let reason = goodbye.reasonRange { fuzzCheck(fuzzInside(reason, size), "BYE reason") }
    case let .genericNACK(nack):
        fuzzCheck(fuzzInside(nack.pairsRange, size), "NACK pairs")
        var pairs = 0
        for _ in nack.pairs(in: bytes) { pairs += 1 }
        fuzzCheck(pairs == nack.pairCount, "NACK pair count \(pairs) vs \(nack.pairCount)")
        var lost = 0
        for _ in nack.lostSequenceNumbers(in: bytes) { lost += 1 }
        fuzzCheck(lost <= 17 * pairs, "NACK lost count")
    case let .transportFeedback(feedback):
        fuzzCheck(feedback.packets.count <= feedback.packetStatusCount, "TWCC results \(feedback.packets.count) > status count")
        _ = feedback.referenceTimeMicroseconds
    case .pictureLossIndication:
        break
    case let .fullIntraRequest(request):
        fuzzCheck(fuzzInside(request.entriesRange, size), "FIR entries")
        for index in 0..<request.entryCount { _ = try? request.entry(at: index, in: bytes) }
        _ = try? request.entry(at: request.entryCount, in: bytes)
    case let .receiverEstimatedMaximumBitrate(remb):
        _ = remb.bitrate
        walk(remb.feedbackSSRCs, in: bytes)
    case let .extendedReport(report):
        fuzzCheck(fuzzInside(report.blocksRange, size), "XR blocks")
        var blocks = 0
        for block in report.blocks(in: bytes) {
            blocks += 1
            fuzzCheck(blocks <= size / 4, "XR block loop")
            fuzzCheck(fuzzInside(block.range, size), "XR block range")
            _ = try? RTCPReceiverReferenceTime(parsing: block, in: bytes)
            if let dlrr = try? RTCPDelaySinceLastReceiverReport(parsing: block, in: bytes) {
                for index in 0..<dlrr.subBlockCount { _ = try? dlrr.subBlock(at: index, in: bytes) }
                _ = try? dlrr.subBlock(at: dlrr.subBlockCount, in: bytes)
                _ = try? dlrr.subBlock(at: -1, in: bytes)
            }
        }
    case .other:
        break
    }
}

private func walk(_ list: RTCPReportBlockList, in bytes: UnsafeRawBufferPointer) {
    fuzzCheck(fuzzInside(list.range, bytes.count), "report block list")
    var count = 0
    for _ in list.blocks(in: bytes) { count += 1 }
    fuzzCheck(count == list.count, "report blocks \(count) vs \(list.count)")
    _ = try? list.block(at: list.count, in: bytes)
}

private func walk(_ list: RTCPSSRCList, in bytes: UnsafeRawBufferPointer) {
    fuzzCheck(fuzzInside(list.range, bytes.count), "SSRC list")
    var count = 0
    for _ in list.ssrcs(in: bytes) { count += 1 }
    fuzzCheck(count == list.count, "SSRCs \(count) vs \(list.count)")
    _ = try? list.ssrc(at: list.count, in: bytes)
    _ = try? list.ssrc(at: -1, in: bytes)
}
