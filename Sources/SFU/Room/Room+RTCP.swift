#if canImport(Glibc)
import Glibc
#endif
import RTP
import WebRTC

/// RTCP is terminated per leg: feedback from subscribers is answered here or turned into
/// requests to publishers; reports are generated for each leg on a timer.
extension Room {
    func receiveRTCP(from id: ParticipantID, packet: UnsafeRawBufferPointer) {
        guard let participant = participants[id] else { return }
        let now = nowMicroseconds()
        var packets = RTCPCompoundIterator(packet)
        while let header = try? packets.next() {
            switch (header.packetType, header.countOrFormat) {
            case (.payloadSpecificFeedback, 1), (.payloadSpecificFeedback, 4):
                // PLI / FIR about a stream we send: ask that stream's publisher for a key frame
                // of the layer the subscriber is on (RFC 4585 §6.3.1, RFC 5104 §4.3.1).
                let ssrcOffset = header.countOrFormat == 4 ? 12 : 8
                guard header.range.count >= ssrcOffset + 4 else { continue }
                let ssrc = packet.loadUnaligned(fromByteOffset: header.range.lowerBound + ssrcOffset,
                                                as: UInt32.self).bigEndian
                guard let subscription = participant.subscriptionsBySSRC[ssrc],
                      let layer = subscription.currentLayer ?? subscription.selector.effectiveTargetLayer(at: now)
                else { continue }
                requestKeyFrame(subscription.publication, layer: layer, now: now)
            case (.payloadSpecificFeedback, RTCPReceiverEstimatedMaximumBitrate.format):
                // REMB about streams we send this participant: its downlink estimate.
                guard let remb = try? RTCPReceiverEstimatedMaximumBitrate(parsing: header, in: packet),
                      remb.feedbackSSRCs.ssrcs(in: packet).contains(where: { participant.subscriptionsBySSRC[$0] != nil })
                else { continue }
                participant.estimator.receivedREMB(bitsPerSecond: remb.bitrate, at: now)
                participant.congestion?.estimator.receivedREMB(bitsPerSecond: Int(clamping: remb.bitrate), at: now)
            case (.transportLayerFeedback, RTCPTransportFeedback.format):
                receivedTransportFeedback(header, in: packet, from: participant, now: now)
            case (.transportLayerFeedback, 1):
                // Generic NACK (RFC 4585 §6.2.1): resend from the publication's cache.
                guard let nack = try? RTCPGenericNACK(parsing: header, in: packet),
                      let subscription = participant.subscriptionsBySSRC[nack.sources.mediaSSRC] else { continue }
                for sequenceNumber in nack.lostSequenceNumbers(in: packet) {
                    retransmit(subscription, outputSequenceNumber: sequenceNumber, to: participant, now: now)
                }
            case (.senderReport, _):
                // A publisher's SR: remember it for the LSR/DLSR of our receiver reports.
                guard let report = try? RTCPSenderReport(parsing: header, in: packet),
                      let (publication, layer) = participant.layersBySSRC[report.senderSSRC] else { continue }
                publication.layers[layer].receiveStatistics.receivedSenderReport(
                    ntpTimestamp: report.senderInfo.ntpTimestamp, arrivalMicroseconds: now)
                noteReportBlocks(report.reportBlocks.blocks(in: packet), from: participant, now: now)
            case (.receiverReport, _):
                guard let report = try? RTCPReceiverReport(parsing: header, in: packet) else { continue }
                noteReportBlocks(report.reportBlocks.blocks(in: packet), from: participant, now: now)
            default:
                continue
            }
        }
    }

    /// A subscriber's report blocks about our streams give each subscription's round trip and
    /// loss; the worst loss feeds its bandwidth estimate.
    private func noteReportBlocks(_ blocks: RTCPReportBlockIterator, from participant: RoomParticipant, now: Int64) {
        let arrival = Self.ntpNow()
        var worstLoss: Double?
        for block in blocks {
            guard let subscription = participant.subscriptionsBySSRC[block.ssrc] else { continue }
            _ = subscription.senderReports.receivedReportBlock(block, arrival: arrival)
            let loss = Double(block.fractionLost) / 256
            subscription.reportedLoss = loss
            worstLoss = max(worstLoss ?? 0, loss)
        }
        if let worstLoss {
            participant.estimator.receivedLossReport(fractionLost: worstLoss,
                                                     sendingBitsPerSecond: sendingBitrate(to: participant), at: now)
        }
    }

