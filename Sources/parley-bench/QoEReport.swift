import Foundation

/// One second of the qoe scenario, as seen by the subscriber behind the link emulator.
struct QoESample: Codable, Sendable {
    /// Seconds since the link schedule started (end of this second).
    var t: Int
    var capacityKbps: Double?
    /// The server's estimate of the subscriber's downlink (`bandwidth_estimate`), and what it allocated.
    var estimateKbps: Double?
    var allocatedKbps: Double?
    /// The simulcast layer being received at the end of the second.
    var layer: Int?
    /// Media (RTP with a bench stamp: audio and video) received, and everything the link delivered.
    var receivedKbps: Double
    var linkDeliveredKbps: Double
    var lossPercent: Double
    var frozenMilliseconds: Double
    var layerSwitches: Int
    var queueDelayMilliseconds: Double
    var queueDrops: Int

    enum CodingKeys: String, CodingKey {
        case t, layer
        case capacityKbps = "capacity_kbps"
        case estimateKbps = "estimate_kbps"
        case allocatedKbps = "allocated_kbps"
        case receivedKbps = "received_kbps"
        case linkDeliveredKbps = "link_delivered_kbps"
        case lossPercent = "loss_percent"
        case frozenMilliseconds = "frozen_ms"
        case layerSwitches = "layer_switches"
        case queueDelayMilliseconds = "queue_delay_ms"
        case queueDrops = "queue_drops"
    }
}

/// The qoe scenario's result: the per-second series and the summary the targets are checked on.
struct QoEReport: Codable, Sendable {
    var scenario = "qoe"
    var durationSeconds: Double
    var link: String
    var series: [QoESample]
    /// From the capacity drop to being on a layer that fits (nil: never, or no drop scheduled).
    var downswitchSeconds: Double?
    /// From the capacity's return to being back on the top layer (nil: never, or no recovery).
    var recoverySeconds: Double?
    var maxFreezeMilliseconds: Double
    var steadySwitchesPer10Seconds: Double
    /// Received ÷ what the best layers that fit the capacity send, over the steady seconds.
    var utilizationPercent: Double
    /// The estimate ÷ the capacity over the steady seconds where the capacity limits what is wanted.
    var estimateToCapacityPercent: Double?
    /// Packets the bottleneck queue dropped (sending above capacity) ÷ packets offered to it.
    var overshootLossPercent: Double
    var pausesSignaled: Int
    /// The longest the bench's own link thread or subscriber loop went without running: a
    /// machine stall this long distorts every figure above (the machine is shared).
    var longestStallMilliseconds: Double

    enum CodingKeys: String, CodingKey {
        case scenario, link, series
        case durationSeconds = "duration_s"
        case downswitchSeconds = "downswitch_s"
        case recoverySeconds = "recovery_s"
        case maxFreezeMilliseconds = "max_freeze_ms"
        case steadySwitchesPer10Seconds = "steady_switches_per_10s"
        case utilizationPercent = "utilization_percent"
        case estimateToCapacityPercent = "estimate_to_capacity_percent"
        case overshootLossPercent = "overshoot_loss_percent"
        case pausesSignaled = "pauses_signaled"
        case longestStallMilliseconds = "longest_stall_ms"
    }

    var table: String {
        func value(_ number: Double?, _ format: String = "%.0f") -> String {
            number.map { String(format: format, $0) } ?? "-"
        }
        var lines = ["   t  capacity  estimate  allocated  layer  received  loss %  frozen ms  queue ms  switches"]
        func pad(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        for sample in series {
            lines.append([
                pad("\(sample.t)", 4), pad(value(sample.capacityKbps), 8), pad(value(sample.estimateKbps), 8),
                pad(value(sample.allocatedKbps), 9), pad(sample.layer.map(String.init) ?? "-", 5),
                pad(value(sample.receivedKbps), 8), pad(value(sample.lossPercent, "%.2f"), 6),
                pad(value(sample.frozenMilliseconds), 9), pad(value(sample.queueDelayMilliseconds), 8),
                pad("\(sample.layerSwitches)", 8),
            ].joined(separator: "  "))
        }
        lines.append("")
        lines.append("link: \(link)")
        lines.append("down-switch after the drop:     \(value(downswitchSeconds, "%.2f")) s (target ≤ 1 s)")
        lines.append("back on the top layer after:    \(value(recoverySeconds, "%.2f")) s (target ≤ 5 s)")
        lines.append("longest freeze:                 \(value(maxFreezeMilliseconds)) ms (target ≤ 300 ms)")
        lines.append("steady-state layer switches:    \(value(steadySwitchesPer10Seconds, "%.2f")) per 10 s (target ≤ 1)")
        lines.append("bottleneck use:                 \(value(utilizationPercent, "%.1f")) % of what the layers allow (target ≥ 85 %)")
        lines.append("estimate ÷ capacity (limited):  \(value(estimateToCapacityPercent, "%.1f")) %")
        lines.append("loss from overshoot:            \(value(overshootLossPercent, "%.2f")) % (target < 2 %)")
        lines.append("pauses signaled:                \(pausesSignaled)")
        lines.append("longest stall of the bench:     \(value(longestStallMilliseconds)) ms (the machine is shared)")
        return lines.joined(separator: "\n")
    }
}
