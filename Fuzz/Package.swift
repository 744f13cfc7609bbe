// swift-tools-version:6.1
// libFuzzer targets over the policy engine's untrusted inputs, built apart from Safeguard because
// every module of a fuzzing build is compiled with `-sanitize=fuzzer` (scripts/fuzz builds them).
import PackageDescription

let fuzzTarget = { (name: String) in
    Target.executableTarget(name: name, dependencies: ["FuzzDriver", .product(name: "HostileInputs", package: "Safeguard")])
}

let package = Package(
    name: "SafeguardFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Safeguard", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        fuzzTarget("FuzzCaseInput"),
        fuzzTarget("FuzzPolicyFile"),
        fuzzTarget("FuzzCondition"),
    ]
)
