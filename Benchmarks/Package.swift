// swift-tools-version:6.1
// Hot-path micro-benchmarks (package-benchmark). Kept in their own package so that `make test`
// does not build the benchmark framework; run them with `make bench` from the repository root.
// One executable target per area; see docs/benchmarks.md for what each measures.
import PackageDescription

/// A benchmark executable for one area of the root package.
func benchmarkTarget(_ name: String, products: String...) -> Target {
    .executableTarget(
        name: name,
        dependencies: products.map { .product(name: $0, package: "parley") } + [
            .product(name: "Benchmark", package: "package-benchmark"),
        ],
        path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}

let package = Package(
    name: "parley-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "parley", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1",
                 traits: ["MallocInterposer"]),
    ],
    targets: [
        benchmarkTarget("SRTPBenchmarks", products: "SRTP"),
        benchmarkTarget("RTPBenchmarks", products: "RTP"),
        benchmarkTarget("ICEBenchmarks", products: "ICE"),
        benchmarkTarget("DTLSBenchmarks", products: "DTLS"),
        benchmarkTarget("RouterBenchmarks", products: "SFU", "RTP", "SRTP"),
    ],
    swiftLanguageModes: [.v6]
)
