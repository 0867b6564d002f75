import DTLS
import Foundation

/// The qoe scenario: participant 0 publishes simulcast video and audio, participant 1 receives
/// it through the link emulator, asking for the top layer throughout; every second it records
/// what the link allowed, what the server estimated and allocated, and what arrived and could
/// be shown. The summary measures the down-switch after the capacity drops, the recovery after
/// it returns, freezes, flapping, bottleneck use and loss from overshoot.
extension RoomScenario {
    /// Layer changes closer than this to a capacity change are the response to it; the rest are
    /// steady-state switches.
    static let settlingMicroseconds: Int64 = 5_000_000
    /// What audio adds to a layer's cost, bits/s (Opus at 50 packets/s with headers).
    static let audioAllowance = 64_000

    func runQoE(progress: @escaping @Sendable (String) -> Void) async throws -> QoEReport {
        guard let link else { throw BenchError.server("the qoe scenario needs a link (--link-rate)") }
        let clock = BenchClock()
        let clients = try await ClientWorkers.start(count: workerCount)
        let context = try DTLSContext(certificate: .generateSelfSigned())
        if let apiKey { try await createRoom(signedBy: apiKey) }
        let ticks = try await clients.startSending(clock: clock, tickMicroseconds: settings.sendTickMicroseconds)
        var members: [JoinedMember] = []
        let outcome: Result<QoEReport, any Error>
        do {
            try await join(0..<2, among: 2, members: &members, clients: clients, clock: clock, context: context,
                           progress: progress)
            try await settle(members: members, among: 2, clients: clients)
            outcome = .success(try await measureQoE(subscriber: members[1].member, link: link, clock: clock,
                                                    progress: progress))
        } catch {
            outcome = .failure(error)
        }
        try await tearDown(members: members, ticks: ticks, clients: clients)
        return try outcome.get()
    }

    /// What the subscriber's participant and link counted so far.
    private struct Totals {
        var at: Int64
        var receivedBytes: Int
        var expected: Int
        var received: Int
        var frozen: Int64
        var longestGap: Int64
        var layer: Int?
        var switches: Int
        var changes: [(at: Int64, layer: Int)]
        var link: LinkEmulator.Counters
        var longestTickGap: Int64 = 0
    }

    private func totals(of member: RoomMember, emulator: LinkEmulator, clock: BenchClock) async throws -> Totals {
        let participant = member.participant
        let counters = emulator.counters
        return try await member.worker.submit {
            let p = participant.participant
            let now = clock.nowMicroseconds()
            let trackers = p.videoRender.values
            let rtp = p.rtpTotals
            return Totals(at: now, receivedBytes: p.receivedBytes, expected: rtp.expected, received: rtp.received,
                          frozen: trackers.map { $0.frozenMicroseconds(at: now) }.max() ?? 0,
                          longestGap: trackers.map { $0.longestGap(at: now) }.max() ?? 0,
                          layer: p.lastVideoLayer, switches: p.videoLayerSwitches, changes: p.videoLayerChanges,
                          link: counters, longestTickGap: p.longestTickGap)
        }
    }

    private func measureQoE(subscriber: RoomMember, link: LinkConditions, clock: BenchClock,
                            progress: @escaping @Sendable (String) -> Void) async throws -> QoEReport {
        guard let emulator = subscriber.link?.current else {
            throw BenchError.server("the subscriber's link emulator did not start")
        }
        let participant = subscriber.participant
        try await subscriber.worker.submit { participant.participant.startQoEMeasurement() }
        emulator.startSchedule()
        let start = try await totals(of: subscriber, emulator: emulator, clock: clock)
        let startLayer = start.layer
        var previous = start
        var samples: [QoESample] = []
        let seconds = Int(duration.components.seconds)
        let begin = ContinuousClock.now
        for second in 1...max(1, seconds) {
            try await Task.sleep(until: begin + .seconds(second))
            let now = try await totals(of: subscriber, emulator: emulator, clock: clock)
            let reports = subscriber.downlink.withLockedValue { $0 }
            let interval = Double(max(now.at - previous.at, 1)) / 1_000_000
            let expected = now.expected - previous.expected
            let sample = QoESample(
                t: second,
                capacityKbps: now.link.rateBitsPerSecond > 0 ? Double(now.link.rateBitsPerSecond) / 1000 : nil,
                estimateKbps: reports.availableBitrate.map { Double($0) / 1000 },
                allocatedKbps: reports.allocatedBitrate.map { Double($0) / 1000 },
                layer: now.layer,
                receivedKbps: Double(now.receivedBytes - previous.receivedBytes) * 8 / 1000 / interval,
                linkDeliveredKbps: Double(now.link.deliveredBytes - previous.link.deliveredBytes) * 8 / 1000 / interval,
                lossPercent: expected > 0 ? max(0, Double(expected - (now.received - previous.received))) * 100 / Double(expected) : 0,
                frozenMilliseconds: Double(now.frozen - previous.frozen) / 1000,
                layerSwitches: now.switches - previous.switches,
                queueDelayMilliseconds: Double(now.link.queueDelayMicroseconds) / 1000,
                queueDrops: now.link.queueDrops - previous.link.queueDrops)
            samples.append(sample)
            progress(String(format: "t=%2ds capacity %@ kbit/s, estimate %@, layer %@, received %.0f kbit/s, loss %.1f %%, frozen %.0f ms",
                            second, sample.capacityKbps.map { String(format: "%.0f", $0) } ?? "∞",
                            sample.estimateKbps.map { String(format: "%.0f", $0) } ?? "-",
                            sample.layer.map(String.init) ?? "-", sample.receivedKbps, sample.lossPercent,
                            sample.frozenMilliseconds))
            previous = now
        }
        return summarize(samples, start: start, end: previous, startLayer: startLayer, link: link,
                         pauses: subscriber.downlink.withLockedValue { $0.pauses })
    }