    /// Every 20 ms: NACKs upstream. Every 100 ms: transport-cc feedback to publishers and the
    /// active speaker. Every 500 ms: layer bitrates and each subscriber's layers. Every second:
    /// receiver reports to publishers, sender reports to subscribers (RFC 3550 §6.2 allows
    /// reports this often for few members).
    func tick() {
        tickCount += 1
        let now = nowMicroseconds()
        if tickCount % 25 == 0 {
            for publication in publications.values {
                for layer in publication.layers { layer.bitrate.sample(at: now) }
            }
        }
        for participant in participants.values {
            sendUpstreamNACKs(for: participant, now: now)
            flushDataOutbox(of: participant)
            if tickCount % 5 == 0, var recorder = participant.transportWideFeedback {
                for feedback in recorder.poll(nowMicroseconds: now) {
                    _ = feedback.withUnsafeBytes { participant.publisherTransport.sendRTCP($0) }
                }
                participant.transportWideFeedback = recorder
            }
            if tickCount % 50 == 0 {
                sendReceiverReport(to: participant, now: now)
                sendSenderReports(to: participant, now: now)
                if participant.congestion != nil, let estimate = downlinkEstimate(of: participant, now: now) {
                    eventContinuation.yield(.downlinkEstimated(participant.id, availableBitrate: estimate,
                                                               allocatedBitrate: sendingBitrate(to: participant)))
                }
            }
            if tickCount % 25 == 0 { allocateLayers(for: participant, now: now) }
            probeIfWanted(for: participant, now: now)
            if tickCount % 100 == 0, let quality = rateConnection(of: participant) {
                eventContinuation.yield(.connectionQualityChanged(participant.id, quality))
            }
        }
        if tickCount % 5 == 0 { updateWantedLayers(now: now) }
        if tickCount % 5 == 0, let change = speakerDetector.evaluate(now: .now) {
            activeSpeaker = change.current
            eventContinuation.yield(.activeSpeakerChanged(change.current))
        }
        worker.flushPendingWrites()
    }

    /// Every 2 s: the participant's connection quality, when it changed.
    private func rateConnection(of participant: RoomParticipant) -> ConnectionQuality? {
        var sample = ConnectionQualityMeter.Sample(upstreamExpected: 0, upstreamReceived: 0, publishing: false)
        for trackID in participant.publications {
            guard let publication = publications[trackID] else { continue }
            sample.publishing = sample.publishing || !publication.muted
            for layer in publication.layers {
                sample.upstreamExpected += layer.receiveStatistics.packetsExpected
                sample.upstreamReceived += layer.receiveStatistics.packetsReceived
            }
        }
        for subscription in participant.subscriptionsBySSRC.values {
            if let loss = subscription.reportedLoss { sample.downstreamLoss = max(sample.downstreamLoss ?? 0, loss) }
            if let roundTrip = subscription.senderReports.roundTripTimeMicroseconds {
                sample.roundTripMicroseconds = max(sample.roundTripMicroseconds ?? 0, roundTrip)
            }
        }
        return participant.quality.evaluate(sample)
    }

    private func sendUpstreamNACKs(for participant: RoomParticipant, now: Int64) {
        for trackID in participant.publications {
            guard let publication = publications[trackID] else { continue }
            for layer in publication.layers {
                guard let mediaSSRC = layer.ssrc else { continue }
                nackScratch.removeAll(keepingCapacity: true)
                layer.nackGenerator.poll(nowMicroseconds: now, roundTripTimeMicroseconds: 50_000, into: &nackScratch)
                guard !nackScratch.isEmpty,
                      let nack = try? RTCPGenericNACK.build(
                        sources: RTCPFeedbackSources(senderSSRC: rtcpSenderSSRC, mediaSSRC: mediaSSRC),
                        lostSequenceNumbers: nackScratch) else { continue }
                _ = nack.withUnsafeBytes { participant.publisherTransport.sendRTCP($0) }
            }
        }
    }

    private func sendReceiverReport(to participant: RoomParticipant, now: Int64) {
        var blocks: [RTCPReportBlock] = []
        for trackID in participant.publications {
            guard let publication = publications[trackID] else { continue }
            for layer in publication.layers {
                if let block = layer.receiveStatistics.makeReportBlock(nowMicroseconds: now) { blocks.append(block) }
            }
        }
        // RFC 3550 §6.4.2: at most 31 blocks per RR; more would need a second packet.
        guard !blocks.isEmpty,
              let report = try? RTCPReceiverReport.build(senderSSRC: rtcpSenderSSRC,
                                                         reportBlocks: Array(blocks.prefix(31))) else { return }
        _ = report.withUnsafeBytes { participant.publisherTransport.sendRTCP($0) }
    }

    private func sendSenderReports(to participant: RoomParticipant, now: Int64) {
        let ntpNow = Self.ntpNow()
        for subscription in participant.subscriptionsBySSRC.values {
            guard let info = subscription.senderReports.senderInfo(nowMicroseconds: now, ntpNow: ntpNow),
                  let report = try? RTCPSenderReport.build(senderSSRC: subscription.ssrc, senderInfo: info)
            else { continue }
            _ = report.withUnsafeBytes { participant.subscriberTransport.sendRTCP($0) }
        }
    }

    /// Wall-clock time as NTP, for sender reports (the RTP side comes from the output stream).
    static func ntpNow() -> NTPTimestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return NTPTimestamp(unixNanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }
}
