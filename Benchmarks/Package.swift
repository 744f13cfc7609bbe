// swift-tools-version:6.1
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, whatever the clone is called.
let safeguardPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

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
                .product(name: "PolicyEngine", package: safeguardPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PolicyEngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
