// swift-tools-version:6.1
// Hot-path micro-benchmarks (package-benchmark). Kept in their own package so that `make test`
// does not build the benchmark framework; run them with `make bench` from the repository root.
import PackageDescription

let package = Package(
    name: "parley-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "parley", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1",
                 traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SRTPBenchmarks",
            dependencies: [
                .product(name: "SRTP", package: "parley"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "SRTPBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
