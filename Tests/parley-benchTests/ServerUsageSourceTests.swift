@testable import parley_bench
import Testing

@Suite struct ServerUsageSourceTests {
    @Test func readsLabelLessSeriesFromTheTextFormatAndNothingElse() {
        let text = """
            # HELP process_cpu_seconds_total User and system CPU time spent, in seconds
            # TYPE process_cpu_seconds_total counter
            process_cpu_seconds_total 12.5
            process_cpu_seconds_total_extra 99
            parley_packets_dropped_total{reason="srtp"} 3
            process_resident_memory_bytes 6.0e7 1795349860000
            """
        #expect(ServerUsageSource.value(of: "process_cpu_seconds_total", in: text) == 12.5)
        #expect(ServerUsageSource.value(of: "process_resident_memory_bytes", in: text) == 6.0e7,
                "a trailing timestamp is not part of the value")
        #expect(ServerUsageSource.value(of: "parley_packets_dropped_total", in: text) == nil, "labelled series are not read")
        #expect(ServerUsageSource.value(of: "process_open_fds", in: text) == nil)
    }

    static func exposition(_ counts: [Int]) -> String {
        let bounds = ["0.0005", "0.001", "0.002", "+Inf"]
        return "# TYPE parley_processing_delay_seconds histogram\n"
            + zip(bounds, counts).map { "parley_processing_delay_seconds_bucket{le=\"\($0)\"} \($1)" }.joined(separator: "\n")
            + "\nparley_processing_delay_seconds_count \(counts.last ?? 0)\n"
    }

    @Test func processingDelayPercentilesComeFromTheWindowsBucketsInterpolated() throws {
        let start = try #require(ServerProcessingDelay(exposition: Self.exposition([100, 100, 100, 100])))
        // In the window: 50 datagrams under 0.5 ms, 40 in (0.5, 1] ms, 9 in (1, 2] ms, 1 above.
        let end = try #require(ServerProcessingDelay(exposition: Self.exposition([150, 190, 199, 200])))
        let window = try #require(end.since(start))
        #expect(window.count == 100)
        #expect(abs((window.percentile(50) ?? 0) - 0.5) < 1e-9)
        #expect(abs((window.percentile(70) ?? 0) - 0.75) < 1e-9, "halfway through the (0.5, 1] ms bucket")
        #expect(abs((window.percentile(99) ?? 0) - 2.0) < 1e-9)
        #expect(window.percentile(99.5) == 2.0, "the +Inf bucket reads as the last bound")
        #expect(ServerProcessingDelay(exposition: "process_cpu_seconds_total 1\n") == nil)
        #expect(ServerProcessingDelay(exposition: Self.exposition([0, 0, 0, 0]))?.percentile(99) == nil)
    }
}
