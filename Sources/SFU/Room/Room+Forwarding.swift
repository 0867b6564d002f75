import RTP
import WebRTC

/// The data path: one publisher packet in, a rewritten copy out to each subscription.
extension Room {
    /// - Parameter rebuiltFromRTX: a packet rebuilt from an RTX one, whose transport-wide number
    ///   was acknowledged as it arrived, and whose bytes are a repair, not the layer's rate.
    func receiveRTP(from id: ParticipantID, packet: UnsafeMutableRawBufferPointer, rebuiltFromRTX: Bool = false) {
        guard let participant = participants[id],
              let header = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)) else { return }
        // Every packet the publisher numbered is acknowledged, whatever becomes of it here:
        // RTX, padding-only probes and not-yet-known SSRCs too. A number left out of the
        // feedback reads as a loss to the publisher's estimator (a browser's probes are RTX
        // padding, so leaving them out kept its uplink estimate near nothing).
        if !rebuiltFromRTX, let id = participant.transportWideSequenceExtensionID,
           let sequence = (try? header.extensionValue(TransportWideSequenceNumberExtension.self, id: id,
                                                       in: UnsafeRawBufferPointer(packet))) ?? nil {
            participant.transportWideFeedback?.record(sequenceNumber: sequence.sequenceNumber,
                                                      arrivalMicroseconds: nowMicroseconds())
            // libwebrtc ignores feedback whose media SSRC is not one it sends (its probes
            // before media use SSRC 0, which is not).
            if header.ssrc != 0 { participant.transportWideFeedback?.mediaSSRC = header.ssrc }
        }
        if let (publication, layer) = participant.rtxLayersBySSRC[header.ssrc] {
            receiveRetransmission(from: participant, packet: packet, header: header, publication: publication,
                                  layer: layer)
            return
        }
        guard let (publication, layerIndex) = participant.layersBySSRC[header.ssrc]
                ?? learnLayer(of: participant, from: header, in: UnsafeRawBufferPointer(packet)) else {
            if let (publication, layer) = learnRepairStream(of: participant, from: header, in: UnsafeRawBufferPointer(packet)) {
                receiveRetransmission(from: participant, packet: packet, header: header, publication: publication,
                                      layer: layer)
                return
            }
            packetsFromUnknownSSRC += 1
            return
        }
        let now = nowMicroseconds()
        let bytes = UnsafeRawBufferPointer(packet)
        let extensions = publication.description

        if let id = extensions.audioLevelExtensionID,
           let level = (try? header.extensionValue(AudioLevelExtension.self, id: id, in: bytes)) ?? nil {
            speakerDetector.observe(publication.owner, audioLevel: level, at: .now)
        }

        var dependencyDescriptor: DependencyDescriptor?
        if let id = extensions.dependencyDescriptorExtensionID,
           let range = (try? header.extensionValueRange(id: id, in: bytes)) ?? nil {
            let layer = publication.layers[layerIndex]
            dependencyDescriptor = try? DependencyDescriptor.parse(UnsafeRawBufferPointer(rebasing: bytes[range]),
                                                                   structure: layer.dependencyStructure)
            if let structure = dependencyDescriptor?.attachedStructure { layer.dependencyStructure = structure }
        }

        // What was the publisher's connection's alone is read above; now it becomes padding,
        // and what subscribers get moves into their extension id space.
        let map = publication.extensionIDMap
        header.rewriteExtensionIDs({ map[Int($0)] == 0 ? nil : map[Int($0)] }, in: packet)

        // Upstream: statistics for receiver reports, losses to NACK, a copy for retransmissions.
        let layer = publication.layers[layerIndex]
        layer.receiveStatistics.received(sequenceNumber: header.sequenceNumber, rtpTimestamp: header.timestamp,
                                         arrivalMicroseconds: now)
        if case .keyFrameRequired = layer.nackGenerator.received(sequenceNumber: header.sequenceNumber,
                                                                nowMicroseconds: now) {
            requestKeyFrame(publication, layer: layerIndex, now: now)
        }
        try? layer.cache.store(bytes, sequenceNumber: header.sequenceNumber, sendTimeMicroseconds: now)
        // What the layer costs a subscriber: repairs (and libwebrtc's RTX probes) are not it.
        if !rebuiltFromRTX { layer.bitrate.add(bytes: bytes.count) }

        // The codec's view of the packet, parsed once for all subscriptions.
        let payload = UnsafeMutableRawBufferPointer(rebasing: packet[header.payloadRange])
        var vp8: VP8Descriptor?
        var layerInfo: SimulcastPacketInfo?
        if publication.description.kind == .video {
            if publication.codecKind == .vp8 {
                vp8 = try? VP8Descriptor.parse(UnsafeRawBufferPointer(payload))
                if let vp8 {
                    layerInfo = SimulcastPacketInfo(spatialLayer: layerIndex, timestamp: header.timestamp,
                                                    marker: header.marker, arrivalMicroseconds: now, vp8: vp8)
                }
            } else {
                layerInfo = SimulcastPacketInfo(codec: publication.codecKind, spatialLayer: layerIndex,
                                                timestamp: header.timestamp, marker: header.marker,
                                                arrivalMicroseconds: now, payload: UnsafeRawBufferPointer(payload))
                // The dependency descriptor, where there is one, knows the temporal layers.
                if layerInfo != nil, let dependencyDescriptor {
                    layerInfo = SimulcastPacketInfo(spatialLayer: layerIndex, timestamp: header.timestamp,
                                                    arrivalMicroseconds: now, dependencyDescriptor: dependencyDescriptor)
                }
            }
            // Not the codec it claims to be: nothing a subscriber could decode.
            guard layerInfo != nil else {
                undecodablePackets += 1
                return
            }
        }

        for subscription in publication.subscriptions.values {
            guard let subscriber = participants[subscription.subscriber] else { continue }
            var forward = !publication.muted
            if let layerInfo {
                let selection = subscription.selector.select(layerInfo)
                if selection.switchedToSpatialLayer != nil { subscription.switchedLayer() }
                if let needed = selection.keyFrameNeededForSpatialLayer {
                    requestKeyFrame(publication, layer: needed, now: now)
                }
                forward = forward && selection.forward
            } else if subscription.preferences.paused {
                forward = false
            }
            var picture: VP8PictureIDMapping?
            if let vp8 {
                picture = subscription.pictureRewriter.map(
                    sourceSSRC: header.ssrc, pictureID: vp8.pictureID, pictureIDIs15Bit: vp8.pictureIDIs15Bit,
                    tl0PictureIndex: vp8.tl0PictureIndex, forward: forward)
                if picture == nil { forward = false }
            }
            let result = subscription.rewriter.process(
                sourceSSRC: header.ssrc, sequenceNumber: header.sequenceNumber, timestamp: header.timestamp,
                marker: header.marker, arrivalMicroseconds: now, forward: forward)
            // A second copy of a packet already sent (a duplicate, or the publisher's RTX of one
            // that was not lost: libwebrtc probes with such RTX) is not sent again: the
            // subscriber's SRTP would drop it as a replay, and with a new transport-wide number
            // appended it would be new plaintext under a used AES-GCM nonce (RFC 7714 §8).
            guard case .forward(let output) = result, output.order != .repeated else { continue }

            // Rewrite the shared buffer for this subscriber (every field is set from the
            // original values each time), then send: SRTP encryption makes the one copy.
            guard (try? RTPHeader.rewrite(ssrc: output.ssrc, sequenceNumber: output.sequenceNumber,
                                          timestamp: output.timestamp, in: packet)) != nil,
                  (try? RTPHeader.setPayloadType(subscription.payloadType, in: packet)) != nil else { continue }
            if let picture, picture.pictureID != nil || picture.tl0PictureIndex != nil {
                _ = try? VP8Descriptor.rewrite(in: payload, pictureID: picture.pictureID,
                                           tl0PictureIndex: picture.tl0PictureIndex)
            }
            guard sendForwarded(bytes, header: header, isVideo: publication.description.kind == .video,
                                to: subscriber, now: now) else { continue }
            forwardedPackets += 1
            subscription.lastOutputTimestamp = output.timestamp
            subscription.sent.record(.init(outputSequenceNumber: output.sequenceNumber, layer: UInt8(layerIndex),
                                           sourceSequenceNumber: header.sequenceNumber,
                                           outputTimestamp: output.timestamp, pictureID: picture?.pictureID,
                                           tl0PictureIndex: picture?.tl0PictureIndex))
            subscription.senderReports.recordSent(payloadBytes: header.payloadRange.count,
                                                  rtpTimestamp: output.timestamp, sendMicroseconds: now)
        }
    }

    /// A publisher's RTX packet (RFC 4588 §4): rebuilt as the packet it repairs (media SSRC and
    /// payload type, the original sequence number, the payload after the OSN) and forwarded as
    /// if it had arrived late.
    func receiveRetransmission(from participant: RoomParticipant, packet: UnsafeMutableRawBufferPointer,
                               header: RTPHeader, publication: Publication, layer: Int) {
        guard let mediaSSRC = publication.layers[layer].ssrc,
              let rtx = try? RTXPacketizer.originalPayload(of: header, in: UnsafeRawBufferPointer(packet)) else { return }
        let payloadLength = rtx.originalPayloadRange.count
        let length = header.headerLength + payloadLength
        let participantID = participant.id
        rtxScratch.withUnsafeMutableBytes { target in
            guard length <= target.count, let base = target.baseAddress, let source = packet.baseAddress else { return }
            base.copyMemory(from: source, byteCount: header.headerLength)
            (base + header.headerLength).copyMemory(from: source + rtx.originalPayloadRange.lowerBound,
                                                    byteCount: payloadLength)
            let original = UnsafeMutableRawBufferPointer(rebasing: target[0..<length])
            // The RTX packet's padding is not part of the original: clear the P bit.
            original[0] &= ~0x20
            guard (try? RTPHeader.rewrite(ssrc: mediaSSRC, sequenceNumber: rtx.originalSequenceNumber,
                                          timestamp: header.timestamp, in: original)) != nil,
                  (try? RTPHeader.setPayloadType(publication.description.codec.payloadType, in: original)) != nil
            else { return }
            receiveRTP(from: participantID, packet: original, rebuiltFromRTX: true)
        }
    }

    /// A packet from an SSRC not seen yet: if its `mid` and `rid` header extensions name a layer
    /// published without an SSRC, that layer has this SSRC from now on (RFC 8852 §3).
    func learnLayer(of participant: RoomParticipant, from header: RTPHeader,
                    in bytes: UnsafeRawBufferPointer) -> (publication: Publication, layer: Int)? {
        for trackID in participant.publications {
            guard let publication = publications[trackID],
                  let rid = value(of: publication.description.ridExtensionID, naming: publication, in: header, bytes)
            else { continue }
            guard let index = publication.layers.firstIndex(where: { layer in
                layer.ssrc == nil && layer.rid.map { RTPStreamIDExtension.value(rid, equals: $0) } == true
            }) else { continue }
            publication.layers[index].bind(ssrc: header.ssrc)
            participant.layersBySSRC[header.ssrc] = (publication, index)
            return (publication, index)
        }
        return nil
    }

    /// A packet from an SSRC not seen yet that names, in `repaired-rtp-stream-id`, the rid of a
    /// layer (and the publication's mid): that layer's RTX stream from now on (RFC 8852 §3.2).
    /// Browsers sending simulcast by rid announce no RTX SSRCs; without this their
    /// retransmissions, asked for by the room's own NACKs, would be thrown away.
    func learnRepairStream(of participant: RoomParticipant, from header: RTPHeader,
                           in bytes: UnsafeRawBufferPointer) -> (publication: Publication, layer: Int)? {
        for trackID in participant.publications {
            guard let publication = publications[trackID],
                  let rid = value(of: publication.description.repairedRIDExtensionID, naming: publication, in: header, bytes)
            else { continue }
            guard let index = publication.layers.firstIndex(where: { layer in
                layer.learnedRTXSSRC == nil && layer.rid.map { RepairedRTPStreamIDExtension.value(rid, equals: $0) } == true
            }), header.ssrc != publication.layers[index].ssrc else { continue }
            publication.layers[index].learnedRTXSSRC = header.ssrc
            participant.rtxLayersBySSRC[header.ssrc] = (publication, index)
            return (publication, index)
        }
        return nil
    }

    /// The value of the SDES header extension `id` (a rid), if the packet carries it and names
    /// `publication`'s mid, when it has one.
    private func value(of id: UInt8?, naming publication: Publication, in header: RTPHeader,
                       _ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let id, let range = (try? header.extensionValueRange(id: id, in: bytes)) ?? nil else { return nil }
        if let mid = publication.description.mid, let midID = publication.description.midExtensionID {
            guard let midRange = (try? header.extensionValueRange(id: midID, in: bytes)) ?? nil,
                  MidExtension.value(UnsafeRawBufferPointer(rebasing: bytes[midRange]), equals: mid) else { return nil }
        }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Asks the publisher for a key frame on `layer`, at most once per 500 ms per layer.
    func requestKeyFrame(_ publication: Publication, layer: Int, now: Int64) {
        guard publication.layers.indices.contains(layer),
              publication.keyFrameThrottle.shouldRequest(layer: layer, nowMicroseconds: now),
              let owner = participants[publication.owner] else { return }
        guard let mediaSSRC = publication.layers[layer].ssrc else { return }
        let sources = RTCPFeedbackSources(senderSSRC: rtcpSenderSSRC, mediaSSRC: mediaSSRC)
        guard let pli = try? RTCPPictureLossIndication.build(sources: sources) else { return }
        if pli.withUnsafeBytes({ owner.publisherTransport.sendRTCP($0) }) { keyFrameRequests += 1 }
    }

    /// Resends what went out under `outputSequenceNumber`, from the publication's cache, with
    /// the header (and VP8 descriptor) it was sent with: wrapped as RTX on the subscription's RTX
    /// SSRC when negotiated (RFC 4588 §4), else as it was (RFC 4585 §3.2; the subscriber's SRTP
    /// session accepts the repeated index).
    func retransmit(_ subscription: Subscription, outputSequenceNumber: UInt16, to subscriber: RoomParticipant,
                    now: Int64) {
        guard let record = subscription.sent.entry(outputSequenceNumber: outputSequenceNumber) else { return }
        // Switching down because the downlink is overrun (resending would only overrun it
        // further), or sent on a layer the subscription has since left: not repaired, but the
        // subscriber's picture must restart, so the layer it is heading for gets a key frame.
        let leftLayer = subscription.currentLayer.map { Int(record.layer) != $0 } ?? false
        if subscription.publication.description.kind == .video, subscription.shedding || leftLayer {
            if let layer = subscription.selector.effectiveTargetLayer(at: now) ?? subscription.currentLayer {
                requestKeyFrame(subscription.publication, layer: layer, now: now)
            }
            return
        }
        let layer = subscription.publication.layers[Int(record.layer)]
        guard let entry = layer.cache.packet(sequenceNumber: record.sourceSequenceNumber, nowMicroseconds: now) else {
            return
        }
        let length = layer.cache.withPacketBytes(entry) { source in
            scratch.withUnsafeMutableBytes { target -> Int in
                guard source.count <= target.count, let base = target.baseAddress, let from = source.baseAddress else {
                    return 0
                }
                base.copyMemory(from: from, byteCount: source.count)
                return source.count
            }
        }
        guard length > 0 else { return }
        let sent: Bool = scratch.withUnsafeMutableBytes { target in
            let packet = UnsafeMutableRawBufferPointer(rebasing: target[0..<length])
            guard (try? RTPHeader.rewrite(ssrc: subscription.ssrc, sequenceNumber: record.outputSequenceNumber,
                                          timestamp: record.outputTimestamp, in: packet)) != nil,
                  (try? RTPHeader.setPayloadType(subscription.payloadType, in: packet)) != nil,
                  let header = try? RTPHeader.parse(UnsafeRawBufferPointer(packet)) else { return false }
            if record.pictureID != nil || record.tl0PictureIndex != nil {
                let payload = UnsafeMutableRawBufferPointer(rebasing: packet[header.payloadRange])
                _ = try? VP8Descriptor.rewrite(in: payload, pictureID: record.pictureID,
                                           tl0PictureIndex: record.tl0PictureIndex)
            }
            guard subscription.rtx != nil else {
                // Without RTX the packet goes out again under its first SRTP index. AES-GCM
                // under a repeated nonce is harmless only for identical input (NIST SP 800-38D
                // §8): a new transport-wide number would change the authenticated header and
                // leak the authentication key. So with transport-cc on, only RTX repairs.
                guard subscriber.congestion == nil else { return false }
                return sendUnpaced(UnsafeRawBufferPointer(packet), header: header, to: subscriber, now: now)
            }
            // RTX adds two bytes (the original sequence number): build it after the packet.
            let rtxArea = UnsafeMutableRawBufferPointer(rebasing: target[length...])
            guard let rtxLength = try? subscription.rtx?.packetize(original: UnsafeRawBufferPointer(packet), into: rtxArea)
            else { return false }
            return sendUnpaced(UnsafeRawBufferPointer(rebasing: rtxArea[0..<rtxLength]), to: subscriber, now: now)
        }
        if sent {
            subscription.retransmittedPackets += 1
            retransmittedPackets += 1
        }
    }
}
