public import SFU
public import WebRTC
import Prometheus
import Synchronization

/// The server's metrics in the Prometheus text format, served at `GET /metrics`.
///
/// Nothing is counted on the packet path for them: a scrape reads the counters the media
/// workers and rooms keep anyway, sets the gauges, and moves each Prometheus counter on by what
/// its source gained since the last scrape.
public final class ServerMetrics: Sendable {
    /// What one scrape reads.
    struct Snapshot: Sendable {
        var process = ProcessResourceUsage()
        var workers = MediaWorkerCounters()
        var workerCount = 0
        var transports = 0
        var rooms = RoomStatistics()
    }

    private struct Series: Sendable {
        let name: String
        let labels: [(String, String)]
        let help: String
        let read: @Sendable (Snapshot) -> Double
    }

    private let registry = PrometheusCollectorRegistry()
    private let media: MediaServer?
    private let rooms: RoomRegistry?
    private let counters: [(Series, Counter)]
    private let gauges: [(Series, Gauge)]
    /// Each counter's source value as of the last scrape.
    private let reported: Mutex<[Double]>

    /// `media` and `rooms` are nil on a server without media (then only `process_*` is served).
    public init(media: MediaServer?, rooms: RoomRegistry?) {
        self.media = media
        self.rooms = rooms
        let registry = self.registry
        counters = Self.counterSeries.map { series in
            (series, registry.makeCounter(descriptor: .init(metricName: series.name, unitName: "total", helpText: series.help),
                                          labels: series.labels))
        }
        gauges = Self.gaugeSeries.map { series in
            (series, registry.makeGauge(descriptor: .init(metricName: series.name, unitName: "", helpText: series.help),
                                        labels: series.labels))
        }
        reported = Mutex([Double](repeating: 0, count: Self.counterSeries.count))
    }

    /// The metrics now, in the Prometheus text exposition format (version 0.0.4).
    public func render() async -> [UInt8] {
        let snapshot = await snapshot()
        update(with: snapshot)
        var text = registry.emitToBuffer()
        if media != nil { text += Array(Self.exposition(of: snapshot.workers.processingDelay).utf8) }
        return text
    }

    static let processingDelayName = "parley_processing_delay_seconds"

