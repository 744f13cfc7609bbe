import Foundation

/// Randomness a failed run can replay: SplitMix64 from a seed, which is `SAFEGUARD_TEST_SEED` when
/// set and a new one otherwise. Tests that draw from it name `seed` in their failure messages.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    private var state: UInt64

    /// This run's seed, shared by every test of the process.
    public static let runSeed: UInt64 = ProcessInfo.processInfo.environment["SAFEGUARD_TEST_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 1...UInt64.max)

    public init(seed: UInt64 = SeededGenerator.runSeed) {
        self.seed = seed
        state = seed
    }

    /// Where a failure says how to replay it.
    public var replay: String { "SAFEGUARD_TEST_SEED=\(seed)" }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
