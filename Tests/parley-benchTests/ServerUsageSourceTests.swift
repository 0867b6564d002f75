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
}