    /// The highest layer whose bitrate, with audio, fits `capacity` (0 when none does).
    private func fittingLayer(_ capacity: Int?) -> Int {
        let top = max(0, videoLayerCount - 1)
        guard let capacity else { return top }
        let bitrates = settings.videoBitrates.prefix(videoLayerCount)
        return bitrates.indices.last { bitrates[$0] + Self.audioAllowance <= capacity } ?? 0
    }

    private func summarize(_ samples: [QoESample], start: Totals, end: Totals, startLayer: Int?,
                           link: LinkConditions, pauses: Int) -> QoEReport {
        let top = max(0, videoLayerCount - 1)
        let origin = start.at
        // The layer in force at each moment, from the changes (µs since the schedule started).
        let changes = end.changes.map { (at: $0.at - origin, layer: $0.layer) }
        func layer(at time: Int64) -> Int? {
            changes.last { $0.at <= time }?.layer ?? startLayer
        }
        let schedule = link.schedule
        let drop = schedule.indices.first { index in
            let before = index == 0 ? link.rateBitsPerSecond : schedule[index - 1].bitsPerSecond
            return before.map { schedule[index].bitsPerSecond < $0 } ?? true
        }
        var downswitch: Double?
        var recovery: Double?
        if let drop {
            let at = schedule[drop].atMicroseconds
            let fit = fittingLayer(schedule[drop].bitsPerSecond)
            if let current = layer(at: at), current <= fit {
                downswitch = 0
            } else if let change = changes.first(where: { $0.at >= at && $0.layer <= fit }) {
                downswitch = Double(change.at - at) / 1_000_000
            }
            if let rise = schedule.indices.first(where: { $0 > drop && schedule[$0].bitsPerSecond > schedule[drop].bitsPerSecond }) {
                let riseAt = schedule[rise].atMicroseconds
                if fittingLayer(schedule[rise].bitsPerSecond) == top {
                    if layer(at: riseAt) == top {
                        recovery = 0
                    } else if let change = changes.first(where: { $0.at >= riseAt && $0.layer == top }) {
                        recovery = Double(change.at - riseAt) / 1_000_000
                    }
                }
            }
        }
        // Steady state: the seconds at least `settlingMicroseconds` after the start and after
        // every capacity change.
        let eventTimes = [Int64(0)] + schedule.map(\.atMicroseconds)
        func isSteady(_ second: Int) -> Bool {
            let time = Int64(second) * 1_000_000
            let lastEvent = eventTimes.filter { $0 < time }.max() ?? 0
            return time - 1_000_000 >= lastEvent + Self.settlingMicroseconds
        }
        let steady = samples.filter { isSteady($0.t) }
        let steadySwitches = steady.reduce(0) { $0 + $1.layerSwitches }
        // Bottleneck use: what arrived ÷ what the best fitting layer sends, that layer's rate
        // taken from seconds spent on it (the configured bitrate where it was never received).
        var measured: [Int: [Double]] = [:]
        for sample in samples where sample.layerSwitches == 0 && sample.frozenMilliseconds == 0 {
            if let layer = sample.layer { measured[layer, default: []].append(sample.receivedKbps) }
        }
        func ideal(_ capacity: Double?) -> Double {
            let layer = fittingLayer(capacity.map { Int($0 * 1000) })
            if let rates = measured[layer], !rates.isEmpty { return rates.reduce(0, +) / Double(rates.count) }
            return Double(settings.videoBitrates[layer] + Self.audioAllowance) / 1000
        }
        let received = steady.reduce(0) { $0 + $1.receivedKbps }
        let wanted = steady.reduce(0) { $0 + ideal($1.capacityKbps) }
        let limited = steady.filter { sample in
            guard let capacity = sample.capacityKbps else { return false }
            return fittingLayer(Int(capacity * 1000)) < top
        }
        let estimates = limited.compactMap { sample in sample.estimateKbps.flatMap { estimate in
            sample.capacityKbps.map { estimate / $0 } } }
        let offered = end.link.offeredPackets - start.link.offeredPackets
        let description = [
            link.rateBitsPerSecond.map { "\($0 / 1000) kbit/s" } ?? "unlimited",
            schedule.map { String(format: "at %.0f s %d kbit/s", Double($0.atMicroseconds) / 1_000_000, $0.bitsPerSecond / 1000) }
                .joined(separator: ", "),
            "RTT \(link.delayMicroseconds * 2 / 1000) ms", String(format: "%.1f %% random loss", link.randomLoss * 100),
            "queue \(link.queueMicroseconds / 1000) ms",
        ].filter { !$0.isEmpty }.joined(separator: ", ")
        return QoEReport(
            durationSeconds: Double(samples.count), link: description, series: samples,
            downswitchSeconds: downswitch, recoverySeconds: recovery,
            maxFreezeMilliseconds: Double(end.longestGap) / 1000,
            steadySwitchesPer10Seconds: steady.isEmpty ? 0 : Double(steadySwitches) * 10 / Double(steady.count),
            utilizationPercent: wanted > 0 ? received * 100 / wanted : 0,
            estimateToCapacityPercent: estimates.isEmpty ? nil : estimates.reduce(0, +) * 100 / Double(estimates.count),
            overshootLossPercent: offered > 0 ? Double(end.link.queueDrops - start.link.queueDrops) * 100 / Double(offered) : 0,
            pausesSignaled: pauses,
            longestStallMilliseconds: Double(max(end.link.longestStallMicroseconds, end.longestTickGap)) / 1000)
    }
}
