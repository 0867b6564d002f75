@testable import API
import Auth
import DTLS
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import SFU
import Store
import Testing
import WebRTC

/// The value of the series `name` (with its labels, as in `parley_packets_dropped_total{reason="srtp"}`)
/// in a Prometheus text exposition.
func metricValue(_ name: String, in text: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
        return Double(line.dropFirst(name.count + 1))
    }
    return nil
}

@Suite struct MetricsTests {
    @Test func scrapeReportsRoomsTransportsDropsAndProcessAndCountersSurviveTheRoom() async throws {
        let media = try await MediaServer.start(
            MediaServerConfiguration(bindHost: "127.0.0.1", bindIPv6Host: nil, basePort: 0, workerCount: 1,
                                     enableTCP: false, announcedAddresses: ["127.0.0.1"]),
            certificate: .generateSelfSigned())
        let rooms = RoomRegistry(media: media)
        let metrics = ServerMetrics(media: media, rooms: rooms)

        let idle = String(decoding: await metrics.render(), as: UTF8.self)
        #expect(metricValue("parley_rooms", in: idle) == 0)
        #expect(metricValue("parley_media_workers", in: idle) == 1)
        #expect((metricValue("process_resident_memory_bytes", in: idle) ?? 0) > 1_000_000)
        #expect((metricValue("process_cpu_seconds_total", in: idle) ?? 0) > 0)
        #expect((metricValue("process_open_fds", in: idle) ?? 0) > 2)
        let started = metricValue("process_start_time_seconds", in: idle) ?? 0
        #expect(abs(started - Date().timeIntervalSince1970) < 24 * 3600, "a start time near now, not ticks since boot")

        let room = await rooms.room(named: "standup")
        _ = try await room.join("alice")
        _ = try await room.join("bob")
        // Junk from an address that never passed ICE is dropped and counted, never routed.
        let junk = 3
        let socket = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let server = try #require(media.workers[0].localAddress)
        for _ in 0..<junk {
            try await socket.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: [0x80, 0x60, 1, 2])))
        }
        try await socket.close()

        var busy = ""
        for _ in 0..<200 {
            busy = String(decoding: await metrics.render(), as: UTF8.self)
            if metricValue(#"parley_packets_dropped_total{reason="unknown_address"}"#, in: busy) == Double(junk) { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(metricValue(#"parley_packets_dropped_total{reason="unknown_address"}"#, in: busy) == Double(junk))
        #expect(metricValue("parley_udp_datagrams_received_total", in: busy) == Double(junk))
        #expect(metricValue("parley_rooms", in: busy) == 1)
        #expect(metricValue("parley_participants", in: busy) == 2)
        #expect(metricValue("parley_transports", in: busy) == 2)

        await rooms.close(named: "standup")
        let after = String(decoding: await metrics.render(), as: UTF8.self)
        #expect(metricValue("parley_rooms", in: after) == 0)
        #expect(metricValue("parley_participants", in: after) == 0)
        #expect(metricValue("parley_transports", in: after) == 0)
        #expect(metricValue(#"parley_packets_dropped_total{reason="unknown_address"}"#, in: after) == Double(junk),
                "counters never go down")
        await media.shutdown()
    }

    @Test func processingDelayIsAPrometheusHistogramWithCumulativeBuckets() {
        var histogram = ProcessingDelayHistogram()
        histogram.record(microseconds: 30, datagrams: 5)
        histogram.record(microseconds: 1_500, datagrams: 2)
        histogram.record(microseconds: 300_000, datagrams: 1)
        let text = ServerMetrics.exposition(of: histogram)
        #expect(text.contains("# TYPE parley_processing_delay_seconds histogram"))
        #expect(metricValue(#"parley_processing_delay_seconds_bucket{le="5e-05"}"#, in: text) == 5)
        #expect(metricValue(#"parley_processing_delay_seconds_bucket{le="0.001"}"#, in: text) == 5)
        #expect(metricValue(#"parley_processing_delay_seconds_bucket{le="0.002"}"#, in: text) == 7)
        #expect(metricValue(#"parley_processing_delay_seconds_bucket{le="0.1"}"#, in: text) == 7)
        #expect(metricValue(#"parley_processing_delay_seconds_bucket{le="+Inf"}"#, in: text) == 8)
        #expect(metricValue("parley_processing_delay_seconds_count", in: text) == 8)
        #expect(metricValue("parley_processing_delay_seconds_sum", in: text) == 0.30315)
    }

    @Test func metricsRouteServesTheTextFormatWithoutAToken() async throws {
        try await withApplication(metrics: ServerMetrics(media: nil, rooms: nil)) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE process_cpu_seconds_total counter"))
                #expect(metricValue("parley_rooms", in: text) == 0)
            }
        }
    }

    @Test func withoutMetricsTheRouteIsAJSONNotFound() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
