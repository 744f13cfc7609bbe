// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Safeguard",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PolicyEngine", targets: ["PolicyEngine"]),
        .executable(name: "safeguard", targets: ["safeguard"]),
        // What the fuzz targets (Fuzz/) and the regression tests of their findings do with one input.
        .library(name: "HostileInputs", targets: ["HostileInputs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.110.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.50.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.30.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.10.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
    ],
    targets: [
        .target(
            name: "PolicyEngine",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "HostileInputs", dependencies: ["PolicyEngine"], swiftSettings: swiftSettings),
        // The policy documents this build carries: one YAML file per document in Policies/documents,
        // and their rule tests in Policies/tests.
        .target(
            name: "BundledPolicies",
            path: "Policies",
            resources: [.copy("documents"), .copy("tests")],
            swiftSettings: swiftSettings
        ),
        // The case workflow, roles and the gate; persistence through FluentKit only.
        .target(
            name: "SafeguardCore",
            dependencies: [
                "PolicyEngine",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // The notification gateways are HTTP APIs.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The composition root: opens the database (SQLite or PostgreSQL), the audit key and the
        // core's services from settings, for the server and every command alike. No Vapor.
        .target(
            name: "SafeguardRuntime",
            dependencies: [
                "SafeguardCore",
                "PolicyEngine",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Passwords hashed with bcrypt: Vapor's implementation, the one part of Vapor a command
        // other than `serve` needs (`users add`).
        .target(
            name: "SafeguardPasswords",
            dependencies: ["SafeguardCore", .product(name: "Vapor", package: "vapor"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // HTTP: Vapor routes and middleware over SafeguardCore.
        .target(
            name: "SafeguardServer",
            dependencies: [
                "SafeguardCore",
                "SafeguardRuntime",
                "SafeguardPasswords",
                "PolicyEngine",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/Views"), .copy("Resources/Public"), .copy("Resources/CaseStatusSamples")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "safeguard",
            dependencies: [
                "PolicyEngine",
                "SafeguardCore",
                "SafeguardRuntime",
                "SafeguardPasswords",
                "SafeguardServer",
                "BundledPolicies",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SafeguardServerTests",
            dependencies: [
                "SafeguardServer", "SafeguardRuntime", "SafeguardPasswords", "SafeguardCore", "PolicyEngine", "BundledPolicies", "SafeguardTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                // The test notification gateway is a NIO HTTP server.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            // Pinned pages, read from the source tree by `PageSnapshotTests`.
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        // What the test targets share: fixtures, the contract's examples, running the built
        // executable, seeded randomness.
        .target(
            name: "SafeguardTestSupport",
            dependencies: ["PolicyEngine", "BundledPolicies"],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PolicyEngineTests",
            dependencies: [
                "PolicyEngine", "BundledPolicies", "HostileInputs", "SafeguardTestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            // Inputs fuzzing found, read from the source tree by `FuzzFindingsTests`.
            exclude: ["FuzzFindings"],
            swiftSettings: swiftSettings
        ),
        // The `safeguard` executable run as an operator runs it (it builds the server, which the
        // engine's tests do not).
        .testTarget(
            name: "CommandLineTests",
            dependencies: ["safeguard", "PolicyEngine", "SafeguardCore", "SafeguardTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
