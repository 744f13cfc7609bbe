// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in a package of their own so that building and testing Safeguard does not
// build the benchmark harness. Run: `swift package --disable-sandbox benchmark` in this folder.
let package = Package(
    name: "SafeguardBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PolicyEngineBenchmarks",
            dependencies: [
                .product(name: "PolicyEngine", package: "Safeguard"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PolicyEngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