    /// The workers' processing delay as a Prometheus histogram (cumulative buckets, `le` in
    /// seconds). Written here rather than through swift-prometheus, whose histograms take one
    /// observation at a time: the workers count whole read batches in fixed buckets already.
    static func exposition(of histogram: ProcessingDelayHistogram) -> String {
        let name = processingDelayName
        var text = "# HELP \(name) Time from the read of a datagram batch to the send of the datagrams it caused\n"
        text += "# TYPE \(name) histogram\n"
        var cumulative: UInt64 = 0
        for (bucket, count) in histogram.counts.enumerated() {
            cumulative &+= count
            let bound = bucket < ProcessingDelayHistogram.upperBoundsMicroseconds.count
                ? "\(Double(ProcessingDelayHistogram.upperBoundsMicroseconds[bucket]) / 1_000_000)" : "+Inf"
            text += "\(name)_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        text += "\(name)_sum \(Double(histogram.sumMicroseconds) / 1_000_000)\n"
        text += "\(name)_count \(cumulative)\n"
        return text
    }

    func snapshot() async -> Snapshot {
        var snapshot = Snapshot()
        snapshot.process = .current()
        if let media {
            snapshot.workerCount = media.workers.count
            for worker in media.workers {
                snapshot.workers.add(await worker.counters)
                snapshot.transports += await worker.transportCount
            }
        }
        if let rooms { snapshot.rooms = await rooms.statistics() }
        return snapshot
    }

    func update(with snapshot: Snapshot) {
        for (series, gauge) in gauges { gauge.set(series.read(snapshot)) }
        reported.withLock { reported in
            for (index, (series, counter)) in counters.enumerated() {
                let value = series.read(snapshot)
                // Two scrapes can overlap, and a closing room's counters move to the registry's
                // closed-room total a moment after the room leaves the list: only gains count.
                guard value > reported[index] else { continue }
                counter.increment(by: value - reported[index])
                reported[index] = value
            }
        }
    }

    // MARK: The series

    private static func dropped(_ reason: String, _ read: @escaping @Sendable (Snapshot) -> Int) -> Series {
        Series(name: "parley_packets_dropped", labels: [("reason", reason)],
               help: "Packets dropped as unusable, by reason; none was forwarded",
               read: { Double(read($0)) })
    }

    private static let counterSeries: [Series] = [
        Series(name: "process_cpu_seconds", labels: [], help: "User and system CPU time spent, in seconds",
               read: { $0.process.cpuSeconds }),
        Series(name: "parley_udp_datagrams_received", labels: [], help: "UDP datagrams the media workers read",
               read: { Double($0.workers.datagramsReceived) }),
        Series(name: "parley_udp_datagrams_sent", labels: [], help: "UDP datagrams the media workers sent",
               read: { Double($0.workers.datagramsSent) }),
        Series(name: "parley_udp_datagrams_send_failed", labels: [],
               help: "UDP datagrams the kernel refused to send (full socket buffer, unreachable address)",
               read: { Double($0.workers.datagramsNotSent) }),
        dropped("unknown_address") { Int($0.workers.droppedFromUnknownAddress) },
        dropped("stun_unknown_username") { Int($0.workers.droppedSTUNForUnknownUsername) },
        dropped("stun_refused") { Int($0.workers.droppedSTUN) },
        dropped("unknown_kind") { Int($0.workers.droppedUnknownKind) },
        dropped("dtls") { Int($0.workers.droppedDTLS) },
        dropped("srtp") { Int($0.workers.droppedSRTP) },
        dropped("sctp") { Int($0.workers.droppedSCTP) },
        dropped("data_channel") { Int($0.workers.droppedDataChannelMessages) },
        dropped("unknown_ssrc") { $0.rooms.packetsFromUnknownSSRC },
        dropped("undecodable_payload") { $0.rooms.undecodablePackets },
        dropped("malformed_feedback") { $0.rooms.malformedFeedback },
        Series(name: "parley_rtp_packets_forwarded", labels: [], help: "RTP packets sent to subscribers",
               read: { Double($0.rooms.forwardedPackets) }),
        Series(name: "parley_rtp_packets_retransmitted", labels: [], help: "RTP packets resent after a NACK",
               read: { Double($0.rooms.retransmittedPackets) }),
        Series(name: "parley_key_frame_requests", labels: [], help: "Key frames requested from publishers (PLI/FIR)",
               read: { Double($0.rooms.keyFrameRequests) }),
        Series(name: "parley_data_messages_relayed", labels: [],
               help: "Data channel messages delivered, one per recipient",
               read: { Double($0.rooms.relayedDataMessages) }),
        Series(name: "parley_data_messages_dropped", labels: [],
               help: "Data channel messages refused or not delivered",
               read: { Double($0.rooms.droppedDataMessages) }),
    ]

    private static let gaugeSeries: [Series] = [
        Series(name: "process_resident_memory_bytes", labels: [], help: "Resident memory size in bytes",
               read: { $0.process.residentBytes }),
        Series(name: "process_virtual_memory_bytes", labels: [], help: "Virtual memory size in bytes",
               read: { $0.process.virtualBytes }),
        Series(name: "process_open_fds", labels: [], help: "Open file descriptors",
               read: { $0.process.openFileDescriptors }),
        Series(name: "process_start_time_seconds", labels: [], help: "Start time of the process since the Unix epoch, in seconds",
               read: { $0.process.startTimeSeconds }),
        Series(name: "parley_media_workers", labels: [], help: "Media worker threads (one event loop and UDP socket each)",
               read: { Double($0.workerCount) }),
        Series(name: "parley_transports", labels: [], help: "WebRTC transports open on the media workers",
               read: { Double($0.transports) }),
        Series(name: "parley_rooms", labels: [], help: "Rooms open", read: { Double($0.rooms.rooms) }),
        Series(name: "parley_participants", labels: [], help: "Participants in open rooms",
               read: { Double($0.rooms.participants) }),
        Series(name: "parley_published_tracks", labels: [], help: "Tracks published in open rooms",
               read: { Double($0.rooms.publications) }),
        Series(name: "parley_subscriptions", labels: [], help: "Subscriptions to published tracks",
               read: { Double($0.rooms.subscriptions) }),
    ]
}

extension MediaWorkerCounters {
    /// Adds another worker's counts to these.
    mutating func add(_ other: MediaWorkerCounters) {
        datagramsReceived &+= other.datagramsReceived
        datagramsSent &+= other.datagramsSent
        datagramsNotSent &+= other.datagramsNotSent
        droppedFromUnknownAddress &+= other.droppedFromUnknownAddress
        droppedSTUNForUnknownUsername &+= other.droppedSTUNForUnknownUsername
        droppedSTUN &+= other.droppedSTUN
        droppedUnknownKind &+= other.droppedUnknownKind
        droppedDTLS &+= other.droppedDTLS
        droppedSRTP &+= other.droppedSRTP
        droppedSCTP &+= other.droppedSCTP
        droppedDataChannelMessages &+= other.droppedDataChannelMessages
        processingDelay.add(other.processingDelay)
    }
}

